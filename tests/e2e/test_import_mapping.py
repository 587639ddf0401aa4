"""The mapping step of the web import in a browser (issue 9, «Must show»): a spreadsheet with
one unknown column, the mapping changed in the preview, the plan and the profile saved; a second
file with the same headers gets the saved profile."""

from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def assert_accessible(page, region: str) -> None:
    """No serious or critical axe violation in ``region`` (when axe is installed)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        return
    found = Axe().run(page, context=region).response["violations"]
    serious = [f"{v['id']}: {v['help']}" for v in found if v["impact"] in ("serious", "critical")]
    assert not serious, serious


def upload(page, slug: str, name: str, data: bytes) -> None:
    page.goto(f"/orgs/{slug}/import/")
    page.get_by_label("Fichier du plan").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": data})
    page.get_by_role("button", name="Lire le fichier").click()
    expect(page.get_by_role("heading", name=re.compile("^Aperçu de l'import"))).to_be_visible()


def test_map_a_column_save_the_profile_and_get_it_for_the_next_file(world, new_context):
    from import_sheets import HEADER, workbook
    from jalon.orgadmin.models import ImportProfile
    from jalon.plans.models import Node, Plan

    page = new_context(world.editor).new_page()
    upload(page, world.org.slug, "aines.xlsx", workbook())
    columns = page.locator("#mapping")
    # the unknown column is kept as a free field of the items, with its sample values
    expect(columns.get_by_role("row", name=re.compile("^Couleur"))).to_contain_text("teinte 1")
    expect(columns.get_by_label("Couleur", exact=True)).to_have_value("extra")
    expect(page.locator("table.import-tree")).to_contain_text("(champ libre)")
    expect(columns.get_by_label("Pilote", exact=True)).to_have_value("owners")
    assert_accessible(page, "#mapping")

    columns.get_by_label("Pilote", exact=True).select_option(label="Équipe")
    columns.get_by_label("Couleur", exact=True).select_option(label="Domaine")
    columns.get_by_role("button", name="Mettre à jour l'aperçu").click()
    expect(page.locator(".messages")).to_contain_text("Aperçu mis à jour")
    expect(columns.get_by_label("Couleur", exact=True)).to_have_value("domain")
    expect(page.locator("table.import-tree")).not_to_contain_text("(champ libre)")
    expect(page.locator("#edits-h + ol")).to_contain_text("colonne « Pilote » : Équipe")

    save = page.locator("section[aria-labelledby=save-h] form")
    save.get_by_label("Enregistrer la correspondance des colonnes comme profil").fill("Aînés")
    save.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator("body")).to_contain_text("Profil d'import « Aînés » enregistré.")
    plan = Plan.objects.get(title="Plan de la Maison des aînés de Hamoir")
    action = Node.objects.get(plan=plan, code="1.1")
    assert not action.owners.exists()
    assert ImportProfile.objects.get(organization=world.org, name="Aînés").mapping["couleur"] \
        == "domain"

    # a second file with the same headers (other rows): the profile is applied
    upload(page, world.org.slug, "aines-2027.xlsx",
           workbook(header=HEADER, actions=3, title="Plan 2027 des aînés"))
    expect(page.locator("#mapping")).to_contain_text("Profil « Aînés » appliqué.")
    expect(page.locator("#mapping").get_by_label("Pilote", exact=True)).to_have_value("team")
    expect(page.locator("#mapping").get_by_label("Couleur", exact=True)).to_have_value("domain")
