"""The mapping step of the web import (issue 9 item 3): columns with their proposed field and
sample values, the user's mapping, import profiles saved per organization and applied again."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from import_sheets import HEADER, workbook
from jalon.orgadmin import profiles
from jalon.orgadmin.models import ImportProfile
from jalon.plans.models import Node, Plan
from jalon.web import upload_store

pytestmark = pytest.mark.usefixtures("var_dir")


def upload(client, org, data=None, name="aines.xlsx"):
    r = client.post(reverse("plan_import", args=[org.slug]),
                    {"file": SimpleUploadedFile(name, data or workbook())})
    assert r.status_code == 302, r.content.decode()[:800]
    return r["Location"]


def column_names(page: str) -> dict[str, str]:
    """header → the form field name of its select, read from the preview."""
    return {m.group(2): m.group(1) for m in re.finditer(
        r'<label for="id_(map-col_\d+)">([^<]+)</label>', page)}


def mapping_post(page: str, **changes) -> dict:
    """The mapping form as the page proposes it, with ``changes`` {header: value}."""
    names = column_names(page)
    data = {"action": "columns"}
    for name in names.values():
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select)
        data[name] = chosen.group(1) if chosen else ""
    for header, value in changes.items():
        data[names[header]] = value
    return data


def test_the_preview_shows_each_column_its_field_and_samples_and_unknown_as_free(client, world):
    client.force_login(world.editor)
    url = upload(client, world.org)
    page = client.get(url).content.decode()
    names = column_names(page)
    assert list(names) == ["N°", "Objectif / Action", "Service responsable", "Pilote",
                           "Date de fin", "Budget (€)", "Indicateur", "Cible", "Couleur"]
    assert "Agent 1" in page and "teinte 2" in page  # sample values
    assert "28/02/2026" in page and "2.000 €" in page  # date cells and amounts, Belgian style
    data = mapping_post(page)
    assert data[names["Pilote"]] == "owners"
    assert data[names["Cible"]] == "indicator_target"
    assert data[names["Couleur"]] == "extra"  # kept as a free field, not refused
    assert "garder comme champ libre" in page and "ignorer" in page
    # the unknown column appears as a free field of the items
    assert "Couleur <span class=\"muted\">(champ libre)</span>" in page
    assert '<td class="extra">teinte 1</td>' in page
    client.post(url, {"action": "save", "replace": "", "profile": ""})
    node = Node.objects.get(plan__title="Plan de la Maison des aînés de Hamoir", code="1.1")
    assert node.extra["fields"]["extra"] == {"Couleur": "teinte 1"}  # saved with the item
    assert not ImportProfile.objects.exists()  # no name: no profile


def test_changing_the_mapping_updates_the_preview_and_the_saved_plan(client, world):
    client.force_login(world.editor)
    url = upload(client, world.org)
    page = client.get(url).content.decode()
    r = client.post(url, mapping_post(page, Pilote="team", Couleur=""))
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert mapping_post(page)[column_names(page)["Pilote"]] == "team"
    assert "(champ libre)" not in page  # the ignored column is no longer an extra field
    assert "colonne « Pilote » : Équipe" in page  # listed among the corrections
    r = client.post(url, {"action": "save", "replace": "", "profile": "Tableur des aînés"})
    plan = Plan.objects.get(title="Plan de la Maison des aînés de Hamoir")
    assert r["Location"] == reverse("plan_detail", args=[plan.pk])
    action = Node.objects.get(plan=plan, code="1.1")
    assert not action.owners.exists()
    profile = ImportProfile.objects.get(organization=world.org)
    assert profile.name == "Tableur des aînés" and profile.created_by == world.editor
    assert profile.mapping["pilote"] == "team" and profile.mapping["couleur"] == ""
    assert profile.mapping["budget"] == "budget_eur"  # the proposals kept are saved too


def test_the_next_file_with_the_same_headers_gets_the_profile(client, world):
    client.force_login(world.editor)
    url = upload(client, world.org)
    page = client.get(url).content.decode()
    client.post(url, mapping_post(page, Pilote="team"))
    client.post(url, {"action": "save", "replace": "", "profile": "Aînés"})
    # another file, more rows, headers written in another case: the profile applies
    other = workbook(header=[h.upper() for h in HEADER], actions=4, title="Plan 2027")
    page = client.get(upload(client, world.org, other, "autre.xlsx")).content.decode()
    assert "Profil « Aînés » appliqué." in page
    data = mapping_post(page)
    assert data[column_names(page)["PILOTE"]] == "team"
    assert "profil d&#x27;import" in page  # the source of the mapped columns
    # different headers: no profile
    page = client.get(upload(client, world.org, workbook(header=HEADER[:-1] + ["Remarque"]),
                             "x.xlsx")).content.decode()
    assert "appliqué." not in page


def test_profiles_of_another_organization_are_not_applied(client, world):
    client.force_login(world.editor)
    columns = [{"header": h, "field": None} for h in HEADER]
    profiles.save_profile(world.other_org, "Bree", columns, by=world.outsider)
    page = client.get(upload(client, world.org)).content.decode()
    assert "Profil « Bree »" not in page
    assert mapping_post(page)[column_names(page)["Pilote"]] == "owners"


def test_only_users_who_may_import_reach_the_mapping_step(client, world):
    client.force_login(world.editor)
    url = upload(client, world.org)
    page = client.get(url).content.decode()
    data = mapping_post(page, Pilote="team")
    client.force_login(world.reader)  # a member who may not import: 403
    assert client.get(reverse("plan_import", args=[world.org.slug])).status_code == 403
    client.force_login(world.outsider)  # another organization's user: 404
    assert client.post(url, data).status_code == 404
    assert client.post(reverse("plan_import", args=[world.org.slug]),
                       {"file": SimpleUploadedFile("a.xlsx", workbook())}).status_code == 404
    assert not ImportProfile.objects.exists()


def test_two_title_columns_are_refused_with_one_line(client, world):
    client.force_login(world.editor)
    url = upload(client, world.org)
    page = client.get(url).content.decode()
    r = client.post(url, mapping_post(page, Couleur="title"))
    assert r.status_code == 400
    assert "Une seule colonne peut donner les titres" in r.content.decode()


def test_a_non_tabular_source_has_no_mapping_step(client, world, var_dir):
    client.force_login(world.editor)
    text = "1 Objectif premier\n1.1 Action première\n1.2 Action seconde\n".encode()
    page = client.get(upload(client, world.org, text, "plan.txt")).content.decode()
    assert "Colonnes du fichier" not in page
    assert 'name="profile"' not in page
    assert not list((var_dir / "imports").glob("*.bin"))


def test_the_kept_file_is_removed_on_cancel(client, world, var_dir):
    client.force_login(world.editor)
    url = upload(client, world.org)
    assert len(list((var_dir / "imports").glob("*.bin"))) == 1
    client.post(url, {"action": "cancel"})
    assert not list((var_dir / "imports").glob("*"))
    assert upload_store.prune() == 0


def test_preview_queries_do_not_grow_with_the_file(client, world):
    client.force_login(world.editor)
    counts = []
    for n in (2, 60):
        url = upload(client, world.org, workbook(actions=n))
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url)
        assert page.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


# -- organization administration ---------------------------------------------------------
@pytest.fixture
def saved(world):
    columns = [{"header": h, "field": f} for h, f in
               (("N°", "code"), ("Objectif / Action", "title"), ("Couleur", None))]
    return profiles.save_profile(world.org, "Tableur RH", columns, by=world.org_admin)[0]


def test_admin_lists_renames_and_deletes_profiles(client, world, saved):
    client.force_login(world.org_admin)
    page = client.get(reverse("orgadmin_import_profiles", args=[world.org.slug])).content.decode()
    assert "Tableur RH" in page and "orgadmin" in page
    index = client.get(reverse("orgadmin_index", args=[world.org.slug])).content.decode()
    assert re.search(r"Profils d('|&#x27;)import</a></th><td>1</td>", index)
    url = reverse("orgadmin_import_profile", args=[world.org.slug, saved.pk])
    page = client.get(url).content.decode()
    assert "garder comme champ libre" in page  # «Couleur» kept as a free field
    r = client.post(url, {"action": "rename", "name": "  Tableur   des RH "})
    assert r.status_code == 302
    saved.refresh_from_db()
    assert saved.name == "Tableur des RH"
    profiles.save_profile(world.org, "Autre", [{"header": "x", "field": "title"}])
    r = client.post(url, {"action": "rename", "name": "Autre"})
    assert r.status_code == 400 and "Un profil s&#x27;appelle déjà « Autre »" in r.content.decode()
    r = client.post(url, {"action": "delete"})
    assert r.status_code == 302
    assert not ImportProfile.objects.filter(pk=saved.pk).exists()


def test_profile_pages_are_for_the_organization_admins_only(client, world, saved):
    url = reverse("orgadmin_import_profile", args=[world.org.slug, saved.pk])
    client.force_login(world.editor)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "delete"}).status_code == 403
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    other = profiles.save_profile(world.other_org, "Bree", [{"header": "x", "field": "title"}])[0]
    client.force_login(world.org_admin)  # another organization's profile through this one
    assert client.get(reverse("orgadmin_import_profile",
                              args=[world.org.slug, other.pk])).status_code == 404
    page = client.get(reverse("orgadmin_import_profiles", args=[world.org.slug])).content.decode()
    assert "Bree" not in page
    assert ImportProfile.objects.count() == 2


def test_a_saved_profile_can_be_applied_by_hand_to_other_headers(client, world):
    profile = profiles.save_profile(world.org, "Aînés", [
        {"header": "Pilote", "field": "team"}, {"header": "Objectif / Action", "field": "title"}],
        by=world.editor)[0]
    other = profiles.save_profile(world.other_org, "Bree", [{"header": "x", "field": "title"}])[0]
    client.force_login(world.editor)
    url = upload(client, world.org)  # its headers differ from the profile's: not applied
    page = client.get(url).content.decode()
    assert "appliqué." not in page and "Bree" not in page
    assert client.post(url, {"action": "pick", "pick-profile": other.pk}).status_code == 400
    r = client.post(url, {"action": "pick", "pick-profile": profile.pk})
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert "Profil « Aînés » appliqué." in page
    assert mapping_post(page)[column_names(page)["Pilote"]] == "team"


def test_a_new_version_saves_the_profile_when_applied(client, world):
    client.force_login(world.editor)
    url = upload(client, world.org)
    r = client.post(url, {"action": "save", "replace": world.plan.pk, "profile": "Version"})
    assert r.status_code == 302 and "/reimport/" in r["Location"]
    assert not ImportProfile.objects.exists()  # not before the new version is applied
    client.post(r["Location"])
    assert ImportProfile.objects.get(organization=world.org).name == "Version"


def test_the_mapping_step_in_english(client, world):
    client.force_login(world.editor)
    url = upload(client, world.org)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Columns of the file" in page and "keep as a free field" in page
    assert "Indicator target" in page and "Update the preview" in page


def test_a_lost_file_is_one_line(client, world, var_dir):
    client.force_login(world.editor)
    url = upload(client, world.org)
    page = client.get(url).content.decode()
    for kept in (var_dir / "imports").glob("*.bin"):
        kept.unlink()
    r = client.post(url, mapping_post(page, Pilote="team"))
    assert r.status_code == 400
    assert "Le fichier n&#x27;est plus disponible" in r.content.decode()


def test_an_applied_profile_left_unchanged_is_not_rewritten(client, world):
    client.force_login(world.editor)
    url = upload(client, world.org)
    client.post(url, {"action": "save", "replace": "", "profile": "Aînés"})
    before = ImportProfile.objects.get().updated_at
    url = upload(client, world.org, workbook(actions=3, title="Plan 2027"))
    page = client.get(url).content.decode()
    assert 'value="Aînés"' in page  # the save form proposes the applied profile's name
    r = client.post(url, {"action": "save", "replace": "", "profile": "Aînés"}, follow=True)
    assert "Profil d&#x27;import" not in r.content.decode()
    assert ImportProfile.objects.get().updated_at == before
    url = upload(client, world.org, workbook(actions=3, title="Plan 2028"))
    client.post(url, mapping_post(client.get(url).content.decode(), Pilote="team"))
    r = client.post(url, {"action": "save", "replace": "", "profile": "Aînés"}, follow=True)
    assert "Profil d&#x27;import « Aînés » mis à jour." in r.content.decode()
    assert ImportProfile.objects.get().mapping["pilote"] == "team"
