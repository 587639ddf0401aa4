"""Open data: CSV and JSON with stable identifiers, and the DCAT-AP catalogue."""

import csv
import io
import json

from django.urls import reverse

from jalon.plans.services import update_node


def get(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def test_the_csv_has_one_row_per_item_with_stable_identifiers(client, published):
    w = published
    response = get(client, "public_data_csv", w.org.slug, w.plan.pk)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["id"] for r in rows] == [f"amay/{w.plan.pk}/1", f"amay/{w.plan.pk}/1.1",
                                       f"amay/{w.plan.pk}/1.2"]
    action = rows[1]
    assert action["parent"] == f"amay/{w.plan.pk}/1" and action["code"] == "1.1"
    assert action["status"] == "in_progress" and action["progress"] == "40"
    assert action["budget_planned"] == "987654.32" and action["budget_spent"] == "1000"
    assert action["owners"] == "Owenna-Proprietaire"


def test_identifiers_survive_a_change_of_title_or_order(client, published):
    w = published
    before = get(client, "public_data_json", w.org.slug, w.plan.pk).json()
    update_node(w.action, {"title": "Autre titre"})
    after = get(client, "public_data_json", w.org.slug, w.plan.pk).json()
    assert [n["id"] for n in before["nodes"]] == [n["id"] for n in after["nodes"]]


def test_the_json_holds_the_plan_nodes_indicators_and_validated_evaluations(client, published):
    w = published
    data = get(client, "public_data_json", w.org.slug, w.plan.pk).json()
    assert data["organization"] == {"name": "CPAS de Amay", "slug": "amay"}
    assert data["plan"]["id"] == w.plan.pk and data["plan"]["title"] == "PST Amay"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    action = data["nodes"][1]
    assert action["indicators"][0]["latest"]["value"] == 71
    assert action["budget"]["2023"]["planned"] == 987654.32
    assert [e["kind"] for e in data["evaluations"]] == ["mid_term"]
    assert "id" not in action["indicators"][0]  # no database ids, only stable ones


def test_the_catalogue_describes_every_published_plan_in_dcat_ap(client, published):
    w = published
    w.other_plan.published = True
    w.other_plan.period_start, w.other_plan.period_end = 2020, 2025
    w.other_plan.save()
    response = get(client, "public_catalog")
    assert response["Content-Type"].startswith("application/ld+json")
    cat = json.loads(response.content)
    assert cat["@type"] == "dcat:Catalog" and cat["@context"]["dcat"].endswith("/dcat#")
    assert cat["dct:publisher"]["foaf:name"] == "Jalon"  # two organizations publish here
    datasets = {d["dct:identifier"]: d for d in cat["dcat:dataset"]}
    assert set(datasets) == {f"amay/{w.plan.pk}", f"bree/{w.other_plan.pk}"}
    d = datasets[f"amay/{w.plan.pk}"]
    assert d["@type"] == "dcat:Dataset" and d["dct:title"] == "PST Amay"
    assert d["dct:publisher"]["foaf:name"] == "CPAS de Amay"
    assert d["dct:temporal"]["dcat:startDate"]["@value"] == "2019-01-01"
    assert d["dct:temporal"]["dcat:endDate"]["@value"] == "2024-12-31"
    assert d["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert d["dct:modified"]["@value"][:4].isdigit()
    assert d["dcat:landingPage"]["@id"].endswith(f"/public/amay/{w.plan.pk}/")
    media = {x["dcat:mediaType"]["@id"].rsplit("/", 1)[-1]: x["dcat:downloadURL"]["@id"]
             for x in d["dcat:distribution"]}
    assert media == {"csv": f"http://testserver/public/amay/{w.plan.pk}/data.csv",
                     "json": f"http://testserver/public/amay/{w.plan.pk}/data.json"}
    for x in d["dcat:distribution"]:
        assert x["@type"] == "dcat:Distribution" and x["dct:license"] == d["dct:license"]


def test_the_catalogue_uses_the_organizations_licence(client, published):
    from jalon.reports.models import ReportSettings

    ReportSettings.objects.create(organization=published.org,
                                  license_url="https://www.etalab.gouv.fr/licence-ouverte")
    cat = json.loads(get(client, "public_catalog").content)
    assert cat["dct:publisher"]["foaf:name"] == "CPAS de Amay"  # the only publisher
    assert cat["dcat:dataset"][0]["dct:license"]["@id"].endswith("licence-ouverte")
