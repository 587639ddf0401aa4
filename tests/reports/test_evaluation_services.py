"""The evaluation workflow: draft → submitted → validated, who may do what, and the audit."""

import datetime as dt

import pytest

from jalon.reports import services
from jalon.reports.models import Evaluation
from jalon.reports.rules import may
from jalon.tracking.services import post_update


def test_create_takes_a_snapshot_at_the_date(followed):
    e = services.create_evaluation(followed.plan, kind="annual", as_of=dt.date(2023, 12, 31),
                                   by=followed.editor)
    assert (e.status, e.version, e.created_by) == ("draft", 1, followed.editor)
    assert e.snapshot["as_of"] == "2023-12-31"
    with pytest.raises(ValueError):
        services.create_evaluation(followed.plan, kind="weekly")


def test_a_draft_can_be_refreshed_then_not_once_submitted(followed):
    e = services.create_evaluation(followed.plan, as_of=dt.date(2024, 12, 31))
    post_update(followed.hr_action, date=dt.date(2024, 5, 1), progress=90)
    e = services.retake_snapshot(e)
    assert next(n for n in e.snapshot["nodes"] if n["code"] == "1.2")["progress"] == 90
    services.submit(e)
    with pytest.raises(services.TransitionError):
        services.retake_snapshot(e)


def test_assessments_are_kept_per_item_and_unknown_items_refused(followed):
    e = services.create_evaluation(followed.plan)
    e = services.save_assessments(e, overall=" Bilan ", items={"1.1": "Fait", "1.2": ""})
    assert (e.overall, e.assessments) == ("Bilan", {"1.1": "Fait"})
    e = services.set_assessment(e, "", code="1.1")
    assert e.assessments == {}
    with pytest.raises(ValueError):
        services.set_assessment(e, "x", code="9.9")


def test_the_steps_go_in_order(followed):
    e = services.create_evaluation(followed.plan)
    with pytest.raises(services.TransitionError):
        services.validate(e)
    e = services.submit(e, by=followed.editor)
    with pytest.raises(services.TransitionError):
        services.submit(e)
    e = services.return_to_draft(e)
    e = services.validate(services.submit(e), by=followed.org_admin)
    assert e.status == "validated" and e.validated_by == followed.org_admin
    assert e.validated_at is not None


def test_every_step_is_in_the_audit_trail_with_its_author(followed):
    e = services.create_evaluation(followed.plan, by=followed.editor)
    services.submit(e, by=followed.editor)
    services.validate(e, by=followed.org_admin)
    history = list(Evaluation.history.filter(id=e.pk).order_by("history_date"))
    assert [(h.status, h.history_user) for h in history] == [
        ("draft", followed.editor), ("submitted", followed.editor),
        ("validated", followed.org_admin)]


def test_who_may_do_what(followed):
    w = followed
    e = services.create_evaluation(w.plan)
    assert may(w.editor, "change", e) and may(w.editor, "submit", e)
    assert not may(w.editor, "validate", e) and may(w.org_admin, "validate", e)
    assert not may(w.reader, "change", e) and w.reader.has_perm("reports.view_evaluation", e)
    assert not w.outsider.has_perm("reports.view_evaluation", e)
    e = services.validate(services.submit(e, by=w.editor), by=w.org_admin)
    for user in (w.editor, w.org_admin, w.site_admin):
        assert not may(user, "change", e) and not may(user, "validate", e)
    assert may(w.editor, "correct", e) and not may(w.reader, "correct", e)


def test_the_latest_validated_evaluation_is_the_newest_version(followed):
    e = services.validate(services.submit(services.create_evaluation(
        followed.plan, kind="final", as_of=dt.date(2024, 12, 31))), by=followed.org_admin)
    assert services.latest_validated(followed.plan) == e
    v2 = services.validate(services.submit(services.new_version(e)), by=followed.org_admin)
    assert services.latest_validated(followed.plan) == v2
