"""Request and response schemas of API v1; the OpenAPI document is generated from them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from django.db.models import Q
from ninja import Field, FilterLookup, FilterSchema, Schema
from ninja.schema import DjangoGetter
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    PrivateAttr,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from jalon.plans.access import NODE_BLANKS
from jalon.plans.models import ITEM_MAX, ITEMS_MAX, TEXT_MAX, TITLE_MAX, Node, Organization, Plan

# Choices as inline enums: several models have a ``Kind`` or a ``Status`` and OpenAPI
# component names must be unique.
OrganizationKind = Literal[tuple(Organization.Kind.values)]  # type: ignore[valid-type]
PlanKind = Literal[tuple(Plan.Kind.values)]  # type: ignore[valid-type]
PlanStatus = Literal[tuple(Plan.Status.values)]  # type: ignore[valid-type]
PlanRollup = Literal[tuple(Plan.Rollup.values)]  # type: ignore[valid-type]
NodeStatus = Literal[tuple(Node.Status.values)]  # type: ignore[valid-type]

# -- errors -------------------------------------------------------------------------------

RULE = "rule"


def rule_error(message: str) -> PydanticCustomError:
    """A rule across fields that JSON Schema cannot state (a period's order, a target's
    bounds): answered 400 with the message, where a request that breaks the schema is a 422."""
    return PydanticCustomError(RULE, message)


def _iso_date(value):
    """Dates as ISO strings only (``2024-03-31``): no Unix timestamps in disguise."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("date attendue au format AAAA-MM-JJ")
    if isinstance(value, int | float | bool):
        raise ValueError("date attendue au format AAAA-MM-JJ")
    return value


Date = Annotated[dt.date, BeforeValidator(_iso_date)]


class ErrorOut(Schema):
    detail: str


class ValidationErrorItem(Schema):
    loc: list[str | int] = Field(description="où : « body », « query », « path », puis le champ")
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[ValidationErrorItem]


class ConflictOut(Schema):
    detail: str
    version: int = Field(description="la version actuelle de l'élément")


# -- organizations ------------------------------------------------------------------------


class OrganizationOut(Schema):
    id: int
    name: str
    slug: str
    kind: OrganizationKind
    languages: list[str]


class DepartmentOut(Schema):
    id: int
    name: str
    parent: int | None

    @staticmethod
    def resolve_parent(obj) -> int | None:
        return obj.parent_id


class PersonOut(Schema):
    id: int
    name: str
    function: str
    department: int | None

    @staticmethod
    def resolve_department(obj) -> int | None:
        return obj.department_id


# -- hidden fields ------------------------------------------------------------------------
# Node fields a plan may hide from the public (``Plan.hidden_fields``), with the value the
# public gets instead.  Members of the organization and site admins see everything.
HIDEABLE: dict[str, Any] = NODE_BLANKS  # one list, in plans.access
# hiding the names also hides the ids; the parsed dates are hidden by their own names
_COMPANIONS = {"owners": "owner_ids", "departments": "department_ids",
               "mandataires": "mandataire_ids"}
# names hidden outside the node schema too (tracking API, public page and open data)
HIDEABLE_GROUPS = ("budget", "indicators", "assessments")
HideableField = Literal[tuple(HIDEABLE) + HIDEABLE_GROUPS]  # type: ignore[valid-type]


# -- plans --------------------------------------------------------------------------------

Year = Annotated[int, Field(ge=1900, le=2200)]


class PlanOut(Schema):
    id: int
    organization: int
    organization_name: str
    title: str
    kind: PlanKind
    period_start: int | None
    period_end: int | None
    status: PlanStatus
    adopted_by: str
    adopted_on: dt.date | None
    source_document: str
    levels: list[str]
    language: str
    layout: str
    rollup_rule: PlanRollup
    published: bool
    hidden_fields: list[str]

    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name


def _no_null_in_schema(schema: dict, nullable: frozenset[str]) -> None:
    """The document says what the validator enforces: ``null`` only where allowed."""
    for name, prop in schema.get("properties", {}).items():
        if name in nullable or "anyOf" not in prop:
            continue
        rest = [b for b in prop["anyOf"] if b.get("type") != "null"]
        if len(rest) == 1:
            del prop["anyOf"]
            prop.update(rest[0])
        else:
            prop["anyOf"] = rest
        if prop.get("default", 0) is None:
            del prop["default"]


