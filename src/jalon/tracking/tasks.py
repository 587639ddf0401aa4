"""Background tasks of the follow-up (run by ``jalon worker``; at once in tests)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def send_digests(day: str, again: bool = False) -> int | None:
    """The e-mail digests of ``day`` (ISO date): :func:`jalon.tracking.digests.send_digests`."""
    from .digests import send_digests as send

    return send(dt.date.fromisoformat(day), again=again)
