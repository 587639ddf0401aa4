"""Re-importing a newer version matches nodes by code and reports the differences."""

import pytest

from jalon.ingest.draft import PlanDraft
from jalon.plans.loader import load_draft
from jalon.plans.models import Node
from jalon.plans.reimport import reimport
from jalon.tracking.services import post_update


def version(extra_action=False, drop_b=False, retitle=False, move=False):
    d = PlanDraft(title="PST", organization="CPAS de Huy", period_start=2019, period_end=2024)
    d.add("Axe 1", code="1", line=1)
    d.add("Axe 2", code="2", line=2)
    d.add("Objectif A" + (" (révisé)" if retitle else ""), code="1.1", parent="1", line=3)
    if not drop_b:
        d.add("Objectif B", code="1.2", parent="1", line=4)
    d.add("Action A1", code="1.1.1", parent="2" if move else "1.1", line=5).set("end", "2022")
    if extra_action:
        d.add("Action A2", code="1.1.2", parent="1.1", line=6)
    return d.finish()


@pytest.mark.django_db
def test_it_reports_added_removed_changed_and_moved_without_duplicating():
    plan = load_draft(version())
    b = Node.objects.get(plan=plan, code="1.2")
    post_update(b, progress=30, text="suivi à garder")
    report = reimport(plan, version(extra_action=True, drop_b=True, retitle=True, move=True))
    assert report.added == ["1.1.2"]
    assert report.removed == ["1.2"]
    assert report.moved == ["1.1.1"]
    assert set(report.changed) == {"1.1"} and report.changed["1.1"] == ["title"]
    assert Node.objects.filter(plan=plan).count() == 6  # nothing duplicated
    b.refresh_from_db()
    assert b.status == Node.Status.LAPSED and b.updates.count() == 1  # follow-up kept
    moved = Node.objects.get(plan=plan, code="1.1.1")
    assert moved.parent.code == "2" and moved.depth == 1


@pytest.mark.django_db
def test_the_same_version_twice_changes_nothing():
    plan = load_draft(version())
    report = reimport(plan, version())
    assert (report.added, report.removed, report.changed, report.moved) == ([], [], {}, [])


@pytest.mark.django_db
def test_a_dry_run_reports_without_writing():
    plan = load_draft(version())
    report = reimport(plan, version(extra_action=True), dry_run=True)
    assert report.added == ["1.1.2"]
    assert not Node.objects.filter(plan=plan, code="1.1.2").exists()
