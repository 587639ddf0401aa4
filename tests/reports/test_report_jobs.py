"""Documents produced in the background: the request returns a progress page, the worker
records its progress and the file, only whoever asked downloads it (tasks run at once in
tests: see tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.reports import services
from jalon.reports.jobs import ReportJob, run_job
from jalon.reports.tasks import build_report


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_document_is_asked_then_followed_then_downloaded(client, followed):
    e = services.create_evaluation(followed.plan)
    client.force_login(followed.reader)
    response = client.post(reverse("evaluation_report_build", args=[e.pk]),
                           {"format": "docx", "sections": ["cover", "summary", "annex"]})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("report_job",
                                                                           args=[job.pk])
    assert (job.requested_by, job.plan, job.evaluation, job.format) == (
        followed.reader, followed.plan, e, "docx")
    assert job.status == "done" and job.done == job.total == 6 and job.error == ""
    page = client.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="100"' in page
    assert "Document prêt" in page and job.filename in page
    assert "hx-trigger" not in page  # finished: the page stops polling
    download = client.get(reverse("report_job_file", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert job.filename in download["Content-Disposition"]


def test_a_running_job_shows_its_step_and_keeps_polling(client, followed):
    client.force_login(followed.editor)
    job = ReportJob.objects.create(requested_by=followed.editor, plan=followed.plan,
                                   format="pdf", status="running", done=3, total=8,
                                   step="Tableau des actions")
    fragment = client.get(reverse("report_job_progress", args=[job.pk])).content.decode()
    assert 'aria-valuenow="38"' in fragment and "Étape 3/8 : Tableau des actions" in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert "report_job_file" not in fragment and "/file/" not in fragment
    assert client.get(reverse("report_job_file", args=[job.pk])).status_code == 404


def test_only_whoever_asked_sees_the_job_and_its_file(client, followed):
    client.force_login(followed.reader)
    client.post(reverse("plan_report_build", args=[followed.plan.pk]),
                {"format": "ods", "sections": ["cover", "actions"]})
    job = ReportJob.objects.get()
    for user in (followed.editor, followed.outsider):
        client.force_login(user)
        for name in ("report_job", "report_job_progress", "report_job_file"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
    client.force_login(followed.outsider)  # and nobody asks for a document of a hidden plan
    assert client.post(reverse("plan_report_build", args=[followed.plan.pk]),
                       {"format": "pdf"}).status_code == 404
    assert ReportJob.objects.count() == 1


def test_a_failure_is_one_translated_line_and_no_file(client, followed, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("police introuvable\nligne 2")

    monkeypatch.setattr("jalon.reports.renderers.render_document", broken)
    client.force_login(followed.reader)
    client.post(reverse("plan_report_build", args=[followed.plan.pk]), {"format": "xlsx"},
                HTTP_ACCEPT_LANGUAGE="en")
    job = ReportJob.objects.get()
    assert job.status == "failed" and not job.file
    assert job.error == "The document could not be produced: police introuvable ligne 2"
    page = client.get(reverse("report_job", args=[job.pk])).content.decode()
    assert 'role="alert"' in page and "could not be produced" in page


def test_a_pdf_link_goes_through_the_worker(client, followed):
    client.force_login(followed.reader)
    response = client.get(reverse("plan_report", args=[followed.plan.pk, "pdf"]),
                          {"sections": ["cover"]})
    job = ReportJob.objects.get()  # (tasks run at once in tests: the file is ready)
    assert response.status_code == 302 and response["Location"].endswith(
        f"/jobs/{job.pk}/file/")
    data = b"".join(client.get(reverse("report_job_file", args=[job.pk])).streaming_content)
    assert data[:5] == b"%PDF-"


def test_the_task_runs_a_job_once(followed):
    job = ReportJob.objects.create(requested_by=followed.reader, plan=followed.plan,
                                   format="xlsx", sections=["cover"])
    build_report.enqueue(job.pk)
    job.refresh_from_db()
    first = job.file.name
    assert job.status == "done" and first
    run_job(job.pk)  # a task delivered twice does not produce the document again
    job.refresh_from_db()
    assert job.file.name == first


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "ods"])
def test_every_format_link_is_produced_by_the_worker(client, followed, fmt, monkeypatch):
    """The one-link form (…/report.xlsx) is a job like the form's: the web request only records
    it; while the worker has not run it, the answer is the progress page."""
    from types import SimpleNamespace

    from jalon.reports import tasks

    queued = []
    monkeypatch.setattr(tasks, "build_report", SimpleNamespace(
        enqueue=lambda pk: queued.append(pk) or SimpleNamespace(id="t1")))
    client.force_login(followed.reader)
    response = client.get(reverse("plan_report", args=[followed.plan.pk, fmt]))
    job = ReportJob.objects.get()
    assert queued == [job.pk] and job.status == "queued" and job.format == fmt
    assert response.status_code == 302 and response["Location"] == reverse("report_job",
                                                                           args=[job.pk])


def test_a_link_answers_with_the_file_when_ready_and_reuses_it_until_the_plan_changes(
        client, followed):
    from jalon.plans.changes import touch_plan

    client.force_login(followed.reader)
    url = reverse("plan_report", args=[followed.plan.pk, "xlsx"])
    first = client.get(url)
    job = ReportJob.objects.get()
    assert first["Location"] == reverse("report_job_file", args=[job.pk])
    assert client.get(first["Location"]).status_code == 200
    again = client.get(url)  # same person, same day, same plan version: the same file
    assert again["Location"] == first["Location"] and ReportJob.objects.count() == 1
    client.force_login(followed.editor)  # another person: their own document
    client.get(url)
    assert ReportJob.objects.count() == 2
    client.force_login(followed.reader)
    touch_plan(followed.plan.pk)  # the plan changed: a new document
    assert client.get(url)["Location"] != first["Location"]
    assert ReportJob.objects.count() == 3