class PatchSchema(Schema):
    """All fields optional; an explicit ``null`` only for the columns that allow it."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    model_config = ConfigDict(json_schema_extra=lambda schema, cls: _no_null_in_schema(
        schema, cls.nullable))

    @model_validator(mode="after")
    def _no_null_for_required_columns(self):
        for name in self.model_fields_set:
            if getattr(self, name) is None and name not in self.nullable:
                raise ValueError(f"« {name} » ne peut pas être null")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class VersionedPatch(PatchSchema):
    """A change of an item under optimistic locking: ``version`` is required (the one the
    caller read); if somebody saved the item since, the answer is 409 with the current
    version and nothing is saved."""

    version: int = Field(ge=1, le=2_147_483_647,
                         description="la version lue ; 409 si l'élément a changé depuis")

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"version"})


def _check_period(start: int | None, end: int | None) -> None:
    if start is not None and end is not None and start > end:
        raise rule_error("period_start doit précéder period_end")


class PlanIn(Schema):
    organization: int
    title: str = Field(min_length=1, max_length=300)
    kind: PlanKind = "pst"
    period_start: Year | None = None
    period_end: Year | None = None
    status: PlanStatus = "draft"
    adopted_by: str = Field("", max_length=200)
    adopted_on: Date | None = None
    source_document: str = Field("", max_length=300)
    levels: list[Annotated[str, Field(max_length=80)]] = []
    language: str = Field("fr", min_length=2, max_length=5)
    rollup_rule: PlanRollup = "mean"
    published: bool = False
    hidden_fields: list[HideableField] = []

    @model_validator(mode="after")
    def _period(self):
        _check_period(self.period_start, self.period_end)
        return self


class PlanPatch(PatchSchema):
    nullable: ClassVar[frozenset[str]] = frozenset({"period_start", "period_end",
                                                    "adopted_on"})

    title: str | None = Field(None, min_length=1, max_length=300)
    kind: PlanKind | None = None
    period_start: Year | None = None
    period_end: Year | None = None
    status: PlanStatus | None = None
    adopted_by: str | None = Field(None, max_length=200)
    adopted_on: Date | None = None
    source_document: str | None = Field(None, max_length=300)
    levels: list[Annotated[str, Field(max_length=80)]] | None = None
    language: str | None = Field(None, min_length=2, max_length=5)
    rollup_rule: PlanRollup | None = None
    published: bool | None = None
    hidden_fields: list[HideableField] | None = None

    @model_validator(mode="after")
    def _period(self):
        _check_period(self.period_start, self.period_end)
        return self


# -- nodes --------------------------------------------------------------------------------

def _cents(value: Decimal) -> Decimal:
    """Rounded to the column's two places (a long fraction is rounded, not refused)."""
    return value.quantize(Decimal("0.01"))


Progress = Annotated[Decimal, Field(ge=0, le=100), AfterValidator(_cents)]
Fte = Annotated[Decimal, Field(ge=0, lt=100_000), AfterValidator(_cents)]
Sdg = Annotated[int, Field(ge=1, le=17)]
Text80 = Annotated[str, Field(max_length=80)]
Text120 = Annotated[str, Field(max_length=120)]
Text300 = Annotated[str, Field(max_length=300)]
Code = Annotated[str, Field(min_length=1, max_length=80)]
Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
LongText = Annotated[str, Field(max_length=TEXT_MAX)]
Items = Annotated[list[Annotated[str, Field(max_length=ITEM_MAX)]], Field(max_length=ITEMS_MAX)]


def _model(obj):
    """The Django object behind a resolver's argument.  With pydantic >= 2.11 a recursive
    schema (NodeTreeOut) hands resolvers a ``DjangoGetter`` wrapping the object
    (django-ninja issue #1559)."""
    while isinstance(obj, DjangoGetter):
        obj = obj._obj
    return obj


class NodeOut(Schema):
    id: int
    plan: int
    parent: int | None
    code: str
    code_as_printed: str
    derived_code: bool
    title: str
    description: str
    level: str
    depth: int
    position: int
    status: NodeStatus
    progress: float | None
    start_text: str
    end_text: str
    deadline_text: str
    start_date: dt.date | None
    end_date: dt.date | None
    owners: list[str] = Field(description="noms des responsables")
    owner_ids: list[int]
    departments: list[str] = Field(description="noms des départements")
    department_ids: list[int]
    mandataires: list[str] = Field(description="noms des mandataires")
    mandataire_ids: list[int]
    partners: list[Any]
    steering: list[Any]
    risks: list[Any]
    deliverables: list[Any]
    tags: list[Any]
    sdgs: list[Any]
    fte: float | None
    funding: str
    comment: str
    source_line: int | None
    version: int = Field(description="à renvoyer dans PATCH pour le verrouillage optimiste")

    # the m2m relations come from the prefetch of Node.objects.with_tree_data()
    @staticmethod
    def resolve_plan(obj) -> int:
        return _model(obj).plan_id

    @staticmethod
    def resolve_parent(obj) -> int | None:
        return _model(obj).parent_id

    @staticmethod
    def resolve_owners(obj) -> list[str]:
        return [p.name for p in _model(obj).owners.all()]

    @staticmethod
    def resolve_owner_ids(obj) -> list[int]:
        return [p.pk for p in _model(obj).owners.all()]

    @staticmethod
    def resolve_departments(obj) -> list[str]:
        return [d.name for d in _model(obj).departments.all()]

    @staticmethod
    def resolve_department_ids(obj) -> list[int]:
        return [d.pk for d in _model(obj).departments.all()]

    @staticmethod
    def resolve_mandataires(obj) -> list[str]:
        return [p.name for p in _model(obj).mandataires.all()]

    @staticmethod
    def resolve_mandataire_ids(obj) -> list[int]:
        return [p.pk for p in _model(obj).mandataires.all()]

    @model_validator(mode="after")
    def _hide_from_public(self, info: ValidationInfo):
        """Blank the fields the plan hides from the public (the route says which)."""
        request = (info.context or {}).get("request")
        for name in getattr(request, "jalon_hidden_fields", ()):
            if name in HIDEABLE and name in type(self).model_fields:
                setattr(self, name, HIDEABLE[name])
                if name in _COMPANIONS:
                    setattr(self, _COMPANIONS[name], [])
        return self


