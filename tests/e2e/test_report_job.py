"""A PDF asked from the web: the request returns at once with a progress bar, a worker (here a
thread running django-tasks-db's worker loop) produces it, and the file arrives."""

from __future__ import annotations

import contextlib
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

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    w = Worker(queue_names=["*"], interval=0.2, batch=False, backend_name="default",
               startup_delay=False, max_tasks=None, worker_id="e2e",
               excluded_queue_names=[])
    with one_writer_at_a_time(connection.vendor == "sqlite"):
        thread = threading.Thread(target=_work, args=(w,), daemon=True)
        thread.start()
        yield w
        w.running = False
        thread.join(timeout=30)


def _work(w) -> None:
    from django.db import connection

    try:
        w.run()
    finally:
        connection.close()


@contextlib.contextmanager
def one_writer_at_a_time(needed: bool):
    """The SQLite test database lives in memory in shared-cache mode, where a statement that
    meets another connection's table lock fails at once with «database table is locked»
    instead of waiting (a file database in WAL mode, as in production, waits).  Here the
    live server and the worker thread each have their connection: let them take turns, one
    statement (or one transaction, from BEGIN to COMMIT) at a time, readers not taking read
    locks (``read_uncommitted``)."""
    if not needed:
        yield
        return
    from django.db.backends.sqlite3 import base

    gate = threading.RLock()
    held = threading.local()
    cursor_cls, wrapper_cls = base.SQLiteCursorWrapper, base.DatabaseWrapper
    originals = {name: getattr(cls, name) for cls, names in (
        (cursor_cls, ("execute", "executemany")),
        (wrapper_cls, ("_start_transaction_under_autocommit", "_commit", "_rollback",
                       "get_new_connection"))) for name in names}

    def statement(name):
        def run(self, *args, **kwargs):
            with gate:
                return originals[name](self, *args, **kwargs)
        return run

    def begin(self):
        gate.acquire()
        held.depth = getattr(held, "depth", 0) + 1
        return originals["_start_transaction_under_autocommit"](self)

    def end(name):
        def run(self):
            try:
                return originals[name](self)
            finally:
                if getattr(held, "depth", 0):
                    held.depth -= 1
                    gate.release()
        return run

    def new_connection(self, conn_params):
        conn = originals["get_new_connection"](self, conn_params)
        conn.execute("PRAGMA read_uncommitted = 1")
        return conn

    patched = {"execute": statement("execute"), "executemany": statement("executemany"),
               "_start_transaction_under_autocommit": begin, "_commit": end("_commit"),
               "_rollback": end("_rollback"), "get_new_connection": new_connection}
    for name, fn in patched.items():
        setattr(cursor_cls if name.startswith("execute") else wrapper_cls, name, fn)
    from django.db import connection

    connection.cursor().execute("PRAGMA read_uncommitted = 1")
    try:
        yield
    finally:
        for name, fn in originals.items():
            setattr(cursor_cls if name.startswith("execute") else wrapper_cls, name, fn)


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
