"""jalon import FILE: parse a document and save it as a plan (or --dry-run to see the parse)."""

from __future__ import annotations

import json
import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from jalon.ingest import IngestError, parse_path
from jalon.orgadmin import profiles
from jalon.orgadmin.models import ImportProfile
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
        parser.add_argument("--profile", metavar="NOM",
                            help="appliquer un profil d'import enregistré (correspondance des "
                                 "colonnes) ; --org si plusieurs organisations ont ce nom")
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                            help="langue des messages (fr, nl, en) ; par défaut celle de "
                                 "LC_ALL / LC_MESSAGES / LANG, sinon le français")

    def handle(self, *args, **opts):
        """Every error is one line on stderr (exit 2), never a traceback, in the language of
        ``--language`` or of the environment (``LANG=nl_BE.UTF-8``)."""
        with translation.override(command_language(opts.get("language"))):
            self._run(opts)

    def _run(self, opts):
        try:
            self._handle(**opts)
        except CommandError:
            raise
        except (IngestError, ValueError, ArithmeticError, OSError, DatabaseError) as exc:
            self.stderr.write(f"{opts['file']}: {exc}".splitlines()[0])
            sys.exit(2)

    def _handle(self, **opts):
        org = None
        if opts["org"]:
            org = Organization.objects.filter(slug=opts["org"]).first()
            if org is None:
                raise CommandError(_("organisation inconnue : %(org)s") % {"org": opts["org"]})
        profile = self._profile(opts["profile"], org) if opts["profile"] else None
        try:
            draft = parse_path(opts["file"], layout=opts["layout"],
                               max_bytes=settings.JALON_IMPORT_MAX_BYTES,
                               mapping=profile.mapping if profile else None,
                               mapping_source="profile")
        except IngestError as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        if profile is not None:
            org = org or profile.organization
            if profiles.headers_of(draft.columns) != profile.headers:
                self.stderr.write(_("profil « %(name)s » : les en-têtes du fichier diffèrent de "
                                    "ceux du profil (appliqué aux colonnes communes)")
                                  % {"name": profile.name})
        if opts["json"]:
            self.stdout.write(json.dumps(draft.to_dict(), ensure_ascii=False, indent=2))
        if opts["dry_run"]:
            if not opts["json"]:
                self._report(draft, profile)
            return
        if opts["into"]:
            plan = Plan.objects.filter(pk=opts["into"]).first()
            if plan is None:
                raise CommandError(_("plan inconnu : %(plan)s") % {"plan": opts["into"]})
            diff = reimport(plan, draft)
            self.stdout.write(diff.summary())
            return
        with transaction.atomic():
            plan = load_draft(draft, org or organization_for(draft.organization or draft.title))
        if not opts["json"]:
            self._report(draft, profile)
            self.stdout.write(_("Plan %(id)s enregistré : %(title)s")
                              % {"id": plan.pk, "title": plan.title})

    def _profile(self, name: str, org):
        found = list(ImportProfile.objects.filter(name=name, **({"organization": org} if org
                                                                 else {}))
                     .select_related("organization")[:10])
        if not found:
            if org:
                raise CommandError(_("profil d'import inconnu dans %(org)s : %(name)s")
                                   % {"org": org.slug, "name": name})
            raise CommandError(_("profil d'import inconnu : %(name)s") % {"name": name})
        if len(found) > 1:
            slugs = ", ".join(sorted(p.organization.slug for p in found))
            raise CommandError(_("profil d'import « %(name)s » dans plusieurs organisations "
                                 "(%(orgs)s) : préciser --org") % {"name": name, "orgs": slugs})
        return found[0]

    def _report(self, draft, profile=None):
        self.stdout.write(_("%(file)s : mise en page « %(layout)s », %(n)s éléments")
                          % {"file": draft.source, "layout": draft.layout,
                             "n": len(draft.nodes)})
        if profile is not None:
            self.stdout.write("  " + _("profil « %(name)s » appliqué") % {"name": profile.name})
        if draft.structure:
            self.stdout.write("  " + _("structure : %(structure)s")
                              % {"structure": draft.structure})
        for col in draft.columns:
            self.stdout.write("  " + _("colonne %(n)s « %(header)s » → %(field)s (%(source)s)")
                              % {"n": col["index"] + 1, "header": col["header"],
                                 "field": col.get("field") or "—", "source": col["source"]})
        for level, count in draft.counts_per_level().items():
            self.stdout.write(f"  {level}: {count}")
        for w in draft.warnings:
            where = _("ligne %(n)s") % {"n": w.line} if w.line else "—"
            self.stdout.write("  ! " + _("%(where)s : %(message)s")
                              % {"where": where, "message": w.message})


def command_language(option: str | None) -> str:
    """``--language``, else the language of the environment (the first of ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG`` that is set, as POSIX reads them) when Jalon speaks it, else
    ``LANGUAGE_CODE`` (French)."""
    if option:
        return option
    known = {code for code, _name in settings.LANGUAGES}
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").strip()
        if value:
            code = value.split(".")[0].split("_")[0].lower()
            return code if code in known else settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE
