"""What every page relies on: favicon and app icons, and friendly 403/404/500 pages in the
user's language, also with DEBUG on (the demo)."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse


def test_the_favicon_and_the_manifest_are_served(client, db):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r["Content-Type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    r = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="nl")
    data = json.loads(r.content)
    assert r["Content-Type"] == "application/manifest+json" and data["lang"] == "nl"
    sizes = {i["sizes"] for i in data["icons"]}
    assert {"any", "192x192", "512x512"} <= sizes
    for icon in data["icons"]:  # every icon the manifest names exists
        assert finders.find(icon["src"].removeprefix("/static/"))


@pytest.mark.parametrize("url", ["/", "/public/"])
def test_web_and_public_pages_link_the_icons(client, db, url):
    page = client.get(url).content.decode()
    assert 'rel="icon"' in page and "icons/icon.svg" in page
    assert 'rel="manifest"' in page and 'rel="apple-touch-icon"' in page


@pytest.fixture
def debug_client(settings):
    settings.DEBUG = True  # as the demo runs
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("lang,title", [("fr", "Page introuvable"), ("nl", "Pagina niet gevonden"),
                                        ("en", "Page not found")])
def test_an_expired_import_preview_is_a_friendly_404_even_in_debug(debug_client, world, lang,
                                                                     title):
    debug_client.force_login(world.org_admin)
    r = debug_client.get(reverse("plan_import_preview", args=[world.org.slug, "expired0token"]),
                         HTTP_ACCEPT_LANGUAGE=lang)
    page = r.content.decode()
    assert r.status_code == 404 and title in page
    assert "Django" not in page and "URLconf" not in page and "Traceback" not in page
    assert 'class="brand"' in page  # the application's own layout


def test_an_unknown_address_is_a_friendly_404_in_debug(debug_client, db):
    r = debug_client.get("/no/such/page/")
    assert r.status_code == 404 and "Page introuvable" in r.content.decode()
    assert "URLconf" not in r.content.decode()


def test_a_refused_page_is_a_friendly_403(client, world):
    client.force_login(world.reader)
    r = client.get(reverse("orgadmin_index", args=[world.org.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 403 and "Access denied" in r.content.decode()


def _boom(request):
    raise RuntimeError("kaboom")


def test_a_crash_is_a_friendly_500_in_debug(debug_client, db, settings):
    from django.urls import path

    from jalon.urls import urlpatterns as app_urls

    global urlpatterns
    urlpatterns = [path("crash/", _boom), *app_urls]
    settings.ROOT_URLCONF = __name__
    r = debug_client.get("/crash/", HTTP_ACCEPT_LANGUAGE="fr")
    page = r.content.decode()
    assert r.status_code == 500 and "Erreur du serveur" in page and "kaboom" not in page


def test_the_500_page_renders_without_a_request(settings):
    from django.template import loader
    from django.utils import translation

    with translation.override("nl"):
        html = loader.get_template("500.html").render()
    assert "Serverfout" in html


def test_the_api_keeps_answering_in_json(debug_client, db):
    r = debug_client.get("/api/v1/plans/999999")
    assert r.status_code in (401, 404) and r["Content-Type"].startswith("application/json")
