"""Documents produced in the background: ask (POST), follow the progress (htmx polling of a
fragment, or a reload without JavaScript), download the file (only whoever asked, while they
may still see the plan's reports)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .jobs import ReportJob, request_report
from .renderers import FORMATS
from .views import _report_params, _target

STALLED_AFTER = dt.timedelta(seconds=20)  # queued this long: say the worker may be down


def job_for(user, pk: int) -> ReportJob:
    job = (ReportJob.objects.select_related("plan__organization", "evaluation")
           .filter(pk=pk, requested_by=user).first())
    if job is None or not user.has_perm("reports.view_report", job.plan):
        raise Http404
    return job


@login_required
@require_POST
def report_job_start(request, kind: str, pk: int):
    """Record the job, hand it to the worker, show its progress page at once."""
    obj = _target(request, kind, pk)
    params, form = _report_params(request)
    if params is None or params["format"] not in FORMATS:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    job = request_report(obj, params["format"], sections=params["sections"] or None,
                         by=request.user)
    return redirect("report_job", pk=job.pk)


def _context(job: ReportJob) -> dict:
    stalled = (job.status == ReportJob.Status.QUEUED
               and timezone.now() - job.created_at > STALLED_AFTER)
    return {"job": job, "plan": job.plan, "obj": job.target, "stalled": stalled,
            "format": FORMATS.get(job.format)}


def _render_job(request, pk: int, template: str):
    """The job's page or its progress fragment (polled): never cached, the job moves on."""
    response = render(request, template, _context(job_for(request.user, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def report_job(request, pk: int):
    return _render_job(request, pk, "reports/job.html")


@login_required
@require_GET
def report_job_progress(request, pk: int):
    return _render_job(request, pk, "reports/_job_progress.html")


@login_required
@require_GET
def report_job_file(request, pk: int):
    job = job_for(request.user, pk)
    if job.status != ReportJob.Status.DONE or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=job.filename,
                        content_type=FORMATS[job.format].content_type)

