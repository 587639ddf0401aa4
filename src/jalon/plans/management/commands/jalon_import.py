"""jalon import FILE: parse a document and save it as a plan (or --dry-run to see the parse)."""

from __future__ import annotations

import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from jalon.ingest import IngestError, parse_path
from jalon.plans.loader import load_draft, organization_for
from jalon.plans.models import Organization, Plan
from jalon.plans.reimport import reimport


class Command(BaseCommand):
    help = "Importer un plan depuis un document (txt, pdf, docx, xlsx, ods, csv, json)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true",
                            help="analyser sans rien écrire")
        parser.add_argument("--json", action="store_true",
                            help="imprimer le plan analysé au format d'échange JSON")
        parser.add_argument("--org", help="identifiant (slug) de l'organisation")
        parser.add_argument("--layout", help="forcer une mise en page (nom de l'analyseur)")
        parser.add_argument("--into", type=int, metavar="PLAN_ID",
                            help="réimporter une nouvelle version dans ce plan (par code)")

    def handle(self, *args, **opts):
        """Every error is one line on stderr (exit 2), never a traceback."""
        try:
            self._handle(**opts)
        except CommandError:
            raise
        except (IngestError, ValueError, ArithmeticError, OSError, DatabaseError) as exc:
            self.stderr.write(f"{opts['file']}: {exc}".splitlines()[0])
            sys.exit(2)

    def _handle(self, **opts):
        try:
            draft = parse_path(opts["file"], layout=opts["layout"],
                               max_bytes=settings.JALON_IMPORT_MAX_BYTES)
        except IngestError as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        if opts["json"]:
            self.stdout.write(json.dumps(draft.to_dict(), ensure_ascii=False, indent=2))
        if opts["dry_run"]:
            if not opts["json"]:
                self._report(draft)
            return
        org = None
        if opts["org"]:
            org = Organization.objects.filter(slug=opts["org"]).first()
            if org is None:
                raise CommandError(f"organisation inconnue : {opts['org']}")
        if opts["into"]:
            plan = Plan.objects.filter(pk=opts["into"]).first()
            if plan is None:
                raise CommandError(f"plan inconnu : {opts['into']}")
            diff = reimport(plan, draft)
            self.stdout.write(diff.summary())
            return
        with transaction.atomic():
            plan = load_draft(draft, org or organization_for(draft.organization or draft.title))
        if not opts["json"]:
            self._report(draft)
            self.stdout.write(f"Plan {plan.pk} enregistré : {plan.title}")

    def _report(self, draft):
        self.stdout.write(f"{draft.source}: mise en page « {draft.layout} », "
                          f"{len(draft.nodes)} éléments")
        for level, count in draft.counts_per_level().items():
            self.stdout.write(f"  {level}: {count}")
        for w in draft.warnings:
            where = f"ligne {w.line}" if w.line else "—"
            self.stdout.write(f"  ! {where}: {w.message}")
