"""List routes as plain JSON: the rows read with ``values()``, the link tables with
``values_list``, one ``json.dumps`` per page.

The schemas (``NodeOut``, ``PlanOut``, ``OrganizationOut``) still document the answer and
say which fields it has, in which order; a model instance and a schema object per row (and
the prefetch of three many-to-many relations) cost 20–100× the SQL of the page.
``tests/api/test_lists.py`` checks that every row equals what the schema gives for the same
object, and the contract test validates the answers against the document.

A node page is cached per plan revision (``Plan.revision``, bumped by every write to the plan,
its items, people and departments: ``plans.changes``), what the caller may see of the plan
(``plans.access.visibility``) and the query's parameters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.cache import cache
from django.db import models
from django.db.models import Count, IntegerField, Value, Window
from django.http import HttpResponse

from jalon.plans.models import Node, Organization, Plan

from .schemas import _COMPANIONS, HIDEABLE, NodeOut, OrganizationOut, PlanOut

CONTENT_TYPE = "application/json; charset=utf-8"
COUNTED = "jalon_rows_in_list"  # the windowed count's column
TIMEOUT = 24 * 3600


class Listing:
    """A list route's rows before the page is cut: ``queryset`` (of ``values()`` dicts, in
    order), ``build(rows, page)`` turns a page of them (and the page's queryset, for the
    queries that follow it) into the answer's items; with ``cache_key``, the page is kept in
    Django's cache under it.

    The ``count``: a page that is not full and not empty ends the list, so it is the page's
    offset plus its rows (no ``COUNT``: a caller's organizations, the last page of plans);
    otherwise ``counting`` (default ``queryset``) is counted, a queryset without the joins
    that only the page's columns need (the plans' organization name).  With ``windowed``, the
    page's own query carries the count (``COUNT(*) OVER ()``, computed before the page is cut):
    one round trip less for the lists whose builder does not query again."""

    def __init__(self, queryset, build: Callable[[list[dict], object], list[dict]], *,
                 cache_key: str | None = None, counting=None, windowed: bool = False):
        self.queryset, self.build, self.cache_key = queryset, build, cache_key
        self.counting = queryset if counting is None else counting
        self.windowed = windowed

    def response(self, offset: int, size: int) -> HttpResponse:
        key = f"{self.cache_key}|{offset}|{size}" if self.cache_key else None
        body = cache.get(key) if key else None
        if body is None:
            queryset = self.queryset
            if self.windowed:
                queryset = queryset.annotate(**{COUNTED: Window(Count("pk"))})
            page = queryset[offset:offset + size]
            rows = list(page)
            if len(rows) < size and (rows or offset == 0):
                count = offset + len(rows)
            elif rows and self.windowed:
                count = rows[0][COUNTED]
            else:
                count = self.counting.count()
            if self.windowed:
                for row in rows:
                    del row[COUNTED]
            body = json.dumps({"items": self.build(rows, page), "count": count},
                              ensure_ascii=False).encode()
            if key:
                cache.set(key, body, TIMEOUT)
        return HttpResponse(body, content_type=CONTENT_TYPE)


def _plain(field: models.Field) -> Callable | None:
    """How a column's value becomes what the schema's JSON holds (None: as read)."""
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else float(v)
    if isinstance(field, models.DateField | models.DateTimeField):
        return lambda v: None if v is None else v.isoformat()
    return None


def columns(model, schema, sources: dict[str, str] | None = None,
            skip: Iterable[str] = ()) -> list[tuple[str, str, Callable | None]]:
    """(answer's name, lookup read with ``values()``, conversion) for each field of
    ``schema`` read from a column: the field of the same name unless ``sources`` names
    another lookup; ``skip``: fields the builder fills itself."""
    sources = sources or {}
    out = []
    for name in schema.model_fields:
        if name in skip:
            continue
        lookup = sources.get(name, name)
        field = model._meta.get_field(lookup.split("__")[0])
        if "__" in lookup:
            field = field.related_model._meta.get_field(lookup.split("__")[1])
        elif field.many_to_one:
            lookup = field.attname
        out.append((name, lookup, _plain(field)))
    return out


def rows_of(cols, rows: list[dict]) -> list[dict]:
    out = []
    for row in rows:
        item = {}
        for name, lookup, convert in cols:
            value = row[lookup]
            item[name] = convert(value) if convert is not None else value
        out.append(item)
    return out


# -- organizations and plans ---------------------------------------------------------------

ORGANIZATION_COLUMNS = columns(Organization, OrganizationOut)
PLAN_COLUMNS = columns(Plan, PlanOut, {"organization_name": "organization__name"})


def organization_listing(queryset) -> Listing:
    qs = queryset.values(*(lookup for _, lookup, _ in ORGANIZATION_COLUMNS))
    return Listing(qs, partial_rows(ORGANIZATION_COLUMNS), counting=queryset, windowed=True)


def plan_listing(queryset) -> Listing:
    """``queryset``: the plans, ordered; counted as it is (without the organization's join)."""
    qs = queryset.values(*(lookup for _, lookup, _ in PLAN_COLUMNS))
    return Listing(qs, partial_rows(PLAN_COLUMNS), counting=queryset, windowed=True)


def partial_rows(cols):
    return lambda rows, page: rows_of(cols, rows)


# -- nodes ---------------------------------------------------------------------------------

# many-to-many relations: answer's names field → (ids field, link model, column of the other side)
NODE_LINKS = {"owners": (Node.owners.through, "person"),
              "departments": (Node.departments.through, "department"),
              "mandataires": (Node.mandataires.through, "person")}
NODE_COLUMNS = columns(Node, NodeOut, skip=(*NODE_LINKS, *_COMPANIONS.values()))


def _links(page) -> dict[str, dict[int, list[tuple[str, int]]]]:
    """For each relation, node id → [(name, id)] in name order: one query for the three,
    the page's nodes as a subquery (a list of ids would be as many parameters to send)."""
    ids = page.values("id")
    parts = [through.objects.filter(node_id__in=ids)
             .annotate(relation=Value(k, output_field=IntegerField()))
             .values_list("node_id", f"{other}_id", f"{other}__name", "relation")
             .order_by()
             for k, (through, other) in enumerate(NODE_LINKS.values())]
    found: dict[str, dict[int, list]] = {name: {} for name in NODE_LINKS}
    names = list(NODE_LINKS)
    for node_id, other_id, other_name, relation in parts[0].union(*parts[1:], all=True):
        found[names[relation]].setdefault(node_id, []).append((other_name, other_id))
    for by_node in found.values():
        for pairs in by_node.values():
            pairs.sort()
    return found


def node_items(rows: list[dict], page, hidden: frozenset[str]) -> list[dict]:
    """The answer's items for these node rows (``page``: their queryset), blanked where the
    plan hides a field from the caller (as ``NodeOut`` does)."""
    links = _links(page) if rows else {name: {} for name in NODE_LINKS}
    blanks = {name: HIDEABLE[name] for name in hidden
              if name in HIDEABLE and name in NodeOut.model_fields}
    for name in list(blanks):
        if name in _COMPANIONS:
            blanks[_COMPANIONS[name]] = []
    out = []
    for row, item in zip(rows, rows_of(NODE_COLUMNS, rows), strict=True):
        for name, by_node in links.items():
            pairs = by_node.get(row["id"], ())
            item[name] = [n for n, _ in pairs]
            item[_COMPANIONS[name]] = [i for _, i in pairs]
        item.update(blanks)
        out.append({name: item[name] for name in NodeOut.model_fields})
    return out


def node_listing(plan: Plan, queryset, hidden: frozenset[str], params: dict) -> Listing:
    """``queryset``: the plan's nodes, filtered; ``params``: the filters' values (part of the
    cache key with the plan's revision and what is hidden from the caller)."""
    stamp = plan.last_modified.isoformat() if plan.last_modified else ""
    raw = json.dumps([plan.pk, plan.revision, stamp, sorted(hidden), params],
                     sort_keys=True, default=_key_part)
    key = "jalon:api:nodes:" + hashlib.sha256(raw.encode()).hexdigest()[:40]
    qs = queryset.order_by("depth", "position", "id").values(
        *(lookup for _, lookup, _ in NODE_COLUMNS))
    return Listing(qs, lambda rows, page: node_items(rows, page, hidden), cache_key=key)


def _key_part(value):
    if isinstance(value, dt.date | Decimal):
        return str(value)
    raise TypeError(type(value))
