"""Reading an uploaded plan, in the request for a small file or by the task worker for a large
one (above ``JALON_IMPORT_BACKGROUND_BYTES``).

Both paths go through :func:`prepare` (parse, then the organization's import profile for these
headers); the background path records its state in the upload's payload (``upload_store``),
never in the database, since the preview promises that nothing is saved before «Enregistrer»:
``status`` is ``queued`` → ``running`` → ``ready`` (the draft is there) or ``failed`` (one
line saying why; the file is dropped).  The web polls that state (``views_import``).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from jalon.ingest import IngestError, PlanDraft, parse_bytes
from jalon.orgadmin import profiles

from . import import_edits, upload_store
from .forms_import import max_bytes

log = logging.getLogger(__name__)

QUEUED, RUNNING, READY, FAILED = "queued", "running", "ready", "failed"
STEPS = 3  # read the file, apply the profile, prepare the preview
STALLED_AFTER = 20  # seconds queued: the page says the worker may be down (as for reports)


def background_bytes() -> int:
    """Files larger than this are read by the task worker, not in the web request."""
    return int(settings.JALON_IMPORT_BACKGROUND_BYTES)


def prepare(org, filename: str, content: bytes, draft: PlanDraft | None = None,
            progress=None) -> tuple[dict, bool, str]:
    """Read the file (unless ``draft`` is already its reading) and apply the organization's
    profile for its headers.  Returns the preview's payload fields, whether the bytes must be
    kept (a tabular file can be read again with another mapping) and a warning line (or "").
    Raises :class:`IngestError` (one line) for a file that cannot be read."""
    step = progress or (lambda done, label: None)
    if draft is None:
        step(1, _("Lecture du fichier"))
        draft = parse_bytes(filename, content, max_bytes=max_bytes())
    profile, warning = None, ""
    if draft.columns:  # a tabular source: the organization's profile for these headers
        profile = profiles.profile_for(org, draft.columns)
        if profile is not None:
            step(2, _("Application du profil « %(name)s »") % {"name": profile.name})
            try:
                draft = parse_bytes(filename, content, max_bytes=max_bytes(),
                                    mapping=profile.mapping, mapping_source="profile")
            except IngestError as exc:
                warning = _("Profil « %(name)s » non appliqué : %(error)s") % {
                    "name": profile.name, "error": exc}
                profile = None
    step(3, _("Préparation de l’aperçu"))
    data = import_edits.tree_order(draft).to_dict()  # parents before children
    return ({"draft": data, "original": data, "edits": [],
             "profile": profile.name if profile else "", "profile_changed": False},
            bool(draft.columns), warning)


def run(token: str) -> None:
    """The task body: read the upload ``token`` and leave its preview ready, or its one-line
    error (never raises for bad input; nothing is written to the database)."""
    from jalon.plans.models import Organization

    payload = upload_store.read_for_task(token)
    if payload is None or payload.get("status") != QUEUED:
        return  # cancelled, pruned, or already read

    def progress(done: int, label: str) -> None:
        payload.update(status=RUNNING, done=done, total=STEPS, step=label[:200])
        upload_store.write_for_task(token, payload)

    with translation.override(payload.get("language") or settings.LANGUAGE_CODE):
        try:
            data = upload_store.read_bytes_for_task(token)
            if data is None:
                raise IngestError(_("Le fichier n'est plus disponible : importez-le à nouveau."),
                                  file=payload.get("filename", ""))
            org = Organization.objects.get(pk=payload["org"])
            fields, keep, warning = prepare(org, payload.get("filename", ""), data,
                                            progress=progress)
        except IngestError as exc:
            _fail(token, payload, str(exc))
            return
        except Exception as exc:  # the page says what went wrong; the log keeps the trace
            log.exception("import of upload %s failed", token)
            from jalon.reports.jobs import one_line

            _fail(token, payload, _("Le fichier n'a pas pu être lu : %(why)s") % {
                "why": one_line(exc)})
            return
    payload.update(fields, status=READY, done=STEPS, total=STEPS, step="", warning=warning)
    upload_store.write_for_task(token, payload)
    if not keep:
        upload_store.discard_bytes_for_task(token)


def _fail(token: str, payload: dict, message: str) -> None:
    payload.update(status=FAILED, error=" ".join(message.split())[:300], step="")
    upload_store.write_for_task(token, payload)
    upload_store.discard_bytes_for_task(token)


def stalled(payload: dict) -> bool:
    return (payload.get("status") == QUEUED
            and time.time() - (payload.get("queued_at") or time.time()) > STALLED_AFTER)


def percent(payload: dict) -> int:
    if payload.get("status") == READY:
        return 100
    total = payload.get("total") or 0
    return round(100 * (payload.get("done") or 0) / total) if total else 0
