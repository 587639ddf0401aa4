"""User journeys in a real browser (headless Chromium): log in, search, post a progress update,
edit a field inline, a concurrent-edit conflict, switch language."""

from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def objective_progress(page, code: str):
    """The progress cell of objective ``code`` on the dashboard."""
    row = page.locator("table.objectives tbody tr").filter(
        has=page.locator(".code", has_text=re.compile(rf"^{re.escape(code)}$")))
    return row.locator("td.num")


def test_log_in_through_the_form(shown, page):
    page.goto("/login/?next=/")
    page.get_by_label("Nom d’utilisateur").fill("editor")
    page.get_by_label("Mot de passe").fill("not-the-password")
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/login/"))  # refused: still on the form
    expect(page.locator("header .who")).to_contain_text("Se connecter")

    page.get_by_label("Mot de passe").fill("pw-editor")
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("header .who")).to_contain_text("editor")
    expect(page.get_by_role("link", name="PST Amay").first).to_be_visible()


def test_search_without_accents_finds_the_action(shown, new_context):
    page = new_context(shown.editor).new_page()
    page.goto(f"/plans/{shown.plan.pk}/explore/")
    page.get_by_label("Rechercher", exact=True).fill("reseau")
    page.locator("form[role=search]").get_by_role("button", name="Rechercher").click()
    results = page.locator("#results")
    expect(results.get_by_role("status")).to_contain_text("reseau")
    expect(results.locator("a.title")).to_have_count(1)
    expect(results.locator("a.title")).to_contain_text("Rénover l'accueil")
    expect(results.locator(".snippet")).to_contain_text("réseau")
    expect(page).to_have_url(re.compile(r"q=reseau"))  # htmx pushed the search into the URL
    results.locator("a.title").click()
    expect(page.locator("#sheet-title")).to_have_text("Rénover l'accueil")


def test_progress_update_from_the_sheet_changes_the_dashboard(shown, new_context):
    page = new_context(shown.editor).new_page()
    page.goto(f"/plans/{shown.plan.pk}/dashboard/")
    expect(objective_progress(page, "1")).to_have_text(re.compile(r"^60\s%$"))

    page.goto(f"/nodes/{shown.action.pk}/")
    page.wait_for_load_state("load")  # htmx (deferred) is ready
    form = page.locator("#progress-form")
    form.get_by_label("Avancement (%)").fill("100")
    form.get_by_label("Santé").select_option("on_track")
    form.get_by_label("Ce qui a avancé, ce qui bloque").fill("Le nouveau guichet est ouvert.")
    with page.expect_response(lambda r: r.url.endswith(f"/nodes/{shown.action.pk}/progress/")
                              and r.request.method == "POST") as answer:
        form.get_by_role("button", name="Enregistrer la mise à jour").click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("hx-request") == "true"  # swapped in, not reloaded
    expect(page.locator("#progress-saved")).to_have_text("Mise à jour enregistrée.")
    expect(page.locator("#journal")).to_contain_text("Le nouveau guichet est ouvert.")
    expect(page.locator("#sheet-header strong").first).to_have_text(re.compile(r"^100\s%$"))
    # the form was reset for the next update
    expect(page.locator("#progress-form").get_by_label("Ce qui a avancé, ce qui bloque")
           ).to_have_value("")

    page.get_by_role("link", name="PST Amay").first.click()
    page.get_by_role("link", name="Tableau de bord").click()
    expect(objective_progress(page, "1")).to_have_text(re.compile(r"^90\s%$"))  # (100 + 80) / 2


def test_edit_a_field_inline(shown, new_context):
    page = new_context(shown.editor).new_page()
    page.goto(f"/nodes/{shown.action.pk}/")
    page.wait_for_load_state("load")
    field = page.locator("#f-funding")
    field.get_by_role("link", name=re.compile("Modifier")).click()
    box = field.get_by_label("Financement")
    expect(box).to_be_focused()
    box.fill("Subside régional 2024")
    field.get_by_role("button", name="Enregistrer").click()
    expect(field.get_by_role("status")).to_have_text("Enregistré.")
    expect(field).to_contain_text("Subside régional 2024")
    expect(page).to_have_url(re.compile(rf"/nodes/{shown.action.pk}/$"))  # no page change
    page.reload()
    expect(page.locator("#f-funding")).to_contain_text("Subside régional 2024")


def test_concurrent_edit_is_refused_and_keeps_the_second_input(shown, new_context):
    first = new_context(shown.editor).new_page()
    second = new_context(shown.org_admin).new_page()
    for p in (first, second):
        p.goto(f"/nodes/{shown.action.pk}/")
        p.wait_for_load_state("load")
        p.locator("#f-comment").get_by_role("link", name=re.compile("Modifier")).click()
        expect(p.locator("#f-comment textarea")).to_be_visible()

    first.locator("#f-comment textarea").fill("Version de la première personne.")
    first.locator("#f-comment").get_by_role("button", name="Enregistrer").click()
    expect(first.locator("#f-comment").get_by_role("status")).to_have_text("Enregistré.")

    mine = "Version de la seconde personne, qui ne doit pas être perdue."
    second.locator("#f-comment textarea").fill(mine)
    second.locator("#f-comment").get_by_role("button", name="Enregistrer").click()
    alert = second.locator("#f-comment").get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Version de la première personne.")
    expect(second.locator("#f-comment textarea")).to_have_value(mine)

    # saving again (now on the current version) keeps the second person's text
    second.locator("#f-comment").get_by_role("button", name="Enregistrer").click()
    expect(second.locator("#f-comment").get_by_role("status")).to_have_text("Enregistré.")
    shown.action.refresh_from_db()
    assert shown.action.comment == mine


def test_switch_language(shown, page):
    page.goto("/")
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav.get_by_role("link", name="Accueil")).to_be_visible()

    page.get_by_label("Langue").select_option("nl")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    nav = page.locator("header nav")
    expect(nav.get_by_role("link", name="Startpagina")).to_be_visible()

    page.locator("#lang-select").select_option("en")
    page.locator("form.lang button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
