"""A PDF asked from the web: the request returns at once with a progress bar, a worker (here a
thread running django-tasks-db's worker loop) produces it, and the file arrives."""

from __future__ import annotations

import re
import threading

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings, tmp_path):
    """The database backend, as in production, with a worker beside the live server."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    if connection.vendor == "sqlite":
        pytest.skip("the test database is SQLite in memory (shared cache): a page read fails "
                    "with «table is locked» while the worker thread writes; run on PostgreSQL")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    w = Worker(queue_names=["*"], interval=0.2, batch=False, backend_name="default",
               startup_delay=False, max_tasks=None, worker_id="e2e",
               excluded_queue_names=[])

    def uncommitted_reads():
        # the test database is SQLite in memory in shared-cache mode, where a reader waits on
        # a writer's table lock (a file in WAL mode, as in production, does not): let the
        # pages read while the worker writes its progress
        if connection.vendor == "sqlite":
            connection.cursor().execute("PRAGMA read_uncommitted = 1")

    uncommitted_reads()

    def run():
        uncommitted_reads()
        try:
            w.run()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield w
    w.running = False
    thread.join(timeout=30)


def test_a_pdf_asked_from_the_web_shows_its_progress_then_arrives(shown, worker, new_context):
    from playwright.sync_api import expect

    from jalon.reports.jobs import ReportJob

    page = new_context(shown.reader).new_page()
    page.goto(reverse("evaluation_list", args=[shown.plan.pk]))
    form = page.locator("form.report-form").last
    form.get_by_label("Format").select_option("pdf")
    for section in ("Indicateurs", "Budget", "Annexe : fiches actions"):
        form.get_by_label(section).uncheck()
    form.get_by_role("button", name="Produire le document").click()
    expect(page).to_have_url(re.compile(r"/reports/jobs/\d+/$"))
    bar = page.get_by_role("progressbar")
    expect(bar).to_be_visible()
    link = page.get_by_role("link", name=re.compile(r"\.pdf$"))
    expect(link).to_be_visible(timeout=60_000)  # polled in place: no reload
    expect(bar).to_have_attribute("aria-valuenow", "100")
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-"
    job = ReportJob.objects.get()
    assert job.status == "done" and job.requested_by == shown.reader
    assert job.sections == ["cover", "summary", "actions"]
