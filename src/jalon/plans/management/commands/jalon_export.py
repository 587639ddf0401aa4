"""jalon export PLAN --format json|xlsx|docx|csv [-o FILE]."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from jalon.ingest.interchange import dump_json
from jalon.plans.loader import plan_to_draft
from jalon.plans.models import Plan

FORMATS = ("json", "xlsx", "docx", "csv", "ods")


class Command(BaseCommand):
    help = "Exporter un plan (json, xlsx, docx, csv, ods)."

    def add_arguments(self, parser):
        parser.add_argument("plan", type=int, help="numéro du plan")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("-o", "--output", help="fichier de sortie (défaut : sortie standard)")

    def handle(self, *args, **opts):
        plan = Plan.objects.filter(pk=opts["plan"]).first()
        if plan is None:
            raise CommandError(f"plan inconnu : {opts['plan']}")
        data = render(plan_to_draft(plan), opts["format"])
        if opts["output"]:
            mode = "w" if isinstance(data, str) else "wb"
            with open(opts["output"], mode, encoding="utf-8" if mode == "w" else None) as fh:
                fh.write(data)
        elif isinstance(data, str):
            self.stdout.write(data)
        else:
            sys.stdout.buffer.write(data)


def render(draft, fmt: str) -> str | bytes:
    if fmt == "json":
        return dump_json(draft)
    from jalon.ingest import writers

    return {"xlsx": writers.draft_to_xlsx, "docx": writers.draft_to_docx,
            "csv": writers.draft_to_csv, "ods": writers.draft_to_ods}[fmt](draft)
