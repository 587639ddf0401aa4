"""The plan dashboard: progress per top-level objective (with its rule and inputs), status and
health distribution, overdue and at-risk items, indicators off target, budget planned against
spent; everything filterable by department.

Queries, whatever the plan's size: plan (1) + departments (1) + nodes with owners, departments,
mandataires and journal annotations (4) + indicators with their latest value (1) and targets (1) (tracking.status)
+ budget lines (1) + invented demo data (2).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from jalon.demo.followup import INVENTED
from jalon.plans.access import plan_for
from jalon.plans.models import Node, Plan
from jalon.tracking.evaluation import CLOSE, MET, MISSED, NO_DATA, NO_NORM
from jalon.tracking.models import BudgetLine, Measurement, ProgressUpdate
from jalon.tracking.progress import rolled_up, shown
from jalon.tracking.rollup import Rollup
from jalon.tracking.state import CLOSED, attach_states, late_items
from jalon.tracking.status import MAX_IDS, plan_indicator_statuses

from .charts import bar
from .forms import DepartmentFilter
from .fragments import cached_page
from .loading import children_of, department_scope, plan_nodes
from .rows import at_risk_rows, objective_rows, off_target_rows, overdue_rows
from .sheet import STATUS_LABELS
from .views import today

BAR_W = 240
EXCLUSION_LABELS = {"stopped": _("arrêté"), "lapsed": _("caduc")}
LIST_LIMIT = 50
ROW_H = 34  # budget chart: two 12-pixel bars and a gap per year


@dataclass
class Objective:
    node: Node
    value: Decimal | None
    rollup: Rollup | None
    inputs: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # code, value, w %
    excluded: list[tuple[str, str]] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)  # counted 0 % (not started)
    width: float = 0.0


@dataclass
class Slice:
    key: str
    label: str
    count: int
    width: float


@dataclass
class BudgetYear:
    year: int | None  # None: the plan gives no year
    planned: Decimal
    committed: Decimal
    spent: Decimal
    planned_w: float = 0.0
    spent_w: float = 0.0
    y: int = 0  # top of the year's bars in the chart

    @property
    def rate(self) -> Decimal | None:
        return (self.spent / self.planned * 100) if self.planned else None


def objectives(roots: list[Node], figures: dict[int, Rollup]) -> list[Objective]:
    out = []
    for r in roots:
        f = figures.get(r.id)
        value = f.value if f is not None else shown(r, figures)
        o = Objective(r, value, f, width=bar(value, 100, BAR_W))
        if f is not None:
            o.inputs = [(c, v, (w * 100).quantize(Decimal("0.1"))) for c, v, w in f.inputs]
            o.excluded = [(c, EXCLUSION_LABELS.get(why, why)) for c, why in f.excluded]
            o.assumed = f.assumed
        out.append(o)
    return out


def distribution(values: list[str], choices) -> list[Slice]:
    counts = Counter(values)
    total = len(values) or 1
    return [Slice(k, str(label), counts.get(k, 0), bar(counts.get(k, 0), total, BAR_W))
            for k, label in choices]


def budget_years(plan: Plan, node_ids: set[int]) -> list[BudgetYear]:
    years: dict[int, BudgetYear] = {}
    zero = Decimal(0)
    for b in BudgetLine.objects.filter(node__plan=plan).values_list(
            "node_id", "year", "planned", "committed", "spent"):
        node_id, year, planned, committed, spent = b
        if node_id not in node_ids:
            continue
        y = years.setdefault(year, BudgetYear(year, zero, zero, zero))
        y.planned += planned
        y.committed += committed
        y.spent += spent
    rows = [years[k] for k in sorted(years, key=lambda y: (y is None, y or 0))]
    top = max([max(y.planned, y.spent) for y in rows], default=0)
    for i, y in enumerate(rows):
        y.planned_w, y.spent_w = bar(y.planned, top, 420), bar(y.spent, top, 420)
        y.y = 4 + i * ROW_H
    return rows


def plan_dashboard(request, pk: int):
    plan = plan_for(request.user, pk)
    return cached_page(request, plan, "dashboard", "jalon/plan_dashboard.html",
                       lambda: dashboard_context(request, plan),
                       params=DepartmentFilter.base_fields)


def dashboard_context(request, plan: Plan) -> dict:
    departments = list(plan.organization.departments.all())
    filt = DepartmentFilter(request.GET or None, departments=departments)
    dept = filt.value()
    nodes = plan_nodes(plan)
    inside, kept = department_scope(nodes, dept)
    scoped = [n for n in nodes if n.id in kept]
    kids = children_of(scoped)
    vis = plan.visibility  # what the plan hides from this user (plans.access)
    figures = rolled_up(scoped, plan.rollup_rule) if vis.progress else {}
    has_children = {n.parent_id for n in nodes}
    leaves = [n for n in nodes if n.id in inside and n.id not in has_children]
    day = today()
    states = attach_states(nodes, plan.rollup_rule, day)  # the one model of state
    counted = [n for n in nodes if n.id in inside]
    open_inside = [n for n in counted if states[n.id].status not in CLOSED]
    overdue = late_items(counted, states)
    at_risk = [n for n in open_inside if n.current_health in (
        ProgressUpdate.Health.AT_RISK, ProgressUpdate.Health.BLOCKED)]
    node_ids = [n.id for n in nodes]  # the plan's indicators through their node index
    indicators = ([i for i in plan_indicator_statuses(plan, day, node_ids)
                   if i.indicator.node_id in inside] if vis.indicators else [])
    ind_counts = Counter(i.status for i in indicators)
    off_target = [i for i in indicators if i.status in (MISSED, CLOSE)]
    budget = budget_years(plan, inside) if vis.budget else []
    demo_updates = ProgressUpdate.objects.filter(node__plan=plan, demo=True).count()
    demo_values = Measurement.objects.filter(
        source=INVENTED, **({"indicator__node_id__in": node_ids} if len(node_ids) <= MAX_IDS
                            else {"indicator__node__plan": plan})).count()
    zero = Decimal(0)
    return {
        "plan": plan, "tab": "dashboard", "filter": filt, "department": next(
            (d for d in departments if d.pk == dept), None),
        "objectives": (tops := objectives(kids.get(None, []), figures)),
        "objective_rows": objective_rows(tops),
        "rule": plan.get_rollup_rule_display(), "rule_key": plan.rollup_rule,
        "leaf_count": len(leaves), "item_count": len(counted),
        "statuses": distribution([states[n.id].status for n in counted], Node.Status.choices),
        "healths": distribution([n.current_health or "none" for n in leaves],
                                [*ProgressUpdate.Health.choices,
                                 ("none", _("non renseignée"))]),
        "overdue": overdue[:LIST_LIMIT], "overdue_count": len(overdue),
        "overdue_rows": overdue_rows(overdue[:LIST_LIMIT]),
        "at_risk_rows": at_risk_rows(at_risk[:LIST_LIMIT]),
        "off_target_rows": off_target_rows(off_target[:LIST_LIMIT], STATUS_LABELS),
        "at_risk": at_risk[:LIST_LIMIT], "at_risk_count": len(at_risk),
        "off_target": off_target[:LIST_LIMIT], "off_target_count": len(off_target),
        "indicator_counts": [(STATUS_LABELS[k], ind_counts.get(k, 0))
                             for k in (MET, CLOSE, MISSED, NO_DATA, NO_NORM)],
        "indicator_total": len(indicators), "status_labels": STATUS_LABELS,
        "stale_count": sum(1 for i in indicators if i.stale),
        "budget": budget, "budget_height": 8 + len(budget) * ROW_H,
        "budget_total": BudgetYear(0, sum((y.planned for y in budget), zero),
                                   sum((y.committed for y in budget), zero),
                                   sum((y.spent for y in budget), zero)),
        "today": day, "demo_updates": demo_updates, "demo_values": demo_values,
    }
