"""Council documents: ``render(plan_or_evaluation, fmt)`` → bytes, in PDF, DOCX, XLSX or ODS.

Every format draws the same :class:`~jalon.reports.document.Document`.  Long documents report
their progress through ``progress(done, total, label)``; the CLI prints it and the web page
streams it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jalon.plans.models import Plan

from ..document import Document, Look, build_document, clean_sections
from ..models import Evaluation, ReportSettings
from ..snapshot import take_snapshot

ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    content_type: str
    module: str


FORMATS = {
    "pdf": Format("pdf", "pdf", "application/pdf", "pdf"),
    "docx": Format("docx", "docx", "application/vnd.openxmlformats-officedocument."
                   "wordprocessingml.document", "docx"),
    "xlsx": Format("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument."
                   "spreadsheetml.sheet", "xlsx"),
    "ods": Format("ods", "ods", "application/vnd.oasis.opendocument.spreadsheet", "ods"),
}
ANNEX_CHUNKS = 10  # the annex reports its progress this many times


class ReportTooLong(RuntimeError):
    """The rendering went past ``settings.JALON_REPORT_TIME_LIMIT`` seconds."""


class Progress:
    """Counts steps and calls the callback after each: ``(done, total, label)``.  Each step
    also checks the time limit of a rendering (``JALON_REPORT_TIME_LIMIT`` seconds, default
    600): past it, ``ReportTooLong`` stops the renderer between two sections or annex chunks."""

    def __init__(self, callback: ProgressCallback | None, total: int):
        from django.conf import settings

        self.callback, self.total, self.done = callback, total, 0
        self.deadline = time.monotonic() + getattr(settings, "JALON_REPORT_TIME_LIMIT", 600)

    def step(self, label: str) -> None:
        if time.monotonic() > self.deadline:
            raise ReportTooLong(_("Le document prend trop de temps à produire : réduisez les "
                                  "sections demandées (l'annexe des fiches, surtout)."))
        self.done = min(self.done + 1, self.total)
        if self.callback:
            self.callback(self.done, self.total, str(label))

    def chunks(self, items: list, label: str):
        """Yield ``items`` in about ANNEX_CHUNKS slices, taking a step after each one."""
        size = max(1, -(-len(items) // ANNEX_CHUNKS))
        for start in range(0, len(items), size):
            yield items[start:start + size]
            self.step(f"{label} {min(start + size, len(items))}/{len(items)}")

    @staticmethod
    def annex_steps(doc: Document) -> int:
        n = len(doc.sheets)
        return -(-n // max(1, -(-n // ANNEX_CHUNKS))) if n else 0


def look_for(organization) -> tuple[Look, list[str]]:
    settings = ReportSettings.objects.filter(organization=organization).first()
    if settings is None:
        return Look(), []
    logo = ""
    if settings.logo:
        try:
            logo = settings.logo.path
        except (NotImplementedError, ValueError):
            logo = ""
    look = Look(color=settings.primary_color, logo_path=logo, footer=settings.footer,
                sheet_per_page=settings.sheet_per_page)
    return look, list(settings.sections or [])


def prepare(obj: Plan | Evaluation, *, sections=None, as_of: dt.date | None = None,
            look: Look | None = None) -> Document:
    """Snapshot (a plan: now, or at ``as_of``; an evaluation: its stored one) → Document."""
    if isinstance(obj, Evaluation):
        plan, snap, evaluation = obj.plan, obj.snapshot, obj
    else:
        plan, evaluation = obj, None
        snap = take_snapshot(plan, as_of)
    org_look, default_sections = look_for(plan.organization_id)
    return build_document(snap, evaluation=evaluation, look=look or org_look,
                          sections=clean_sections(sections or default_sections))


def render(obj: Plan | Evaluation, fmt: str, *, sections=None, as_of: dt.date | None = None,
           look: Look | None = None, progress: ProgressCallback | None = None) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(_("format inconnu : %(f)s (connus : %(k)s)")
                         % {"f": fmt, "k": ", ".join(FORMATS)})
    sections = clean_sections(sections) if sections else None
    doc = prepare(obj, sections=sections, as_of=as_of, look=look)
    return render_document(doc, fmt, progress=progress)


def render_document(doc: Document, fmt: str, *, progress: ProgressCallback | None = None) -> bytes:
    module = importlib.import_module(f"{__name__}.{FORMATS[fmt].module}")
    annex = Progress.annex_steps(doc) if "annex" in doc.sections else 0
    reporter = Progress(progress, 1 + len(doc.sections) - ("annex" in doc.sections) + annex + 1)
    reporter.step(_("Instantané du plan"))
    return module.render(doc, reporter)


def filename(obj: Plan | Evaluation, fmt: str) -> str:
    from django.utils.text import slugify

    if isinstance(obj, Evaluation):
        base = f"{slugify(obj.plan.title)[:60]}-{obj.kind}-{obj.as_of:%Y%m%d}-v{obj.version}"
    else:
        base = f"{slugify(obj.title)[:60]}-{dt.date.today():%Y%m%d}"
    return f"{base or 'rapport'}.{FORMATS[fmt].extension}"
