"""Load the demo: the five seed documents through the importer, one invented current plan, and
the demo accounts.

The seeds are shown as the plans they are: ended ones closed, running ones adopted (a published
plan is never a draft), each with its journal spread over its years and its final (ended) or
latest annual (running) evaluation, prepared by one person and validated by another, and
published when the plan is.  The invented plan (``demo.living``) is followed up to the day of
loading.  Everything invented is labelled so; random choices are seeded, so a load is
reproducible for a given day.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from jalon.accounts.models import MEMBERSHIPS, Membership, Role
from jalon.demo import living
from jalon.demo.followup import add_followup
from jalon.ingest import parse_path
from jalon.plans.loader import load_draft
from jalon.plans.models import Organization, Plan
from jalon.plans.reimport import reimport
from jalon.plans.services import update_plan
from jalon.reports import services as evaluations
from jalon.reports.models import Evaluation
from jalon.tracking.services import budget_from_plan

DEMO_DIR = Path(__file__).resolve().parent
DEMO_USER, DEMO_PASSWORD = "demo", "demo-jalon"
# who prepares the demo's evaluations (the demo account validates them: two people)
WRITER = {"username": "redaction-demo", "first_name": "Camille",
          "last_name": "Lambert (personne fictive)"}
INVENTED_TEXT = "Texte inventé pour la démonstration."


def manifest() -> list[dict]:
    return json.loads((DEMO_DIR / "manifest.json").read_text(encoding="utf-8"))["plans"]


def demo_users() -> tuple[User, User]:
    user, created = User.objects.get_or_create(
        username=DEMO_USER, defaults={"email": "demo@example.org", "first_name": "Dominique",
                                      "last_name": "Demo"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    writer, created = User.objects.get_or_create(
        username=WRITER["username"], defaults={k: v for k, v in WRITER.items()
                                               if k != "username"})
    if created:
        writer.set_unusable_password()
        writer.save()
    return user, writer


@transaction.atomic
def load_demo(say: Callable[[str], None] = print, today: dt.date | None = None) -> list[Plan]:
    today = today or timezone.localdate()
    plans = []
    user, writer = demo_users()
    for entry in manifest():
        draft = parse_path(DEMO_DIR / "seeds" / entry["file"])
        org, _ = Organization.objects.update_or_create(
            slug=entry["slug"], defaults={"name": entry["organization"], "kind": entry["kind"],
                                          "languages": ["fr"]})
        Membership.objects.get_or_create(user=user, organization=org, role=Role.ORG_ADMIN)
        Membership.objects.get_or_create(user=writer, organization=org, role=Role.PLAN_EDITOR)
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
        followup = add_followup(plan, today=today)
        say(f"  suivi : {followup.get('series', 0)} mesures tirées du document, "
            f"{followup.get('targets', 0)} cibles, {followup.get('journal', 0)} avancements "
            f"imprimés, {followup.get('invented', 0)} données inventées (signalées comme telles)")
        plan = set_status(plan, today)
        evaluation = evaluate(plan, today, writer=writer, validator=user)
        if evaluation is not None:
            say(f"  {evaluation} : validée{' et publiée' if plan.published else ''}")
        plans.append(plan)
    plan = living.build(DEMO_DIR / "seeds", user, writer, today)
    evaluation = evaluate(plan, today, writer=writer, validator=user)
    say(f"{plan.organization.name}: {plan.title} — {plan.nodes.count()} éléments, suivi "
        f"jusqu'au {today:%d/%m/%Y}" + (f" ; {evaluation}" if evaluation else ""))
    plans.append(plan)
    return plans


def set_status(plan: Plan, today: dt.date) -> Plan:
    """Ended → closed; otherwise adopted (a seed is an adopted plan; a published plan is never a
    draft)."""
    ended = plan.period_end is not None and plan.period_end < today.year
    status = Plan.Status.CLOSED if ended else Plan.Status.ADOPTED
    if plan.status != status:
        plan = update_plan(plan, {"status": status})
    return plan


def evaluate(plan: Plan, today: dt.date, *, writer, validator) -> Evaluation | None:
    """The plan's final evaluation (ended) or its latest annual one (31/12 of last year),
    prepared by ``writer``, validated by ``validator``, published with the plan; none when the
    plan already has one or had not started by then."""
    if Evaluation.objects.filter(plan=plan).exists():
        return None
    for person in (writer, validator):  # roles are cached per request; this run adds some
        person.__dict__.pop(MEMBERSHIPS, None)
        person.__dict__.pop("_jalon_departments_read", None)
    ended = plan.period_end is not None and plan.period_end < today.year
    if ended:
        kind, as_of = Evaluation.Kind.FINAL, dt.date(plan.period_end, 12, 31)
    else:
        kind, as_of = Evaluation.Kind.ANNUAL, dt.date(today.year - 1, 12, 31)
        if plan.period_start and as_of.year < plan.period_start:
            return None
    e = evaluations.create_evaluation(plan, kind=kind, as_of=as_of, by=writer,
                                      overall=INVENTED_TEXT)
    e = evaluations.validate(evaluations.submit(e, by=writer), by=validator)
    if plan.published:
        evaluations.publish(e, by=validator)
    return e
