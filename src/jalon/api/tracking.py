"""Follow-up: the journal of a node, indicators with their targets and measurements (one at a
time or in bulk, for BI tools and data warehouses), indicator statuses, budget lines and
totals, and the caller's reminders.

Same permissions as the web (``plans.rules``), same contract as the other routes (404 hidden,
403 visible but not writable, 401 writing anonymously):

- reading follows the node's plan: members see everything; the public (anonymous callers, and
  members of other organizations, on a published plan) reads the journal without its authors,
  the measurements without who entered them, and nothing of what ``Plan.hidden_fields`` hides
  (``progress``; ``indicators``; ``budget``/``resources``);
- the journal, indicators, targets, single measurements and budget lines of a node are written
  by whoever may change the node (``plans.change_node``: plan writers, the department's
  editors, the node's owners); deleting an indicator, which takes its whole series with it,
  needs a plan writer (``plans.delete_node``, like deleting a node);
- the bulk upload of a plan's measurements needs a plan writer (``plans.change_plan``).

Writes go through ``tracking.services`` (``post_update``, ``record_measurement``,
``import_measurements``, ``create_record``/``update_record``/``delete_record``,
``replace_targets``): one transaction, changed fields only, an audit record attributed with
``by=``.  Updates of indicators, targets and budget lines require the ``version`` the caller
read (409 with the current version otherwise), like nodes.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate

from jalon.plans.access import hide_from_public, node_for, org_objects, plan_for
from jalon.plans.models import Node, Person, Plan
from jalon.plans.services import ConflictError
from jalon.tracking.models import BudgetLine, Indicator, dimensions_key
from jalon.tracking.periods import parse_period
from jalon.tracking.reminders import reminders_for
from jalon.tracking.services import (
    BulkRejected,
    RowError,
    check_measurement_rows,
    create_record,
    delete_record,
    import_measurements,
    post_update,
    record_measurement,
    replace_targets,
    update_record,
)
from jalon.tracking.state import plan_states
from jalon.tracking.status import plan_indicator_statuses

from .auth import PUBLIC_READ
from .pagination import BoundedPagination
from .schemas import RULE, ConflictOut, Date, ErrorOut
from .tracking_schemas import (
    DIMENSIONS_KEY_MAX,
    SOURCE_MAX,
    VALUE_LIMIT,
    VALUE_PLACES,
    BudgetLineIn,
    BudgetLineOut,
    BudgetLinePatch,
    BudgetTotalsOut,
    BulkIn,
    BulkOut,
    BulkRejectedOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    IndicatorStatusOut,
    MeasurementFilter,
    MeasurementIn,
    MeasurementOut,
    PlanStateOut,
    ReminderOut,
    TargetIn,
    TargetOut,
    UpdateIn,
    UpdateOut,
    rounded,
)

router = Router(tags=["suivi"])

JOURNAL, INDICATORS, MEASUREMENTS = ["journal"], ["indicateurs"], ["mesures"]
BUDGET, REMINDERS = ["budget"], ["rappels"]


# -- fetching for this user ---------------------------------------------------------------

def _public_view(request, plan: Plan) -> frozenset[str]:
    """Tell the schemas whether the caller sees ``plan`` as the public, and what it hides from
    them; return the hidden keys (``opendata.hidden_keys``: groups expanded)."""
    return hide_from_public(request, plan).keys


def _node_to_read(user, pk: int) -> Node:
    """A node the user may see, without what only the node schemas need (cheaper than
    ``access.node_for``)."""
    node = (Node.objects.for_user(user, "view").select_related("plan__organization")
            .filter(pk=pk).first())
    if node is None:
        raise HttpError(404, _("Élément introuvable."))
    return node


def _indicator_for(request, pk: int, action: str = "view") -> Indicator:
    """An indicator of a node the user may see; writes ask the rules about its node."""
    user = request.auth
    ind = (Indicator.objects.filter(pk=pk, node__plan__in=Plan.objects.for_user(user, "view"))
           .select_related("owner", "node__plan__organization").first())
    if ind is None or "indicators" in _public_view(request, ind.node.plan):
        raise HttpError(404, _("Indicateur introuvable."))
    perm = {"view": None, "change": "plans.change_node", "delete": "plans.delete_node"}[action]
    if perm and not user.has_perm(perm, ind.node):
        raise HttpError(403, _("Vous ne pouvez pas modifier cet indicateur."))
    return ind


def _budget_line_for(user, pk: int) -> BudgetLine:
    """A budget line the user may change (404 when its node is hidden from them)."""
    line = (BudgetLine.objects.filter(pk=pk, node__plan__in=Plan.objects.for_user(user, "view"))
            .select_related("node__plan").first())
    if line is None:
        raise HttpError(404, _("Ligne budgétaire introuvable."))
    if not user.has_perm("plans.change_node", line.node):
        raise HttpError(403, _("Vous ne pouvez pas modifier cet élément."))
    return line


def _as_of(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def _conflict(exc: ConflictError):
    return Status(409, {"detail": str(exc), "version": exc.obj.version})


def _owner(plan: Plan, data: dict) -> None:
    """Turn an ``owner`` id into the Person (of the plan's organization, else 400)."""
    if data.get("owner") is not None:
        data["owner"] = org_objects(Person, plan.organization_id, [data["owner"]])[0]


def _check_in_plan(plan: Plan, period: str) -> None:
    """The period must fall within the plan's years (as the bulk upload checks)."""
    year = parse_period(period)[1].year
    if (plan.period_start and year < plan.period_start) or (
            plan.period_end and year > plan.period_end):
        raise HttpError(400, _("Période %(period)s hors du plan (%(start)s–%(end)s).")
                        % {"period": period, "start": plan.period_start or "…",
                           "end": plan.period_end or "…"})


# -- journal ------------------------------------------------------------------------------

@router.get("/nodes/{node_id}/updates", response={200: list[UpdateOut], 404: ErrorOut},
            auth=PUBLIC_READ, tags=JOURNAL)
@paginate(BoundedPagination, page_size=100, max_page_size=500)
def update_list(request, node_id: int):
    """The node's journal, newest first (the first entry is the current state)."""
    node = _node_to_read(request.auth, node_id)
    _public_view(request, node.plan)
    return node.updates.select_related("author").order_by("-date", "-created", "-id")


@router.post("/nodes/{node_id}/updates",
             response={201: UpdateOut, 403: ErrorOut, 404: ErrorOut}, tags=JOURNAL)
def update_create(request, node_id: int, payload: UpdateIn):
    """Add a journal entry by the caller; the latest entry sets the node's status and
    progress (``tracking.services.post_update``).  Attachments: through the web only."""
    node = node_for(request.auth, node_id, "change")
    data = payload.dict()
    update = post_update(node, by=request.auth, date=data["date"] or timezone.localdate(),
                         status=data["status"], health=data["health"],
                         progress=data["progress"], text=data["text"].strip())
    return Status(201, update)


# -- indicators ---------------------------------------------------------------------------

@router.get("/nodes/{node_id}/indicators", response={200: list[IndicatorOut], 404: ErrorOut},
            auth=PUBLIC_READ, tags=INDICATORS)
def indicator_list(request, node_id: int):
    node = _node_to_read(request.auth, node_id)
    if "indicators" in _public_view(request, node.plan):
        return []
    return node.indicators.select_related("owner").order_by("position", "id")


@router.post("/nodes/{node_id}/indicators",
             response={201: IndicatorOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
             tags=INDICATORS)
def indicator_create(request, node_id: int, payload: IndicatorIn):
    node = node_for(request.auth, node_id, "change")
    data = payload.dict()
    _owner(node.plan, data)
    if data["position"] is None:
        last = node.indicators.aggregate(last=Max("position"))["last"]
        data["position"] = 0 if last is None else last + 1
    return Status(201, create_record(Indicator(node=node, **data), by=request.auth))


@router.get("/indicators/{indicator_id}", response={200: IndicatorOut, 404: ErrorOut},
            auth=PUBLIC_READ, tags=INDICATORS)
def indicator_detail(request, indicator_id: int):
    return _indicator_for(request, indicator_id)


@router.patch("/indicators/{indicator_id}",
              response={200: IndicatorOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                        409: ConflictOut}, tags=INDICATORS)
def indicator_update(request, indicator_id: int, payload: IndicatorPatch):
    """Change some fields; ``version`` is the one you read (409 if it changed since)."""
    ind = _indicator_for(request, indicator_id, "change")
    changes = payload.changes()
    _owner(ind.node.plan, changes)
    try:
        saved = update_record(ind, changes, expected_version=payload.version, by=request.auth)
    except ConflictError as exc:
        return _conflict(exc)
    saved.owner = changes.get("owner", ind.owner)  # what the schema prints, without a query
    return saved


@router.delete("/indicators/{indicator_id}", response={204: None, 403: ErrorOut, 404: ErrorOut},
               tags=INDICATORS)
def indicator_delete(request, indicator_id: int):
    """Delete the indicator with its targets and measurements (plan writers only)."""
    delete_record(_indicator_for(request, indicator_id, "delete"), by=request.auth)
    return Status(204, None)


@router.get("/indicators/{indicator_id}/targets",
            response={200: list[TargetOut], 404: ErrorOut}, auth=PUBLIC_READ, tags=INDICATORS)
def target_list(request, indicator_id: int):
    return _indicator_for(request, indicator_id).targets.order_by("period")


@router.put("/indicators/{indicator_id}/targets",
            response={200: list[TargetOut], 403: ErrorOut, 404: ErrorOut, 409: ConflictOut},
            tags=INDICATORS)
def target_replace(request, indicator_id: int, payload: list[TargetIn],
                   version: int = Query(..., ge=1, le=2_147_483_647,
                                             description="la version lue de l'indicateur")):
    """Replace all the targets: periods not sent are removed; one target per period.
    ``version`` is the indicator's (targets are part of it): 409 if it changed since."""
    ind = _indicator_for(request, indicator_id, "change")
    seen: dict[str, int] = {}
    errors = []
    for i, t in enumerate(payload):
        if t.period in seen:
            errors.append({"loc": ["body", "payload", i, "period"], "type": RULE,
                           "msg": _("période %(period)s en double (position %(pos)s)")
                           % {"period": t.period, "pos": seen[t.period]}})
        seen.setdefault(t.period, i)
    if errors:
        raise ValidationError(errors)
    try:
        return replace_targets(ind, [t.dict() for t in payload], expected_version=version,
                               by=request.auth)
    except ConflictError as exc:
        return _conflict(exc)


# -- measurements -------------------------------------------------------------------------

def _period_start(key: str) -> dt.date:
    """First day of a canonical period key (``2024``, ``2024-Q2``, ``2024-05``)."""
    year = int(key[:4])
    if len(key) == 4:
        return dt.date(year, 1, 1)
    if key[5] == "Q":
        return dt.date(year, 3 * int(key[6]) - 2, 1)
    return dt.date(year, int(key[5:7]), 1)


@router.get("/indicators/{indicator_id}/measurements",
            response={200: list[MeasurementOut], 404: ErrorOut}, auth=PUBLIC_READ,
            tags=MEASUREMENTS)
@paginate(BoundedPagination, page_size=100, max_page_size=1000)
def measurement_list(request, indicator_id: int, filters: Query[MeasurementFilter]):
    """The indicator's series in period order (then by breakdown); ``period_from`` /
    ``period_to`` keep the periods ending within them; ``page_size`` up to 1000."""
    ind = _indicator_for(request, indicator_id)
    qs = (ind.measurements.select_related("entered_by")
          .order_by("period_end", "period", "dimensions_key", "id"))
    if filters.period_from:
        qs = qs.filter(period_end__gte=_period_start(filters.period_from))
    if filters.period_to:
        qs = qs.filter(period_end__lte=parse_period(filters.period_to)[1])
    return qs


@router.post("/indicators/{indicator_id}/measurements",
             response={200: MeasurementOut, 201: MeasurementOut, 400: ErrorOut, 403: ErrorOut,
                       404: ErrorOut}, tags=MEASUREMENTS)
def measurement_record(request, indicator_id: int, payload: MeasurementIn):
    """Record one value, idempotent per indicator + period + dimensions: 201 when it is new,
    200 when it replaced the value (or was already there)."""
    ind = _indicator_for(request, indicator_id, "change")
    _check_in_plan(ind.node.plan, payload.period)
    args = {"dimensions": payload.dimensions, "comment": payload.comment.strip(),
            "source": payload.source.strip(), "by": request.auth, "missing": payload.missing}
    try:
        try:
            with transaction.atomic():
                m, created = record_measurement(ind, payload.period, payload.value, **args)
        except IntegrityError:  # somebody recorded the same period at the same instant
            m, created = record_measurement(ind, payload.period, payload.value, **args)
    except (ValueError, InvalidOperation) as exc:  # «abc», a value too large
        return Status(400, {"detail": str(exc)})
    return Status(201 if created else 200, m)


def _bulk_rows(payload: BulkIn) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """The rows in the form ``tracking.services`` reads (numbered from 1, ``dim:`` columns),
    values rounded as stored; rows that could not be stored at all are errors already."""
    rows, errors = [], []
    for number, r in enumerate(payload.rows, start=1):
        value = r.value  # a string («81 %», «1.234,5», «n.d.») is read by the service
        if isinstance(value, Decimal) and value.is_finite():
            try:
                value = rounded(value, VALUE_PLACES, VALUE_LIMIT)
            except ValueError as exc:
                errors.append(RowError(number, str(exc)))
                continue
        dims = {str(k).strip(): str(v).strip() for k, v in r.dimensions.items()}
        if len(dimensions_key(dims)) > DIMENSIONS_KEY_MAX:
            errors.append(RowError(number, _("ventilation trop longue (au plus %(n)s "
                                             "caractères)") % {"n": DIMENSIONS_KEY_MAX}))
            continue
        if len(r.source.strip()) > SOURCE_MAX:
            errors.append(RowError(number, _("source trop longue (au plus %(n)s caractères)")
                                   % {"n": SOURCE_MAX}))
            continue
        rows.append((number, {
            "indicator_id": "" if r.indicator_id is None else str(r.indicator_id),
            "code": r.code or "", "indicator": r.indicator or "",
            "period": "" if r.period is None else str(r.period),
            "value": "" if value is None else str(value),
            "comment": r.comment, "source": r.source,
            **{f"dim:{k}": v for k, v in dims.items()}}))
    return rows, errors


def _row_errors(*groups: list[RowError]) -> list[dict]:
    return [{"row": e.row, "message": e.message}
            for e in sorted((e for g in groups for e in g), key=lambda e: e.row)]


def _rejected(errors: list[dict]):
    return Status(422, {
        "detail": _("%(n)d ligne(s) en erreur : rien n'a été enregistré. Corrigez-les, ou "
                    "renvoyez avec accept_valid pour enregistrer les lignes valides.")
        % {"n": len(errors)}, "errors": errors})


@router.post("/plans/{plan_id}/measurements/bulk",
             response={200: BulkOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                       422: BulkRejectedOut}, tags=MEASUREMENTS)
def measurement_bulk(request, plan_id: int, payload: BulkIn):
    """Many measurements of the plan's indicators at once, for BI tools and data warehouses.

    A row names its indicator by ``indicator_id``, or by the node ``code`` and the
    ``indicator`` name.  Every row is checked first: with errors, the answer is a 422 listing
    them all with their row numbers, and nothing is written, unless ``accept_valid`` asks to
    write the valid rows anyway (the errors are then in the answer).  Idempotent per
    indicator + period + dimensions: sending the same rows again creates nothing.
    """
    plan = plan_for(request.auth, plan_id, "change")
    rows, early = _bulk_rows(payload)
    if early and not payload.accept_valid:  # report them with every other row error
        return _rejected(_row_errors(early, check_measurement_rows(plan, rows).errors))
    try:
        result = import_measurements(plan, rows, accept_valid=payload.accept_valid,
                                     by=request.auth, channel="api")
    except BulkRejected as exc:
        return _rejected(_row_errors(early, exc.result.errors))
    except IntegrityError as exc:  # a concurrent upload wrote the same periods first
        raise HttpError(409, _("Des mesures ont été enregistrées en même temps ; "
                               "renvoyez les lignes.")) from exc
    return {"created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "errors": _row_errors(early, result.errors)}


@router.get("/plans/{plan_id}/indicators/status",
            response={200: list[IndicatorStatusOut], 404: ErrorOut}, auth=PUBLIC_READ,
            tags=INDICATORS)
def indicator_status_list(request, plan_id: int, as_of: Date | None = None):
    """Every indicator of the plan against its target or norm, and whether it is stale
    (``as_of``: the day to judge staleness on, today by default)."""
    plan = plan_for(request.auth, plan_id)
    if "indicators" in _public_view(request, plan):
        return []
    return [{"indicator": s.indicator.pk, "node": s.indicator.node_id,
             "node_code": s.indicator.node.code, "name": s.indicator.name,
             "kind": s.indicator.kind, "unit": s.indicator.unit,
             "direction": s.indicator.direction, "frequency": s.indicator.frequency,
             "status": s.status, "stale": s.stale, "last_period": s.last_period,
             "last_value": s.last_value, "target": s.target}
            for s in plan_indicator_statuses(plan, _as_of(as_of))]


# -- state --------------------------------------------------------------------------------

@router.get("/plans/{plan_id}/state", response={200: PlanStateOut, 404: ErrorOut},
            auth=PUBLIC_READ, tags=["suivi"])
def plan_state(request, plan_id: int, as_of: dt.date | None = None):
    """Every node's state by the one model of ``tracking.state`` (docs/follow-up.md): the
    status shown (late, derived from the children and the progress), the status recorded,
    late or not and by how many days, the progress shown; with the late count and the counts
    by status that the dashboard shows.  Two queries."""
    plan = plan_for(request.auth, plan_id)
    hidden = _public_view(request, plan)
    day = _as_of(as_of)
    rows = [SimpleNamespace(**r) for r in plan.nodes.order_by("depth", "position", "id").values(
        "id", "parent_id", "code", "position", "progress", "weight", "status", "end_date",
        "extra")]
    states = plan_states(rows, plan.rollup_rule, day)
    no_status = "status" in hidden
    no_late = no_status or "end_date" in hidden
    nodes = [{"node": r.id, "code": r.code,
              "status": "" if no_status else states[r.id].status,
              "own_status": "" if no_status else r.status,
              "late": False if no_late else states[r.id].late,
              "days_late": 0 if no_late else states[r.id].days_late,
              "progress": None if "progress" in hidden or states[r.id].progress is None
              else float(states[r.id].progress)} for r in rows]
    by_status: dict[str, int] = {}
    if not no_status:
        for r in rows:
            by_status[states[r.id].status] = by_status.get(states[r.id].status, 0) + 1
    return {"plan": plan.pk, "as_of": day, "late": sum(1 for n in nodes if n["late"]),
            "by_status": by_status, "nodes": nodes}


# -- budget -------------------------------------------------------------------------------

@router.get("/nodes/{node_id}/budget", response={200: list[BudgetLineOut], 404: ErrorOut},
            auth=PUBLIC_READ, tags=BUDGET)
def budget_list(request, node_id: int):
    node = _node_to_read(request.auth, node_id)
    if "budget" in _public_view(request, node.plan):
        return []
    return node.budget_lines.order_by("year", "id")


@router.post("/nodes/{node_id}/budget",
             response={201: BudgetLineOut, 403: ErrorOut, 404: ErrorOut}, tags=BUDGET)
def budget_create(request, node_id: int, payload: BudgetLineIn):
    node = node_for(request.auth, node_id, "change")
    return Status(201, create_record(BudgetLine(node=node, **payload.dict()), by=request.auth))


@router.patch("/budget/{line_id}",
              response={200: BudgetLineOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut},
              tags=BUDGET)
def budget_update(request, line_id: int, payload: BudgetLinePatch):
    """Change some amounts; ``version`` is the one you read (409 if it changed since)."""
    try:
        return update_record(_budget_line_for(request.auth, line_id), payload.changes(),
                             expected_version=payload.version, by=request.auth)
    except ConflictError as exc:
        return _conflict(exc)


@router.delete("/budget/{line_id}", response={204: None, 403: ErrorOut, 404: ErrorOut},
               tags=BUDGET)
def budget_delete(request, line_id: int):
    delete_record(_budget_line_for(request.auth, line_id), by=request.auth)
    return Status(204, None)


_AMOUNTS = ("planned", "committed", "spent")


class _Totals:
    """Sums by year, funding source and budget type."""

    def __init__(self) -> None:
        zero = (Decimal(0),) * 3
        self.total = list(zero)
        self.parts: dict[str, dict[Any, list[Decimal]]] = {
            "year": defaultdict(lambda: list(zero)), "funding_source": defaultdict(
                lambda: list(zero)), "budget_type": defaultdict(lambda: list(zero))}

    def add(self, line: dict) -> None:
        for bucket in (self.total, *(self.parts[k][line[k]] for k in self.parts)):
            for i, name in enumerate(_AMOUNTS):
                bucket[i] += line[name] or 0

    def out(self) -> dict:
        def amounts(sums):
            return dict(zip(_AMOUNTS, sums, strict=True))

        return {"total": amounts(self.total), **{
            f"by_{k}": [{k: key, **amounts(sums)} for key, sums in
                        sorted(parts.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)
                               if k == "year" else kv[0])]
            for k, parts in self.parts.items()}}


@router.get("/plans/{plan_id}/budget/totals", response={200: BudgetTotalsOut, 404: ErrorOut},
            auth=PUBLIC_READ, tags=BUDGET)
def budget_totals(request, plan_id: int):
    """The plan's budget summed by year, funding source and budget type, for the whole plan
    and for each top-level node with its subtree (a fixed number of queries)."""
    plan = plan_for(request.auth, plan_id)
    nodes = list(plan.nodes.order_by("position", "id").values_list("id", "parent_id", "code",
                                                                   "title"))
    parent = {pk: parent_id for pk, parent_id, _code, _title in nodes}
    root: dict[int, int] = {}

    def root_of(pk: int) -> int:
        path = []
        while pk not in root and parent[pk] is not None:
            path.append(pk)
            pk = parent[pk]
        top = root.get(pk, pk)
        for p in [*path, pk]:
            root[p] = top
        return top

    whole = _Totals()
    by_root = {pk: _Totals() for pk, parent_id, _code, _title in nodes if parent_id is None}
    if "budget" not in _public_view(request, plan):
        lines = (BudgetLine.objects.filter(node__plan=plan)
                 .values("node_id", "year", "funding_source", "budget_type")
                 .annotate(**{name: Sum(name) for name in _AMOUNTS}).order_by())
        for line in lines:
            whole.add(line)
            by_root[root_of(line["node_id"])].add(line)
    return {"plan": plan.pk, **whole.out(), "nodes": [
        {"node": pk, "code": code, "title": title, **by_root[pk].out()}
        for pk, parent_id, code, title in nodes if parent_id is None]}


# -- reminders ----------------------------------------------------------------------------

@router.get("/me/reminders", response=list[ReminderOut], tags=REMINDERS)
def my_reminders(request, as_of: Date | None = None):
    """What the caller should be reminded of (overdue, due soon, no recent update, indicators
    stale or off target), in the plans they may still see."""
    user = request.auth
    visible = set(Plan.objects.for_user(user, "view").values_list("pk", flat=True))
    return [{"kind": r.kind, "message": r.message, "node": r.node.pk, "node_code": r.node.code,
             "node_title": r.node.title, "plan": r.node.plan_id,
             "plan_title": r.node.plan.title,
             "indicator": r.indicator.pk if r.indicator else None,
             "indicator_name": r.indicator.name if r.indicator else None}
            for r in reminders_for(user, _as_of(as_of)) if r.node.plan_id in visible]
