"""The public page, its open data and the catalogue: cached per plan revision, answered with
304 when the client has them, and fresh as soon as anything of the plan is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jalon.plans.services import update_node
from jalon.tracking.models import Indicator
from jalon.tracking.services import import_measurements, post_update


def urls(w) -> list[str]:
    args = [w.org.slug, w.plan.pk]
    return [reverse("public_plan", args=args), reverse("public_data_json", args=args),
            reverse("public_data_csv", args=args), reverse("public_catalog")]


@pytest.mark.parametrize("which", range(4))
def test_a_client_that_has_the_page_gets_a_304_with_no_body(client, published, which):
    url = urls(published)[which]
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


@pytest.mark.parametrize("write", ["journal", "node", "measurements", "unpublish"])
def test_any_write_to_the_plan_changes_what_is_served(client, published, write):
    w = published
    before = {u: client.get(u) for u in urls(w)}
    if write == "journal":
        post_update(w.action, date=dt.date(2024, 1, 5), progress=65, text="Nouveau point")
    elif write == "node":
        update_node(w.action, {"title": "Un titre tout neuf"}, by=w.editor)
    elif write == "measurements":
        ind = Indicator.objects.filter(node=w.action).first()
        import_measurements(w.plan, [(2, {"indicator_id": str(ind.pk), "period": "2024",
                                          "value": "n.d."})])
    else:
        w.plan.published = False
        w.plan.save()
    for url, old in before.items():
        new = client.get(url, headers={"If-None-Match": old["ETag"]})
        if write == "unpublish" and "catalog" not in url:
            assert new.status_code == 404
            continue
        assert new.status_code == 200 and new["ETag"] != old["ETag"], url
    if write == "node":
        assert "Un titre tout neuf" in client.get(urls(w)[0]).content.decode()


def test_a_cached_page_is_served_without_reading_the_plan_again(client, published):
    url = urls(published)[0]
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) <= 2  # the plan (with its revision), no snapshot


def test_each_language_has_its_own_copy(client, published):
    url = urls(published)[0]
    fr = client.get(url, headers={"Accept-Language": "fr"})
    nl = client.get(url, headers={"Accept-Language": "nl"})
    assert fr["ETag"] != nl["ETag"] and fr.content != nl.content