class NodeTreeOut(NodeOut):
    children: list[NodeTreeOut] = []

    @staticmethod
    def resolve_children(obj) -> list:
        return getattr(_model(obj), "tree_children", [])


NodeTreeOut.model_rebuild()

# m2m inputs (ids) → Node relation names, for services.update_node
M2M_INPUTS = {"owner_ids": "owners", "department_ids": "departments",
              "mandataire_ids": "mandataires"}


class NodeIn(Schema):
    parent: int | None = Field(None, description="élément parent (absent : premier niveau)")
    position: int | None = Field(None, ge=0, le=2_000_000_000,
                                  description="rang parmi les frères (absent : fin)")
    code: Code
    code_as_printed: Text80 = ""
    title: Title
    description: LongText = ""
    level: Text80 = ""
    status: NodeStatus = "not_started"
    progress: Progress | None = None
    start_text: Text120 = ""
    end_text: Text120 = ""
    deadline_text: Text120 = ""
    owner_ids: list[int] = []
    department_ids: list[int] = []
    mandataire_ids: list[int] = []
    partners: Items = []
    steering: Items = []
    risks: Items = []
    deliverables: Items = []
    tags: Items = []
    sdgs: list[Sdg] = []
    fte: Fte | None = None
    funding: Text300 = ""
    comment: LongText = ""


class NodePatch(VersionedPatch):
    nullable: ClassVar[frozenset[str]] = frozenset({"progress", "fte"})

    code: Code | None = None
    code_as_printed: Text80 | None = None
    title: Title | None = None
    description: LongText | None = None
    level: Text80 | None = None
    status: NodeStatus | None = None
    progress: Progress | None = None
    start_text: Text120 | None = None
    end_text: Text120 | None = None
    deadline_text: Text120 | None = None
    owner_ids: list[int] | None = None
    department_ids: list[int] | None = None
    mandataire_ids: list[int] | None = None
    partners: Items | None = None
    steering: Items | None = None
    risks: Items | None = None
    deliverables: Items | None = None
    tags: Items | None = None
    sdgs: list[Sdg] | None = None
    fte: Fte | None = None
    funding: Text300 | None = None
    comment: LongText | None = None


class MoveIn(Schema):
    parent: int | None = Field(description="nouveau parent (null : premier niveau)")
    position: int | None = Field(None, ge=0, le=2_000_000_000,
                                  description="rang parmi les frères (absent : fin)")


class NodeFilter(FilterSchema):
    status: NodeStatus | None = None
    department: Annotated[int | None, FilterLookup("departments")] = Field(
        None, description="id d'un département")
    owner: Annotated[int | None, FilterLookup("owners")] = Field(
        None, description="id d'une personne responsable")
    level: str | None = Field(None, description="nom du niveau (« Action »…)")
    depth: int | None = Field(None, ge=0)
    deadline_from: Annotated[Date | None, FilterLookup("end_date__gte")] = None
    deadline_to: Annotated[Date | None, FilterLookup("end_date__lte")] = None
    q: Annotated[str | None, FilterLookup("title__icontains")] = Field(
        None, description="texte cherché dans le titre")

    _levels: list[str] = PrivateAttr(default_factory=list)

    def for_plan(self, plan: Plan) -> NodeFilter:
        self._levels = [str(name).casefold() for name in plan.levels]
        return self

    def filter_level(self, value: str | None) -> Q:
        """The node's own level name, or the plan's level name at its depth when it has none."""
        if value is None:
            return Q()
        depths = [i for i, name in enumerate(self._levels) if name == value.casefold()]
        return Q(level__iexact=value) | Q(level="", depth__in=depths)
