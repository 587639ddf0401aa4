"""Import a plan through the web: upload, preview with warnings, corrections, save or re-import."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web_samples import post_plan_file, stored_imports

from import_sheets import climate_csv
from jalon.ingest import parse_bytes
from jalon.plans.models import Node, Plan
from jalon.web import import_edits

PLAN_CSV = climate_csv(orphan=True)


pytestmark = pytest.mark.usefixtures("var_dir")




def upload(client, world, data=PLAN_CSV, name="climat.csv"):
    return post_plan_file(client, world.org, data, name)


def preview_url(response):
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_the_preview_shows_counts_warnings_and_the_tree(client, world, var_dir):
    client.force_login(world.editor)
    url = preview_url(upload(client, world))
    assert len(stored_imports(var_dir)) == 1
    page = client.get(url).content.decode()
    assert "Plan climat" in page
    assert "<th scope=\"row\">Objectif</th><td>2</td>" in page  # counts per level
    assert "<th scope=\"row\">Action</th><td>3</td>" in page
    assert "ligne 10" in page and "parent &#x27;9&#x27; introuvable" in page  # warning + line
    assert page.index("Réduire les émissions") < page.index("Auditer les toitures")
    assert Plan.objects.filter(title="Plan climat").count() == 0  # nothing saved yet


def test_drop_reparent_and_rename_are_reflected_in_the_saved_plan(client, world, var_dir):
    client.force_login(world.editor)
    url = preview_url(upload(client, world))
    r = client.post(url, {"action": "drop", "drop-code": "1.1"})
    assert r.status_code == 302
    r = client.post(url, {"action": "move", "move-code": "2.1", "move-parent": "2"})
    assert r.status_code == 302
    names = import_edits.level_names(parse_bytes("climat.csv", PLAN_CSV))
    meta = {"action": "meta", "title": "Plan climat 2025", "kind": "strategic",
            "period_start": "2025", "period_end": "2030",
            **{f"level_{i}": name for i, name in enumerate(names)}}
    meta[f"level_{names.index('Objectif')}"] = "Axe"
    r = client.post(url, meta)
    assert r.status_code == 302
    page = client.get(url).content.decode()
    assert "Corrections apportées" in page and "1.1 « Isoler les bâtiments » et 1 descendant(s)" in page
    r = client.post(url, {"action": "save", "replace": ""})
    plan = Plan.objects.get(title="Plan climat 2025")
    assert r["Location"] == reverse("plan_detail", args=[plan.pk])
    assert plan.organization == world.org and plan.kind == "strategic"
    assert (plan.period_start, plan.period_end) == (2025, 2030)
    assert plan.levels[0] == "Axe"
    nodes = {n.code: n for n in plan.nodes.select_related("parent")}
    assert set(nodes) == {"1", "1.2", "2", "2.1"}  # 1.1 and its child 1.1.1 dropped
    assert nodes["2.1"].parent.code == "2" and nodes["2.1"].depth == 1
    assert nodes["1"].level == "Axe" and nodes["2"].level == "Axe"
    assert stored_imports(var_dir) == []  # the work file is removed once saved


def test_a_move_under_its_own_descendant_is_refused(client, world):
    client.force_login(world.editor)
    url = preview_url(upload(client, world))
    r = client.post(url, {"action": "move", "move-code": "1", "move-parent": "1.1.1"})
    assert r.status_code == 400
    assert "descendants" in r.content.decode()
    r = client.post(url, {"action": "drop", "drop-code": "nope"})
    assert r.status_code == 400 and "Aucun élément n&#x27;a le code" in r.content.decode()


def test_a_bad_file_shows_one_line_and_writes_nothing(client, world, var_dir):
    client.force_login(world.editor)
    before = Plan.objects.count()
    # a header and no row: nothing plan-like (an unknown column alone no longer rejects a file)
    r = upload(client, world, b"code;wrong;header\n", "plan.csv")
    assert r.status_code == 400
    page = r.content.decode()
    assert "plan.csv" in page and 'id="id_file_error"' in page
    assert 'aria-describedby="id_file_helptext id_file_error"' in page
    r = upload(client, world, b"\x00\x01\x02garbage" * 10, "plan.pdf")
    assert r.status_code == 400 and "plan.pdf" in r.content.decode()
    assert Plan.objects.count() == before and stored_imports(var_dir) == []


def test_a_file_over_the_size_limit_is_refused(client, world, settings, var_dir):
    settings.JALON_IMPORT_MAX_BYTES = 100
    client.force_login(world.editor)
    r = upload(client, world)
    assert r.status_code == 400 and "trop volumineux" in r.content.decode()
    assert stored_imports(var_dir) == []


def test_cancel_removes_the_work_file(client, world, var_dir):
    client.force_login(world.editor)
    url = preview_url(upload(client, world))
    r = client.post(url, {"action": "cancel"})
    assert r.status_code == 302 and stored_imports(var_dir) == []
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who,status", [("outsider", 404), ("reader", 403), ("dept_editor", 403),
                                        ("owner", 403), ("org_admin", 200), ("site_admin", 200)])
def test_only_plan_writers_of_the_organization_may_import(client, world, who, status):
    client.force_login(getattr(world, who))
    assert client.get(reverse("plan_import", args=[world.org.slug])).status_code == status


def test_anonymous_users_are_sent_to_log_in(client, world):
    r = client.get(reverse("plan_import", args=[world.org.slug]))
    assert r.status_code == 302 and reverse("login") in r["Location"]


def test_another_user_cannot_open_someone_elses_preview(client, world):
    client.force_login(world.editor)
    url = preview_url(upload(client, world))
    client.force_login(world.org_admin)  # same organization, other session
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "save"}).status_code == 404
    assert Plan.objects.filter(title="Plan climat").count() == 0


def test_a_new_version_shows_the_dry_run_report_then_applies(client, world):
    client.force_login(world.editor)
    csv = ("code;parent;titre\n"
           "1;;Servir la population\n"
           "1.1;1;Rénover l'accueil et le guichet\n"
           "1.3;1;Ouvrir le samedi\n").encode()
    url = preview_url(upload(client, world, csv, "v2.csv"))
    r = client.post(url, {"action": "save", "replace": str(world.plan.pk)})
    confirm = reverse("plan_import_reimport", args=[world.org.slug, url.rstrip("/").split("/")[-1],
                                                    world.plan.pk])
    assert r["Location"] == confirm
    page = client.get(confirm).content.decode()
    assert "1.3" in page and "1.2" in page  # added, removed
    assert not world.plan.nodes.filter(code="1.3").exists()  # dry run wrote nothing
    r = client.post(confirm)
    assert r["Location"] == reverse("plan_detail", args=[world.plan.pk])
    nodes = {n.code: n for n in world.plan.nodes.all()}
    assert nodes["1.3"].title == "Ouvrir le samedi"
    assert nodes["1.1"].title == "Rénover l'accueil et le guichet"
    assert nodes["1.2"].status == Node.Status.LAPSED
    assert Plan.objects.filter(organization=world.org).count() == 1


def test_import_edits_keep_parents_before_children():
    draft = parse_bytes("climat.csv", PLAN_CSV)
    import_edits.reparent(draft, "1", "2.1")  # move objective 1 under the orphan action
    codes = [n.code for n in draft.nodes]
    assert codes.index("2.1") < codes.index("1") < codes.index("1.1") < codes.index("1.1.1")
    assert draft.get("1.1.1").depth == 3  # 2.1 (top) › 1 › 1.1 › 1.1.1
    with pytest.raises(ValueError):
        import_edits.reparent(draft, "2.1", "1.1.1")
