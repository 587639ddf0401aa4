"""Background tasks of the web app (run by ``jalon worker``; at once in tests)."""

from __future__ import annotations

from django_tasks import task


@task()
def parse_import(token: str) -> None:
    """Read a large uploaded plan for its preview (:func:`jalon.web.import_jobs.run`)."""
    from .import_jobs import run

    run(token)
