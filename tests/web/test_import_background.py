"""A large plan file is read by the task worker: the upload answers with a progress page that
follows the reading, then the preview (or the one-line error); nothing is written before
«Enregistrer».  Tasks run at once in tests (ImmediateBackend), as for report jobs."""

from __future__ import annotations

import pytest
from web_samples import post_plan_file, stored_imports

from import_sheets import climate_csv
from jalon.plans.models import Plan

PLAN_CSV = climate_csv(orphan=False)



pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("var_dir")]


@pytest.fixture(autouse=True)
def in_background(settings):
    settings.JALON_IMPORT_BACKGROUND_BYTES = 200  # PLAN_CSV is larger: read in the background


def upload(client, world, data=PLAN_CSV, name="climat.csv"):
    return post_plan_file(client, world.org, data, name)


def test_a_large_file_goes_through_the_task_and_its_preview_appears(client, world, var_dir,
                                                                    monkeypatch):
    from jalon.web import import_jobs

    ran = []
    original = import_jobs.run
    monkeypatch.setattr(import_jobs, "run", lambda token: (ran.append(token), original(token)))
    client.force_login(world.editor)
    r = upload(client, world)
    assert r.status_code == 302 and "/reading/" in r["Location"]
    assert len(ran) == 1  # parsed by the task, not in the request
    r = client.get(r["Location"])  # the reading is done: on to the preview
    assert r.status_code == 302 and r["Location"].endswith(f"/import/{ran[0]}/")
    page = client.get(r["Location"]).content.decode()
    assert "Plan climat" in page and "<th scope=\"row\">Action</th><td>3</td>" in page
    assert Plan.objects.filter(title="Plan climat").count() == 0  # nothing saved yet
    r = client.post(r["Location"], {"action": "save", "replace": ""})
    assert Plan.objects.get(title="Plan climat").nodes.count() == 6


def test_the_progress_page_polls_until_the_worker_has_read_the_file(client, world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(world.editor)
    wait = upload(client, world)["Location"]
    page = client.get(wait).content.decode()  # queued: a progress bar that polls
    assert 'role="progressbar"' in page and "hx-get=" in page and "attend son tour" in page
    assert "ne répond pas" not in page
    token = wait.rstrip("/").split("/")[-2]
    from jalon.web import upload_store

    payload = upload_store.read_for_task(token)
    upload_store.write_for_task(token, {**payload, "queued_at": payload["queued_at"] - 60})
    assert "ne répond pas encore" in client.get(wait).content.decode()  # no worker running?
    preview = wait.replace("reading/", "")
    assert client.get(preview)["Location"] == wait  # no preview before the reading
    from jalon.web import import_jobs

    import_jobs.run(token)  # the worker reads it
    fragment = client.get(wait + "progress/", HTTP_HX_REQUEST="true")
    assert fragment["HX-Redirect"] == preview  # htmx goes to the preview
    assert "Plan climat" in client.get(preview).content.decode()


def test_bad_input_in_the_task_shows_one_line_and_writes_nothing(client, world, var_dir):
    client.force_login(world.editor)
    before = Plan.objects.count()
    r = upload(client, world, b"code;wrong;header\n" + b";;\n" * 100, "plan.csv")
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert 'role="alert"' in page and "rien n'a été enregistré" in page.replace("&#x27;", "'")
    (alert,) = [line for line in page.splitlines() if 'role="alert"' in line]
    assert "plan.csv" in alert
    assert "hx-get=" not in page  # finished: no more polling
    assert Plan.objects.count() == before
    assert not list((var_dir / "imports").glob("*.bin"))  # the file is not kept


def test_a_small_file_is_still_read_in_the_request(client, world, settings):
    settings.JALON_IMPORT_BACKGROUND_BYTES = 10 ** 6
    client.force_login(world.editor)
    r = upload(client, world)
    assert r.status_code == 302 and "/reading/" not in r["Location"]


def test_someone_else_cannot_follow_the_reading(client, world, var_dir):
    client.force_login(world.editor)
    wait = upload(client, world)["Location"]
    client.force_login(world.org_admin)
    assert client.get(wait).status_code == 404
    assert len(stored_imports(var_dir)) == 1
