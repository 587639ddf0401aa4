"""The public page of a published plan: readable without an account, never a hidden field,
never an unpublished plan."""

import re

import pytest
from django.urls import reverse
from public_markers import MARKERS

from jalon.reports import services
from jalon.reports.models import Evaluation

ALL_HIDDEN = ["owners", "team", "mandataires", "departments", "partners", "steering", "risks",
              "deliverables", "description", "comment", "budget", "dates", "indicators",
              "fte", "assessments", "progress"]


def page_of(client, plan, org=None) -> str:
    response = client.get(reverse("public_plan", args=[org or plan.organization.slug, plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_anyone_reads_the_plan_its_progress_and_latest_validated_evaluation(client, published):
    page = page_of(client, published.plan)
    assert "PST Amay" in page and "Rénover l&#x27;accueil" in page and "Former le personnel" in page
    assert "avancement 40 %" in page and "En cours" in page
    assert "Évaluation à mi-parcours" in page and "31/12/2023" in page
    assert "Le plan avance comme prévu." in page and MARKERS["assessments"] in page
    for word in MARKERS.values():  # nothing is hidden yet
        assert word in page, word


def test_a_draft_or_submitted_evaluation_is_never_shown(client, published):
    draft = services.create_evaluation(published.plan, kind="final", overall="Brouillon-Nu")
    services.submit(services.create_evaluation(published.plan, kind="annual",
                                               overall="Soumise-Nu"))
    page = page_of(client, published.plan)
    assert "Brouillon-Nu" not in page and "Soumise-Nu" not in page
    assert Evaluation.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("field", [f for f in MARKERS if f not in {"start_text", "end_text"}]
                         + ["start_text", "end_text"])
def test_a_hidden_field_is_never_shown(client, published, field):
    published.plan.hidden_fields = [field]
    published.plan.save()
    marker = MARKERS[field]
    urls = [reverse(name, args=[published.org.slug, published.plan.pk])
            for name in ("public_plan", "public_data_csv", "public_data_json")]
    for url in urls:
        body = client.get(url).content.decode()
        assert marker not in body, (field, url)
    others = [w for f, w in MARKERS.items() if f != field]
    page = page_of(client, published.plan)
    assert all(w in page for w in others)  # only that field went


def test_a_hidden_budget_leaves_no_amount_anywhere(client, published):
    urls = [reverse(name, args=[published.org.slug, published.plan.pk])
            for name in ("public_plan", "public_data_csv", "public_data_json")]
    bodies = [client.get(u).content.decode() for u in urls]
    assert "987.654,32 €" in bodies[0] and "987654.32" in bodies[1] and "987654.32" in bodies[2]
    published.plan.hidden_fields = ["budget"]
    published.plan.save()
    for url in urls:
        body = client.get(url).content.decode()
        assert "987" not in body and "FEDER" not in body and "budget" not in body.lower()


def test_hiding_everything_leaves_codes_titles_and_status(client, published):
    published.plan.hidden_fields = ALL_HIDDEN
    published.plan.save()
    page = page_of(client, published.plan)
    for word in MARKERS.values():
        assert word not in page
    for hidden_number in ("987.654,32", "987654", "3,75", "40 %", "71"):
        # (a number alone: the plan's id in the links may hold the same digits)
        assert not re.search(rf"(?<![\d.,]){re.escape(hidden_number)}(?![\d.,])", page)
    assert "Rénover l&#x27;accueil" in page and "En cours" in page
    assert "Le plan avance comme prévu." in page  # the overall text stays


def test_an_unpublished_plan_does_not_exist_publicly(client, published):
    plan = published.plan
    plan.published = False
    plan.save()
    client.force_login(published.org_admin)  # even for its own members, on the public side
    for name in ("public_plan", "public_data_csv", "public_data_json"):
        assert client.get(reverse(name, args=[plan.organization.slug, plan.pk])).status_code == 404
    assert "PST Amay" not in client.get(reverse("public_index")).content.decode()
    assert "PST Amay" not in client.get(reverse("public_catalog")).content.decode()


def test_the_plan_must_belong_to_the_organization_in_the_address(client, published):
    published.other_plan.published = True
    published.other_plan.save()
    url = reverse("public_plan", args=[published.org.slug, published.other_plan.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("public_plan", args=["nope", published.plan.pk])).status_code == 404


def test_the_index_lists_published_plans_only(client, published):
    page = client.get(reverse("public_index")).content.decode()
    assert "PST Amay" in page and "PST Bree" not in page


def test_the_page_has_landmarks_headings_and_table_alternatives(client, published):
    page = page_of(client, published.plan)
    assert '<html lang="fr">' in page
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in page
    assert page.count("<h1") == 1 and "<h2" in page
    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert page.count("<caption>") >= 3 and 'scope="col"' in page
    assert "style=" not in page  # a strict Content-Security-Policy holds


def test_the_number_of_queries_does_not_grow_with_the_plan(client, published,
                                                           django_assert_num_queries):
    from jalon.plans.models import Node

    url = reverse("public_plan", args=[published.org.slug, published.plan.pk])
    # plan, snapshot (11), latest validated evaluation, the organization's licence
    with django_assert_num_queries(14):
        client.get(url)
    for i in range(20):
        Node.objects.create(plan=published.plan, parent=published.root, depth=1,
                            position=10 + i, code=f"1.{10 + i}", title=f"Action {i}")
    with django_assert_num_queries(14):
        client.get(url)
