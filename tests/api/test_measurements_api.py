"""Measurements through the API: one at a time (idempotent per indicator + period +
dimensions), the paginated series, and the bulk upload of a plan's measurements for BI tools —
every row error at once with its row number, nothing written unless the valid rows are
explicitly accepted, the same rows twice creating nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jalon.accounts.models import ApiToken
from jalon.plans.models import Plan
from jalon.tracking.models import Indicator, Measurement


@pytest.fixture
def w(world):
    world.ind = Indicator.objects.create(node=world.hr_action, name="Agents formés",
                                         frequency="monthly")
    world.office = Indicator.objects.create(node=world.action, name="Dossiers traités",
                                            dimensions=["guichet"])
    return world


def record(api, ind, body):
    return api.post(f"/indicators/{ind.pk}/measurements", body)


def series(ind) -> list[tuple]:
    return list(Measurement.objects.filter(indicator=ind).order_by("period", "dimensions_key")
                .values_list("period", "dimensions_key", "value"))


# -- one measurement ----------------------------------------------------------------------

def test_the_owner_records_a_measurement_once(w, api_as):
    api = api_as(w.owner)
    first = record(api, w.ind, {"period": "mars 2023", "value": 12, "source": "SIRH"})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["period"] == "2023-03" and body["period_end"] == "2023-03-31"
    assert body["value"] == 12 and body["entered_by"] == "owner" and body["dimensions"] == {}
    again = record(api, w.ind, {"period": "2023-03", "value": 12, "source": "SIRH"})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Measurement.objects.get().history.count() == 1  # unchanged: no new audit record
    changed = record(api, w.ind, {"period": "2023-03", "value": 13.5, "source": "SIRH"})
    assert changed.status_code == 200 and changed.json()["value"] == 13.5
    assert series(w.ind) == [("2023-03", "", 13.5)]
    assert Measurement.objects.get().history.first().history_user == w.owner


def test_a_value_with_more_places_than_stored_is_still_idempotent(w, api_as):
    api = api_as(w.owner)
    assert record(api, w.ind, {"period": "2023", "value": 1.234567}).status_code == 201
    assert record(api, w.ind, {"period": "2023", "value": 1.234567}).status_code == 200
    m = Measurement.objects.get()
    assert m.history.count() == 1 and float(m.value) == 1.2346


def test_each_breakdown_is_its_own_measurement(w, api_as):
    api = api_as(w.editor)
    for office in ("Amay", "Ampsin"):
        r = record(api, w.office, {"period": "2023-Q1", "value": 5,
                                   "dimensions": {"guichet": office}})
        assert r.status_code == 201, r.content
    assert record(api, w.office, {"period": "2023-Q1", "value": 10}).status_code == 201
    assert record(api, w.office, {"period": "2023-q1", "value": 5,
                                  "dimensions": {"guichet": "Amay"}}).status_code == 200
    assert series(w.office) == [("2023-Q1", "", 10), ("2023-Q1", "guichet=Amay", 5),
                                ("2023-Q1", "guichet=Ampsin", 5)]


@pytest.mark.parametrize("body", [
    {"period": "bientôt", "value": 1},
    {"period": "2023", "value": "beaucoup"},
    {"period": "2023", "value": 10 ** 12},
    {"period": "2023"},
    {"value": 1},
    {"period": "2023", "value": 1, "dimensions": {"": "x"}},
    {"period": "2023", "value": 1, "source": "s" * 201},
])
def test_it_validates_a_measurement(w, api_as, body):
    r = record(api_as(w.editor), w.ind, body)
    assert r.status_code in (400, 422)  # 400: an unreadable period (api.api), 422: the schema
    assert not Measurement.objects.exists()


def test_a_period_outside_the_plan_is_refused(w, api_as):
    r = record(api_as(w.editor), w.ind, {"period": "2030-01", "value": 1})
    assert r.status_code == 400
    assert "2019" in r.json()["detail"] and "2024" in r.json()["detail"]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(("role", "expected"), [
    ("editor", 201), ("site_admin", 201), ("owner", 201), ("dept_editor", 403),
    ("reader", 403), ("outsider", 404), ("anonymous", 401)])
def test_who_may_record_a_measurement_of_the_owned_action(w, api_as, role, expected):
    api = api_as(None if role == "anonymous" else getattr(w, role))
    r = record(api, w.ind, {"period": "2023", "value": 1})
    assert r.status_code == expected, r.content
    assert Measurement.objects.exists() is (expected == 201)


def test_the_department_editor_records_for_its_departments_action(w, api_as):
    assert record(api_as(w.dept_editor), w.office,
                  {"period": "2023", "value": 1}).status_code == 201
    assert record(api_as(w.owner), w.office, {"period": "2023", "value": 1}).status_code == 403


# -- the series ---------------------------------------------------------------------------

@pytest.fixture
def monthly(w):
    Measurement.objects.bulk_create(
        Measurement(indicator=w.ind, period=f"{y}-{m:02d}", value=m,
                    period_end=dt.date(y, m, 28), entered_by=w.editor)
        for y in (2021, 2022, 2023) for m in range(1, 13))
    return w


def periods(response) -> list[str]:
    return [m["period"] for m in response.json()["items"]]


def test_it_lists_the_series_in_period_order(monthly, api_as):
    r = api_as(monthly.reader).get(f"/indicators/{monthly.ind.pk}/measurements")
    assert r.status_code == 200
    assert r.json()["count"] == 36
    assert periods(r)[:3] == ["2021-01", "2021-02", "2021-03"]
    assert r.json()["items"][0]["entered_by"] == "editor"


@pytest.mark.parametrize(("params", "first", "last", "count"), [
    ({"period_from": "2022"}, "2022-01", "2023-12", 24),
    ({"period_to": "2021"}, "2021-01", "2021-12", 12),
    ({"period_from": "2022-Q2", "period_to": "2022-Q3"}, "2022-04", "2022-09", 6),
    ({"period_from": "2023-11"}, "2023-11", "2023-12", 2),
    ({"period_from": "2030"}, None, None, 0),
])
def test_it_filters_the_series_by_period(monthly, api_as, params, first, last, count):
    r = api_as(monthly.reader).get(f"/indicators/{monthly.ind.pk}/measurements", params)
    assert r.status_code == 200, r.content
    got = periods(r)
    assert len(got) == count
    if count:
        assert (got[0], got[-1]) == (first, last)


def test_a_bad_period_filter_is_a_400_naming_it(monthly, api_as):
    r = api_as(monthly.reader).get(f"/indicators/{monthly.ind.pk}/measurements",
                                   {"period_from": "hier"})
    assert r.status_code == 400
    assert "hier" in r.json()["detail"]


def test_the_series_is_paginated(monthly, api_as):
    api = api_as(monthly.reader)
    page = api.get(f"/indicators/{monthly.ind.pk}/measurements", {"page_size": 10, "page": 4})
    assert periods(page) == ["2023-07", "2023-08", "2023-09", "2023-10", "2023-11", "2023-12"]


def test_the_public_reads_a_published_plans_series_without_who_entered_it(monthly, api_as):
    path = f"/indicators/{monthly.ind.pk}/measurements"
    assert api_as().get(path).status_code == 404
    Plan.objects.filter(pk=monthly.plan.pk).update(published=True)
    r = api_as().get(path)
    assert r.status_code == 200 and r.json()["count"] == 36
    assert {m["entered_by"] for m in r.json()["items"]} == {None}
    assert api_as(monthly.outsider).get(path).json()["items"][0]["entered_by"] is None
    assert record(api_as(), monthly.ind, {"period": "2024", "value": 1}).status_code == 401


@pytest.mark.parametrize("size", [5, 2000])
def test_the_series_costs_the_same_queries_whatever_its_length(
        w, api_as, size, django_assert_num_queries):
    Measurement.objects.bulk_create(
        Measurement(indicator=w.ind, period="2023", value=i, period_end=dt.date(2023, 12, 31),
                    dimensions={"n": str(i)}, dimensions_key=f"n={i}", entered_by=w.editor)
        for i in range(size))
    api = api_as(w.reader)
    # 1 session, 2 user with their memberships (accounts.backends; their departments: for
    # department editors only), 3 the indicator (plan scoped by Plan.objects.for_user),
    # 4 count, 5 the page with who entered each value
    with django_assert_num_queries(5):
        r = api.get(f"/indicators/{w.ind.pk}/measurements", {"page_size": 1000})
    assert r.status_code == 200
    assert len(r.json()["items"]) == min(size, 1000)


# -- bulk ---------------------------------------------------------------------------------

def bulk(api, plan, rows, **kw):
    return api.post(f"/plans/{plan.pk}/measurements/bulk", {"rows": rows, **kw})


def good_rows(w) -> list[dict]:
    return [
        {"indicator_id": w.ind.pk, "period": "2023-01", "value": 10, "source": "DWH"},
        {"indicator_id": w.ind.pk, "period": "2023-02", "value": 11.25},
        {"code": "1.1", "indicator": "dossiers traités", "period": 2023, "value": "1 234,5",
         "dimensions": {"guichet": "Amay"}, "comment": "nettoyé"},
        {"code": "1.1", "indicator": "Dossiers traités", "period": "2023", "value": 3000},
    ]


def test_a_bulk_upload_creates_then_changes_nothing_the_second_time(w, api_as):
    api = api_as(w.editor)
    r = bulk(api, w.plan, good_rows(w))
    assert r.status_code == 200, r.content
    assert r.json() == {"created": 4, "updated": 0, "unchanged": 0, "errors": []}
    assert series(w.office) == [("2023", "", 3000), ("2023", "guichet=Amay", 1234.5)]
    assert Measurement.objects.get(dimensions_key="guichet=Amay").comment == "nettoyé"
    again = bulk(api, w.plan, good_rows(w))
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 4, "errors": []}
    assert Measurement.objects.count() == 4
    rows = good_rows(w)
    rows[1]["value"] = 12
    assert bulk(api, w.plan, rows).json() == {"created": 0, "updated": 1, "unchanged": 3,
                                              "errors": []}
    assert Measurement.objects.count() == 4


def test_bulk_values_with_more_places_than_stored_stay_unchanged(w, api_as):
    api = api_as(w.editor)
    rows = [{"indicator_id": w.ind.pk, "period": "2023", "value": 0.123456789},
            {"indicator_id": w.ind.pk, "period": "2022", "value": "2,00005"}]
    assert bulk(api, w.plan, rows).json()["created"] == 2
    assert bulk(api, w.plan, rows).json()["unchanged"] == 2


def bad_rows(w) -> list[dict]:
    theirs = Indicator.objects.create(node=w.other_node, name="Ailleurs")
    return [
        {"indicator_id": w.ind.pk, "period": "2023-01", "value": 10},            # 1 fine
        {"indicator_id": 999999, "period": "2023-01", "value": 1},               # 2 unknown
        {"indicator_id": theirs.pk, "period": "2023-01", "value": 1},            # 3 other plan
        {"code": "1.1", "indicator": "Inconnu", "period": "2023", "value": 1},   # 4 unknown
        {"indicator_id": w.ind.pk, "period": "2031-01", "value": 1},             # 5 outside
        {"indicator_id": w.ind.pk, "period": "un jour", "value": 1},             # 6 period
        {"indicator_id": w.ind.pk, "period": "2023-02", "value": "beaucoup"},    # 7 value
        {"indicator_id": w.ind.pk, "period": "2023-01", "value": 11},            # 8 duplicate
        {"indicator_id": w.ind.pk, "period": "2023-03", "value": 10 ** 13},      # 9 too big
        {"indicator_id": w.ind.pk, "period": "2023-04"},                         # 10 no value
        {"indicator_id": w.ind.pk, "period": "2023-05", "value": 5},             # 11 fine
    ]


def test_bulk_errors_are_all_reported_with_their_rows_and_nothing_is_written(w, api_as):
    r = bulk(api_as(w.editor), w.plan, bad_rows(w))
    assert r.status_code == 422, r.content
    body = r.json()
    assert "9 ligne(s) en erreur" in body["detail"]
    assert [e["row"] for e in body["errors"]] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    messages = {e["row"]: e["message"] for e in body["errors"]}
    assert "inconnu" in messages[2] and "999999" in messages[2]
    assert "inconnu" in messages[3]
    assert "hors du plan" in messages[5]
    assert "illisible" in messages[6]
    assert "non numérique" in messages[7] and "beaucoup" in messages[7]
    assert "doublon de la ligne 1" in messages[8]
    assert "trop grande" in messages[9]
    assert not Measurement.objects.exists()


def test_bulk_with_accept_valid_writes_the_valid_rows_only(w, api_as):
    r = bulk(api_as(w.editor), w.plan, bad_rows(w), accept_valid=True)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (2, 0, 0)
    assert [e["row"] for e in body["errors"]] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert series(w.ind) == [("2023-01", "", 10), ("2023-05", "", 5)]


def test_an_empty_bulk_upload_writes_nothing(w, api_as):
    r = bulk(api_as(w.editor), w.plan, [])
    assert r.json() == {"created": 0, "updated": 0, "unchanged": 0, "errors": []}


@pytest.mark.parametrize(("role", "expected"), [
    ("editor", 200), ("org_admin", 200), ("site_admin", 200), ("owner", 403),
    ("dept_editor", 403), ("reader", 403), ("outsider", 404), ("anonymous", 401)])
def test_who_may_upload_in_bulk(w, api_as, role, expected):
    api = api_as(None if role == "anonymous" else getattr(w, role))
    r = bulk(api, w.plan, good_rows(w))
    assert r.status_code == expected, r.content
    assert Measurement.objects.exists() is (expected == 200)


def test_bulk_upload_to_a_published_plan_of_another_organization_is_403(w, api_as):
    Plan.objects.filter(pk=w.other_plan.pk).update(published=True)
    r = bulk(api_as(w.editor), w.other_plan, [{"indicator_id": 1, "period": "2023",
                                              "value": 1}])
    assert r.status_code == 403  # visible (published), not theirs to write


def test_a_token_uploads_in_bulk_with_no_csrf_and_is_the_audit_user(w, api_as):
    _, raw = ApiToken.issue(w.editor, "entrepôt de données")
    client = Client(enforce_csrf_checks=True)
    r = client.post(f"/api/v1/plans/{w.plan.pk}/measurements/bulk", {"rows": good_rows(w)},
                    content_type="application/json", headers={"Authorization": f"Bearer {raw}"})
    assert r.status_code == 200, r.content
    m = Measurement.objects.filter(indicator=w.ind).first()
    assert m.entered_by == w.editor and m.batch.user == w.editor and m.batch.channel == "api"
