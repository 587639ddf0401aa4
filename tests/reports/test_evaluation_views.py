"""Evaluation pages and document downloads: members only, one service call per action."""

import datetime as dt

import pytest
from django.urls import reverse

from jalon.reports import services
from jalon.reports.models import Evaluation
from jalon.tracking.services import post_update


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_anonymous_visitors_are_sent_to_login(client, followed):
    response = client.get(reverse("evaluation_list", args=[followed.plan.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_outsider_sees_nothing(client, followed):
    e = services.create_evaluation(followed.plan)
    client.force_login(followed.outsider)
    assert client.get(reverse("evaluation_list", args=[followed.plan.pk])).status_code == 404
    assert client.get(reverse("evaluation_detail", args=[e.pk])).status_code == 404
    assert client.get(reverse("plan_report", args=[followed.plan.pk, "pdf"])).status_code == 404
    assert client.get(reverse("evaluation_report", args=[e.pk, "pdf"])).status_code == 404


def test_a_published_plan_gives_no_internal_report_to_non_members(client, followed):
    followed.plan.published = True
    followed.plan.save()
    client.force_login(followed.outsider)
    assert client.get(reverse("plan_report", args=[followed.plan.pk, "xlsx"])).status_code == 404


def test_a_reader_sees_evaluations_but_cannot_create_one(client, followed,
                                                         django_assert_num_queries):
    services.create_evaluation(followed.plan, kind="annual", as_of=dt.date(2023, 12, 31))
    e = services.submit(services.create_evaluation(followed.plan, kind="final"))
    services.validate(e, by=followed.org_admin)
    client.force_login(followed.reader)
    url = reverse("evaluation_list", args=[followed.plan.pk])
    # session, user with their memberships (accounts.backends; their departments for
    # department editors only), plan, evaluations: not one more per evaluation
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    assert "Évaluation annuelle" in page and "31/12/2023" in page
    assert "Nouvelle évaluation" not in page
    assert client.post(url, {"kind": "final", "as_of": "2024-12-31"}).status_code == 403
    assert Evaluation.objects.count() == 2


def test_an_editor_creates_an_evaluation_with_its_snapshot(client, followed):
    client.force_login(followed.editor)
    response = client.post(reverse("evaluation_list", args=[followed.plan.pk]),
                           {"kind": "mid_term", "as_of": "31/12/2023"})
    e = Evaluation.objects.get()
    assert response["Location"] == reverse("evaluation_detail", args=[e.pk])
    assert (e.kind, e.as_of, e.created_by) == ("mid_term", dt.date(2023, 12, 31), followed.editor)
    assert [n["code"] for n in e.snapshot["nodes"]] == ["1", "1.1", "1.2"]


def test_the_whole_workflow_through_the_web(client, followed):
    e = services.create_evaluation(followed.plan, kind="final", as_of=dt.date(2024, 12, 31))
    node = {n["code"]: n["id"] for n in e.snapshot["nodes"]}
    detail = reverse("evaluation_detail", args=[e.pk])

    def act(action):
        return client.post(reverse("evaluation_transition", args=[e.pk, action]))

    client.force_login(followed.editor)
    client.post(detail, {"overall": "Objectifs atteints", f"a-{node['1.1']}": "Accueil rénové"})
    e.refresh_from_db()
    assert (e.overall, e.assessments) == ("Objectifs atteints", {"1.1": "Accueil rénové"})
    assert act("submit").status_code == 302
    assert act("validate").status_code == 403  # validating is for organization admins
    client.force_login(followed.org_admin)
    assert act("validate").status_code == 302
    e.refresh_from_db()
    assert e.status == "validated" and e.validated_by == followed.org_admin
    page = client.get(detail).content.decode()
    assert "Évaluation validée et verrouillée" in page and 'name="overall"' not in page
    client.force_login(followed.editor)
    response = act("correct")
    v2 = Evaluation.objects.get(supersedes=e)
    assert response["Location"] == reverse("evaluation_detail", args=[v2.pk])
    assert "remplacée par" in client.get(detail).content.decode()


def test_the_detail_page_compares_with_today_and_with_another_evaluation(client, followed):
    mid = services.create_evaluation(followed.plan, kind="mid_term", as_of=dt.date(2023, 12, 31))
    post_update(followed.hr_action, date=dt.date(2024, 3, 1), progress=55)
    final = services.create_evaluation(followed.plan, kind="final", as_of=dt.date(2024, 12, 31))
    client.force_login(followed.reader)
    url = reverse("evaluation_detail", args=[mid.pk])
    page = client.get(url, {"against": final.pk}).content.decode()
    assert "10 % → 55 %" in page
    page = client.get(url, {"against": "today"}).content.decode()
    assert "10 % → 55 %" in page
    page = client.get(reverse("evaluation_detail", args=[final.pk]),
                      {"against": "today"}).content.decode()
    assert "Aucun changement." in page


def test_a_document_downloads_from_one_link(client, followed):
    client.force_login(followed.reader)
    response = client.get(reverse("plan_report", args=[followed.plan.pk, "ods"]),
                          {"sections": ["cover", "actions"]}, follow=True)  # job, then file
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert response["Content-Disposition"].startswith('attachment; filename="pst-amay-')
    assert client.get(reverse("plan_report", args=[followed.plan.pk, "exe"])).status_code == 404
    assert client.get(reverse("plan_report", args=[followed.plan.pk, "pdf"]),
                      {"sections": ["nope"]}).status_code == 400
