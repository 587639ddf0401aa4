"""Background tasks of the reports app (run by ``jalon worker``; at once in tests)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_report(job_id: int) -> None:
    """Produce the document of a :class:`~jalon.reports.jobs.ReportJob`."""
    from .jobs import run_job

    run_job(job_id)
