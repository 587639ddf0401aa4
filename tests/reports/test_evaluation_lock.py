"""A validated evaluation cannot be changed by any route: corrections are a new version."""

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from jalon.plans.services import update_node
from jalon.reports import services
from jalon.reports.models import Evaluation, EvaluationLocked

AS_OF = dt.date(2023, 12, 31)


@pytest.fixture
def validated(followed):
    w = followed
    e = services.create_evaluation(w.plan, kind="mid_term", as_of=AS_OF, by=w.editor,
                                   overall="Bon départ")
    services.submit(e, by=w.editor)
    e = services.validate(e, by=w.org_admin)
    return e


def stored(e: Evaluation) -> dict:
    return Evaluation.objects.filter(pk=e.pk).values(
        "status", "overall", "assessments", "snapshot", "kind", "as_of", "version").get()


def test_it_refuses_a_model_save(validated):
    before = stored(validated)
    validated.overall = "Réécrit"
    with pytest.raises(EvaluationLocked):
        validated.save()
    with pytest.raises(EvaluationLocked):
        validated.save(update_fields=["overall"])
    # even a stale in-memory copy that still says «submitted»
    stale = Evaluation.objects.get(pk=validated.pk)
    stale.status = Evaluation.Status.SUBMITTED
    with pytest.raises(EvaluationLocked):
        stale.save()
    assert stored(validated) == before


def test_it_refuses_a_model_delete(validated):
    with pytest.raises(EvaluationLocked):
        validated.delete()
    assert Evaluation.objects.filter(pk=validated.pk).exists()


def test_it_refuses_queryset_update_delete_and_bulk_update(validated):
    before = stored(validated)
    with pytest.raises(EvaluationLocked):
        Evaluation.objects.filter(pk=validated.pk).update(overall="x")
    with pytest.raises(EvaluationLocked):
        Evaluation.objects.update(overall="x")
    with pytest.raises(EvaluationLocked):
        Evaluation.objects.filter(plan=validated.plan).delete()
    validated.overall = "x"
    with pytest.raises(EvaluationLocked):
        Evaluation.objects.bulk_update([validated], ["overall"])
    assert stored(validated) == before


def test_drafts_stay_editable_by_queryset(validated, followed):
    draft = services.create_evaluation(followed.plan, as_of=AS_OF)
    assert Evaluation.objects.filter(pk=draft.pk).update(overall="ok") == 1


@pytest.mark.parametrize("sql", [
    "UPDATE reports_evaluation SET overall = 'raw' WHERE id = %s",
    "UPDATE reports_evaluation SET status = 'draft' WHERE id = %s",
    "DELETE FROM reports_evaluation WHERE id = %s",
])
def test_the_database_refuses_raw_sql(validated, sql):
    if sql.startswith("DELETE") and connection.vendor != "postgresql":
        pytest.skip("SQLite empties tables with DELETE (flush): only PostgreSQL has a DELETE "
                    "trigger (see reports/migrations/0002)")
    before = stored(validated)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [validated.pk])
    assert stored(validated) == before


@pytest.mark.parametrize("call", [
    lambda e, u: services.set_assessment(e, "x", by=u),
    lambda e, u: services.set_assessment(e, "x", code="1.1", by=u),
    lambda e, u: services.save_assessments(e, overall="x", items={"1": "y"}, by=u),
    lambda e, u: services.submit(e, by=u),
    lambda e, u: services.validate(e, by=u),
    lambda e, u: services.return_to_draft(e, by=u),
    lambda e, u: services.retake_snapshot(e, by=u),
])
def test_every_service_refuses(validated, followed, call):
    before = stored(validated)
    with pytest.raises(EvaluationLocked):
        call(validated, followed.site_admin)
    assert stored(validated) == before


def test_changing_or_reimporting_the_plan_leaves_the_snapshot_alone(validated, followed):
    from jalon.plans.loader import plan_to_draft
    from jalon.plans.reimport import reimport

    before = stored(validated)
    update_node(followed.action, {"title": "Nouveau titre"})
    draft = plan_to_draft(followed.plan)
    draft.nodes = [n for n in draft.nodes if n.code != "1.2"]
    reimport(followed.plan, draft)
    assert stored(validated) == before
    assert {n["title"] for n in before["snapshot"]["nodes"]} >= {"Rénover l'accueil"}


def test_the_plan_and_the_validating_user_cannot_be_deleted(validated, followed):
    with pytest.raises(ProtectedError):
        followed.plan.delete()
    with pytest.raises(ProtectedError):
        followed.org.delete()
    with pytest.raises(ProtectedError):
        followed.org_admin.delete()
    assert Evaluation.objects.filter(pk=validated.pk).exists()


def test_a_plan_with_only_drafts_can_be_deleted(followed):
    services.create_evaluation(followed.plan, as_of=AS_OF, by=followed.editor)
    followed.plan.delete()
    assert not Evaluation.objects.exists()


def test_a_correction_is_a_new_version(validated, followed):
    before = stored(validated)
    v2 = services.new_version(validated, by=followed.editor)
    assert (v2.version, v2.supersedes_id, v2.status) == (2, validated.pk, "draft")
    assert v2.snapshot == before["snapshot"] and v2.overall == "Bon départ"
    services.set_assessment(v2, "Corrigé", by=followed.editor)
    assert stored(validated) == before
    with pytest.raises(services.TransitionError):
        services.new_version(validated, by=followed.editor)  # correct the latest instead
    with pytest.raises(services.TransitionError):
        services.new_version(v2, by=followed.editor)  # a draft is simply edited


def test_the_admin_is_read_only_once_validated(client, validated, followed):
    client.force_login(followed.site_admin)
    url = reverse("admin:reports_evaluation_change", args=[validated.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="overall"' not in page.content
    response = client.post(url, {"kind": "final", "as_of": "2024-01-01", "overall": "admin",
                                 "assessments": "{}"})
    assert response.status_code == 403
    response = client.post(reverse("admin:reports_evaluation_delete", args=[validated.pk]),
                           {"post": "yes"})
    assert response.status_code == 403
    response = client.post(reverse("admin:reports_evaluation_changelist"),
                           {"action": "delete_selected", "_selected_action": [validated.pk],
                            "post": "yes"})
    assert Evaluation.objects.filter(pk=validated.pk).exists()
    assert stored(validated)["overall"] == "Bon départ"


def test_the_admin_still_edits_a_draft(client, followed):
    draft = services.create_evaluation(followed.plan, as_of=AS_OF)
    client.force_login(followed.site_admin)
    url = reverse("admin:reports_evaluation_change", args=[draft.pk])
    response = client.post(url, {"kind": "annual", "as_of": "2023-12-31",
                                 "overall": "par l'admin", "assessments": "{}"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.overall == "par l'admin"


def test_no_web_view_changes_it(client, validated, followed):
    before = stored(validated)
    for user in (followed.editor, followed.org_admin, followed.site_admin):
        client.force_login(user)
        response = client.post(reverse("evaluation_detail", args=[validated.pk]),
                               {"overall": "par le web"})
        assert response.status_code == 403
        for action in ("submit", "reopen", "validate", "refresh"):
            response = client.post(reverse("evaluation_transition", args=[validated.pk, action]))
            assert response.status_code == 403
    assert stored(validated) == before
