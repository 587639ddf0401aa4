"""Evaluations through the API follow the council's rules: another person validates, with a
role that may; publishing is its own step; members of the organization only."""

import pytest
from django.utils import translation

from jalon.reports import services
from jalon.reports.models import Evaluation


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture
def draft(world):
    return services.create_evaluation(world.plan, by=world.org_admin)


def status_of(e) -> str:
    return Evaluation.objects.values_list("status", flat=True).get(pk=e.pk)


def test_the_submitter_cannot_validate_through_the_api(world, api_as, draft):
    api = api_as(world.org_admin)
    r = api.post(f"/evaluations/{draft.pk}/submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert r.json()["submitted_by"] == "orgadmin"
    r = api.post(f"/evaluations/{draft.pk}/validate")
    assert r.status_code == 403 and status_of(draft) == "submitted"
    site = api_as(world.site_admin)  # every role, still not the right to validate this
    services.return_to_draft(draft)
    assert site.post(f"/evaluations/{draft.pk}/submit").status_code == 200
    assert site.post(f"/evaluations/{draft.pk}/validate").status_code == 403
    assert status_of(draft) == "submitted"


def test_validating_and_publishing_are_two_steps_with_their_rights(world, api_as, draft):
    services.submit(draft, by=world.editor)
    assert api_as(world.editor).post(f"/evaluations/{draft.pk}/validate").status_code == 403
    r = api_as(world.org_admin).post(f"/evaluations/{draft.pk}/validate")
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["validated_by"], r.json()["published_at"]) == (
        "validated", "orgadmin", None)
    assert api_as(world.editor).post(f"/evaluations/{draft.pk}/publish").status_code == 403
    r = api_as(world.org_admin).post(f"/evaluations/{draft.pk}/publish")
    assert r.status_code == 200 and r.json()["published_at"] is not None
    assert api_as(world.org_admin).post(f"/evaluations/{draft.pk}/publish").status_code == 403
    assert api_as(world.org_admin).post(f"/evaluations/{draft.pk}/withdraw").json()[
        "published_at"] is None


def test_members_list_them_others_do_not_see_them(world, api_as, draft):
    r = api_as(world.reader).get(f"/plans/{world.plan.pk}/evaluations")
    assert [e["id"] for e in r.json()] == [draft.pk]
    assert api_as(world.reader).post(f"/evaluations/{draft.pk}/submit").status_code == 403
    assert api_as(world.outsider).get(f"/evaluations/{draft.pk}").status_code == 404
    assert api_as(world.outsider).post(f"/evaluations/{draft.pk}/submit").status_code == 404
    assert api_as().get(f"/evaluations/{draft.pk}").status_code == 401
    assert api_as(world.org_admin).post(f"/evaluations/{draft.pk}/explode").status_code == 404
