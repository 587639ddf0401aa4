"""Load the demo: the five seed documents through the importer, and a demo account."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from jalon.accounts.models import Membership, Role
from jalon.demo.followup import add_followup
from jalon.ingest import parse_path
from jalon.plans.loader import load_draft
from jalon.plans.models import Organization, Plan
from jalon.plans.reimport import reimport
from jalon.tracking.services import budget_from_plan

DEMO_DIR = Path(__file__).resolve().parent
DEMO_USER, DEMO_PASSWORD = "demo", "demo-jalon"


def manifest() -> list[dict]:
    return json.loads((DEMO_DIR / "manifest.json").read_text(encoding="utf-8"))["plans"]


@transaction.atomic
def load_demo(say: Callable[[str], None] = print) -> list[Plan]:
    plans = []
    user, created = User.objects.get_or_create(username=DEMO_USER,
                                               defaults={"email": "demo@example.org"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    for entry in manifest():
        draft = parse_path(DEMO_DIR / "seeds" / entry["file"])
        org, _ = Organization.objects.update_or_create(
            slug=entry["slug"], defaults={"name": entry["organization"], "kind": entry["kind"],
                                          "languages": ["fr"]})
        plan = Plan.objects.filter(organization=org, source_document=draft.source).first()
        if plan is None:
            draft.published = entry.get("published", False)
            plan = load_draft(draft, org)
            say(f"{org.name}: {plan.title} — {plan.nodes.count()} éléments importés "
                f"({draft.layout}, {len(draft.warnings)} avertissements)")
        else:
            report = reimport(plan, draft)
            say(f"{org.name}: {plan.title} — mis à jour : {report.summary().splitlines()[0]}")
        budget_from_plan(plan)  # plans loaded before budget lines were made from amounts
        followup = add_followup(plan)
        say(f"  suivi : {followup.get('series', 0)} mesures tirées du document, "
            f"{followup.get('targets', 0)} cibles, {followup.get('journal', 0)} avancements "
            f"imprimés, {followup.get('invented', 0)} données inventées (signalées comme telles)")
        Membership.objects.get_or_create(user=user, organization=org, role=Role.ORG_ADMIN)
        plans.append(plan)
    return plans
