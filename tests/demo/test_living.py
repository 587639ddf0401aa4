"""The demo shows living plans: journals spread over the plans' years, statuses a coordinator
sets, evaluations prepared by one person and validated by another, and an invented current plan
where the demo account has work in every state — computed from the day of loading."""

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from jalon.demo import living
from jalon.demo.followup import INVENTED
from jalon.demo.life import INVENTED_NOTE, live
from jalon.demo.loader import DEMO_DIR, demo_users, evaluate, set_status
from jalon.plans.models import Node, Organization, Plan
from jalon.tracking.models import BudgetLine, Measurement, ProgressUpdate
from jalon.tracking.reminders import reminders_for

TODAY = dt.date(2026, 12, 4)


def small_plan(org, title="PST 2019-2024", start=2019, end=2024, published=False) -> Plan:
    plan = Plan.objects.create(organization=org, title=title, period_start=start,
                               period_end=end, published=published)
    root = Node.objects.create(plan=plan, code="1", title="Objectif")
    for i, (s, e) in enumerate([("2019", "2020"), ("2020", "2021"), ("2021", "2022"),
                                ("2022", "2024"), ("2019", "2024"), ("2023", "2023")]):
        n = Node(plan=plan, parent=root, depth=1, position=i, code=f"1.{i + 1}",
                 title=f"Action {i + 1}", start_text=s, end_text=e)
        from jalon.plans.services import apply_dates
        apply_dates(n, start)
        n.save()
    return plan


def journal(plan):
    return list(ProgressUpdate.objects.filter(node__plan=plan).order_by(
        "node__code", "date").values_list("node__code", "date", "status", "progress", "health"))


def test_an_ended_plans_journal_spreads_over_its_years_and_is_labelled(db):
    org = Organization.objects.create(name="CPAS fictif", slug="fictif")
    plan = small_plan(org)
    made = live(plan, TODAY)
    entries = ProgressUpdate.objects.filter(node__plan=plan)
    assert made == entries.count() > 6
    years = {u.date.year for u in entries}
    assert min(years) == 2019 and max(years) <= 2024 and len(years) >= 4
    assert all(u.demo and u.text.endswith(INVENTED_NOTE) for u in entries)
    for node in plan.nodes.filter(children__isnull=True):  # its state is its latest entry
        latest = node.updates.order_by("-date", "-created").first()
        assert (node.status, node.progress) == (latest.status, latest.progress)
    assert {u.status for u in entries} <= {"in_progress", "done", "stopped"}
    assert live(plan, TODAY) == 0  # once: a second load adds nothing


def test_the_same_day_gives_the_same_journal(db):
    a = small_plan(Organization.objects.create(name="A", slug="a"))
    b = small_plan(Organization.objects.create(name="B", slug="b"))
    live(a, TODAY)
    live(b, TODAY)
    assert journal(a) == journal(b)


def test_plans_get_the_status_and_evaluation_a_coordinator_gives_them(db):
    demo, writer = demo_users()
    org = Organization.objects.create(name="CPAS fictif", slug="fictif")
    from jalon.accounts.models import Membership, Role
    Membership.objects.create(user=demo, organization=org, role=Role.ORG_ADMIN)
    Membership.objects.create(user=writer, organization=org, role=Role.PLAN_EDITOR)
    ended = small_plan(org, published=True)
    running = small_plan(org, title="PS 2023-2028", start=2023, end=2028)
    live(ended, TODAY)
    assert set_status(ended, TODAY).status == "closed"
    assert set_status(running, TODAY).status == "adopted"
    final = evaluate(ended, TODAY, writer=writer, validator=demo)
    assert (final.kind, final.as_of, final.status) == ("final", dt.date(2024, 12, 31),
                                                       "validated")
    assert (final.submitted_by, final.validated_by) == (writer, demo)
    assert final.public_since is not None  # published with the plan
    nodes = {n["code"]: n for n in final.snapshot["nodes"]}
    assert any(n["progress"] for n in nodes.values())  # the journal as it stood then
    latest = evaluate(running, TODAY, writer=writer, validator=demo)
    assert (latest.kind, latest.as_of) == ("annual", dt.date(2025, 12, 31))
    assert latest.public_since is None  # the plan is not published
    assert evaluate(ended, TODAY, writer=writer, validator=demo) is None  # once
    assert not Plan.objects.filter(status="draft", published=True).exists()


@pytest.fixture
def invented(db):
    today = timezone.localdate()
    demo, writer = demo_users()
    plan = living.build(DEMO_DIR / "seeds", demo, writer, today)
    return plan, demo, today


def test_the_invented_plan_is_current_labelled_and_alive(invented):
    plan, demo, today = invented
    assert "inventé" in plan.title and "fictive" in plan.organization.name
    assert (plan.period_start, plan.period_end, plan.status, plan.published) == (
        2025, 2031, "adopted", True)
    dates = list(ProgressUpdate.objects.filter(node__plan=plan).values_list("date", flat=True))
    assert min(dates) >= dt.date(2025, 1, 1) and max(dates) <= today
    assert len({(d.year, (d.month - 1) // 3) for d in dates}) >= 4  # spread over quarters
    statuses = Counter(plan.nodes.filter(children__isnull=True).values_list("status", flat=True))
    assert statuses["done"] and statuses["in_progress"] and statuses["not_started"]
    spent = BudgetLine.objects.filter(node__plan=plan, spent__gt=0, year__lte=today.year)
    assert spent.exists()
    assert Measurement.objects.filter(indicator__node__plan=plan, source=INVENTED).count() >= 10


def test_the_demo_account_owns_actions_in_every_state(invented):
    plan, demo, today = invented
    mine = Node.objects.filter(plan=plan, owners__user=demo)
    assert mine.count() >= 6
    kinds = {r.kind for r in reminders_for(demo, today)}
    assert {"overdue", "due_soon", "no_update", "stale", "off_target"} <= kinds
    health = {n.updates.order_by("-date").first().health
              for n in mine if n.updates.exists()}
    assert {"at_risk", "blocked", "on_track"} <= health
    assert mine.filter(status="done").exists()
    assert any(n.end_date == today + dt.timedelta(days=10) for n in mine)  # from today
    assert not User.objects.get(username="redaction-demo").has_usable_password()
