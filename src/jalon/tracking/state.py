"""The one model of an item's state: late, derived status, progress shown — pure functions.

Every page, report, API answer and reminder asks this module (docs/follow-up.md explains it):

- **closed**: done, stopped, lapsed.  Stopped and lapsed items leave the roll-up (listed).
- **late**: not closed, and its deadline (``end_date``) has passed, or someone recorded it as
  late.  ``days_late`` counts calendar days since the deadline.
- **status shown** (``effective_status``): a closed status stays; a progress of 100 % means
  done; an item whose counted children are all done is done; a late item is late; an item with
  progress above 0, or with a child under way (in progress, late or done), is in progress —
  so an objective with progress is never «not started».
- **progress shown**: an item's own progress, else what its children roll up to
  (``tracking.rollup``), where a child without a figure counts 0 % (100 % when done).
- **imported progress** sets the status (``status_from_progress``): above 0 and below 100 →
  in progress, 100 → done, when the document gives no status of ours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .progress import children_first, rolled_up, shown
from .rollup import EXCLUDED_STATUSES, Rollup

NOT_STARTED, IN_PROGRESS, DONE, LATE = "not_started", "in_progress", "done", "late"
STOPPED, LAPSED = "stopped", "lapsed"
CLOSED = frozenset({DONE, STOPPED, LAPSED})
UNDER_WAY = frozenset({IN_PROGRESS, LATE, DONE})
HUNDRED = Decimal(100)


def _dec(x) -> Decimal | None:
    return None if x is None else Decimal(str(x))


def status_from_progress(status: str, progress) -> str:
    """The status an imported (or typed) progress implies when no status of ours is given."""
    p = _dec(progress)
    if status not in ("", NOT_STARTED) or p is None:
        return status or NOT_STARTED
    if p >= HUNDRED:
        return DONE
    return IN_PROGRESS if p > 0 else NOT_STARTED


def is_late(status: str, end_date: dt.date | None, today: dt.date) -> bool:
    """Late: not closed, and the deadline has passed or the item was recorded as late."""
    if status in CLOSED:
        return False
    return status == LATE or (end_date is not None and end_date < today)


def days_late(end_date: dt.date | None, today: dt.date) -> int:
    return max((today - end_date).days, 0) if end_date else 0


def effective_status(own: str, progress, end_date: dt.date | None, today: dt.date,
                     children: Iterable[str] = ()) -> str:
    """The status to show: ``own`` (stored), ``progress`` (shown), ``children`` (their
    effective statuses)."""
    if own in CLOSED:
        return own
    p = _dec(progress)
    counted = [c for c in children if c not in EXCLUDED_STATUSES]
    if (p is not None and p >= HUNDRED) or (counted and all(c == DONE for c in counted)):
        return DONE
    if is_late(own, end_date, today):
        return LATE
    if own == IN_PROGRESS or (p is not None and p > 0) or any(c in UNDER_WAY for c in counted):
        return IN_PROGRESS
    return NOT_STARTED


def node_state(node: Any, today: dt.date) -> State:
    """The state of one item judged on its own fields (status, progress, deadline), for lists
    of a person's actions (home page, reminders): the same as ``plan_states`` for an item
    without children."""
    status = effective_status(node.status, node.progress, node.end_date, today)
    late = status == LATE
    return State(status, node.status, late, days_late(node.end_date, today) if late else 0,
                 _dec(node.progress), None)


@dataclass
class State:
    status: str  # effective status
    own_status: str
    late: bool
    days_late: int
    progress: Decimal | None  # shown: own, else rolled up
    rollup: Rollup | None  # how the children's figure was made (items with children)


def plan_states(nodes: Iterable[Any], rule: str, today: dt.date) -> dict[int, State]:
    """Node id → ``State`` for every node, in memory (no query).

    ``nodes``: objects with ``id``, ``parent_id``, ``code``, ``position``, ``progress``,
    ``weight``, ``status``, ``end_date`` (and ``extra`` for the manual rule).
    """
    nodes = list(nodes)
    figures = rolled_up(nodes, rule)
    order, children = children_first(nodes)
    out: dict[int, State] = {}
    for n in order:  # children first
        progress = shown(n, figures)
        status = effective_status(n.status, progress, n.end_date, today,
                                  [out[c.id].status for c in children.get(n.id, [])])
        late = status == LATE
        out[n.id] = State(status, n.status, late,
                          days_late(n.end_date, today) if late else 0,
                          progress, figures.get(n.id))
    return out


def attach_states(nodes: Iterable[Any], rule: str, today: dt.date) -> dict[int, State]:
    """``plan_states`` and set ``state`` on each node object (for templates)."""
    nodes = list(nodes)
    states = plan_states(nodes, rule, today)
    for n in nodes:
        n.state = states[n.id]
    return states


def late_items(nodes: Iterable[Any], states: dict[int, State]) -> list[Any]:
    """The late items, oldest deadline first (the one list every page and report shows)."""
    late = [n for n in nodes if states[n.id].late]
    return sorted(late, key=lambda n: (n.end_date or dt.date.max, n.code))
