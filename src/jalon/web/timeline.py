"""The timeline (Gantt) of a plan: planned dates against actual ones, slippage visible.

Planned: the node's ``start_date`` / ``end_date`` (parsed from the printed dates).  Actual: from
the first journal entry to the entry that marked it done (or the latest entry while it runs).
Slippage: a planned end that has passed on an item not done (up to today), or the days by which
a done item finished after its planned end.

Queries, whatever the plan's size: plan (1) + departments (1) + nodes with owners, departments,
mandataires and journal dates (4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator

from jalon.plans.access import plan_for
from jalon.plans.models import Node, Plan
from jalon.plans.services import plan_tree, walk
from jalon.tracking.state import CLOSED, attach_states

from .charts import gantt
from .forms import TimelineFilter
from .fragments import cached_page
from .loading import department_scope, level_label, plan_nodes
from .rows import gantt_rows, timeline_rows
from .views import today

PER_PAGE = 200


@dataclass
class Line:
    node: Node
    level: str
    actual_start: dt.date | None
    actual_end: dt.date | None
    slip_end: dt.date | None  # where the red slippage bar stops
    late_days: int  # > 0: late (still open) or finished late
    state: str  # late, done_late, done, open, closed


def line(node: Node, day: dt.date, level: str) -> Line:
    """``node.state`` (tracking.state) says whether it is late; the journal says when it was
    done."""
    state = node.state
    done = state.status == Node.Status.DONE
    start = getattr(node, "first_update", None)
    end = node.done_on if done and node.done_on else getattr(node, "last_update", None)
    slip_end, late, kind = None, 0, "open"
    if done:
        kind = "done"
        if node.done_on and node.end_date and node.done_on > node.end_date:
            slip_end, late, kind = node.done_on, (node.done_on - node.end_date).days, "done_late"
    elif state.status in CLOSED:
        kind = "closed"
    elif state.late:
        slip_end, late, kind = (day if node.end_date else None), state.days_late, "late"
    return Line(node, level, start, end, slip_end, late, kind)


def plan_timeline(request, pk: int):
    plan = plan_for(request.user, pk)
    return cached_page(request, plan, "timeline", "jalon/plan_timeline.html",
                       lambda: timeline_context(request, plan),
                       params=[*TimelineFilter.base_fields, "page"])


def timeline_context(request, plan: Plan) -> dict:
    departments = list(plan.organization.departments.all())
    nodes = plan_nodes(plan, with_journal_dates=True)
    levels: list[str] = []
    for n in nodes:
        if (lv := level_label(plan, n)) not in levels:
            levels.append(lv)
    filt = TimelineFilter(request.GET or None, departments=departments, levels=levels)
    inside, _ = department_scope(nodes, filt.value())
    wanted_level = filt.wanted_level()
    day = today()
    states = attach_states(nodes, plan.rollup_rule, day)
    lines = [line(n, day, level_label(plan, n)) for n in walk(plan_tree(plan, nodes))
             if n.id in inside and (n.start_date or n.end_date)
             and (not wanted_level or level_label(plan, n) == wanted_level)]
    page = Paginator(lines, PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    chart = None
    if shown:
        dates = [d for ln in shown for d in (ln.node.start_date, ln.node.end_date,
                                                ln.actual_start, ln.actual_end, ln.slip_end) if d]
        start = min(dates + ([dt.date(plan.period_start, 1, 1)] if plan.period_start else []))
        end = max(dates + ([dt.date(plan.period_end, 12, 31)] if plan.period_end else []))
        start = dt.date(start.year, 1, 1)
        end = dt.date(end.year, 12, 31)
        chart = gantt([(ln, ln.node.start_date, ln.node.end_date, ln.actual_start,
                        ln.actual_end, ln.slip_end) for ln in shown], start, end, day)
    return {
        "gantt_rows": gantt_rows(chart.rows) if chart else "",
        "table_rows": timeline_rows(shown),
        "plan": plan, "tab": "timeline", "filter": filt, "page": page, "chart": chart,
        "total": len(lines),
        "late_count": sum(1 for n in nodes if n.id in inside and states[n.id].late
                          and (not wanted_level or level_label(plan, n) == wanted_level)),
        "today": day,
        "department": next((d for d in departments if d.pk == filt.value()), None),
    }
