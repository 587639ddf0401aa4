"""``jalon_report PLAN --format pdf|docx|xlsx|ods [--evaluation ID] -o FILE``

Produces a council document for a plan (its situation today, or at ``--as-of``) or for one of
its evaluations, printing its progress as it goes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jalon.plans.models import Plan
from jalon.reports.models import SECTIONS, Evaluation
from jalon.reports.renderers import FORMATS, filename, render


class Command(BaseCommand):
    help = "Produire le document d'un plan ou d'une évaluation (PDF, DOCX, XLSX, ODS)."

    def add_arguments(self, parser):
        parser.add_argument("plan", type=int, help="identifiant du plan")
        parser.add_argument("--format", "-f", choices=sorted(FORMATS), default="pdf")
        parser.add_argument("--evaluation", "-e", type=int,
                            help="identifiant d'une évaluation du plan (sinon : situation "
                                 "actuelle)")
        parser.add_argument("--as-of", help="situation à cette date (jj/mm/aaaa ou aaaa-mm-jj), "
                                            "sans --evaluation")
        parser.add_argument("--sections", help=f"sections, séparées par des virgules "
                                               f"(défaut : toutes : {','.join(SECTIONS)})")
        parser.add_argument("--output", "-o", help="fichier produit (défaut : nom du plan)")

    def handle(self, *args, **opts):
        plan = Plan.objects.select_related("organization").filter(pk=opts["plan"]).first()
        if plan is None:
            raise CommandError(f"plan {opts['plan']} introuvable")
        obj: Plan | Evaluation = plan
        if opts["evaluation"]:
            obj = Evaluation.objects.filter(pk=opts["evaluation"], plan=plan).first()
            if obj is None:
                raise CommandError(f"évaluation {opts['evaluation']} introuvable pour ce plan")
        as_of = _date(opts["as_of"]) if opts["as_of"] else None
        fmt = opts["format"]
        out = Path(opts["output"] or filename(obj, fmt))

        def progress(done: int, total: int, label: str) -> None:
            self.stdout.write(f"[{done:>3}/{total}] {label}")
            self.stdout.flush()

        try:
            data = render(obj, fmt, sections=opts["sections"], as_of=as_of, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        out.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{out} ({len(data) // 1024} ko)"))


def _date(text: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"date illisible : {text!r} (attendu : jj/mm/aaaa)")
