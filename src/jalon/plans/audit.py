"""Audit attribution: who the next history record of an object is written for.

Every write service takes ``by=user`` and calls ``attributed(obj, by)`` before saving or
deleting, so that records written outside a web session (API tokens, CLI, tasks) name the
right person.  django-simple-history reads ``obj._history_user``; this module is the only
place that knows it.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def attributed(obj: T, by) -> T:
    """Attribute the audit record of ``obj``'s next save/delete to ``by`` and return ``obj``.

    ``by=None`` (or an anonymous user): the request's user when there is one, else «système».
    """
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by  # type: ignore[attr-defined]
    return obj
