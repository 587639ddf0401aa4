"""Schemas of the follow-up routes (``api.tracking``): journal, indicators and their targets,
measurements (one or in bulk), indicator statuses, budget lines and totals, reminders.

Amounts and values go out as JSON numbers (``float``) and come in as decimals, rounded to the
column's places (4 for values, 2 for money) so that sending the same value twice compares
equal to what is stored: the idempotency of measurements depends on it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ValidationInfo, model_validator

from jalon.plans.models import TEXT_MAX
from jalon.tracking.models import BudgetLine, Indicator, ProgressUpdate, dimensions_key
from jalon.tracking.periods import parse_period

from .schemas import Date, NodeStatus, Progress, VersionedPatch, Year, rule_error

Health = Literal[tuple(ProgressUpdate.Health.values)]  # type: ignore[valid-type]
IndicatorKind = Literal[tuple(Indicator.Kind.values)]  # type: ignore[valid-type]
Direction = Literal[tuple(Indicator.Direction.values)]  # type: ignore[valid-type]
NormState = Literal[tuple(Indicator.NormState.values)]  # type: ignore[valid-type]
Frequency = Literal[tuple(Indicator.Frequency.values)]  # type: ignore[valid-type]
BudgetType = Literal[tuple(BudgetLine.Type.values)]  # type: ignore[valid-type]

VALUE_PLACES, VALUE_LIMIT = 4, Decimal(10) ** 12  # Measurement/Target: 16 digits, 4 places
MONEY_PLACES, MONEY_LIMIT = 2, Decimal(10) ** 12  # BudgetLine: 14 digits, 2 places
SOURCE_MAX = 200  # Measurement.source
DIMENSIONS_KEY_MAX = 300  # Measurement.dimensions_key


def rounded(value: Decimal, places: int, limit: Decimal) -> Decimal:
    """``value`` rounded to the column's places; ``ValueError`` when it cannot be stored."""
    if not value.is_finite():
        raise ValueError(_("valeur non finie"))
    if abs(value) >= limit:
        raise ValueError(_("valeur trop grande (au plus %(limit)s)") % {"limit": limit - 1})
    return value.quantize(Decimal(1).scaleb(-places))


def _value(v: Decimal) -> Decimal:
    return rounded(v, VALUE_PLACES, VALUE_LIMIT)


def _money(v: Decimal) -> Decimal:
    return rounded(v, MONEY_PLACES, MONEY_LIMIT)


def _period(v: str) -> str:
    """The canonical key; people write periods many ways, so an unreadable one is a rule
    the schema cannot state (400 with the reason), not a schema violation."""
    try:
        return parse_period(v)[0]
    except ValueError as exc:
        raise rule_error(str(exc)) from None


def _dimensions(v: dict[str, Any]) -> dict[str, str]:
    dims = {str(k).strip(): str(x).strip() for k, x in v.items()}
    if any(not k for k in dims):
        raise ValueError("nom de ventilation vide")
    if len(dimensions_key(dims)) > DIMENSIONS_KEY_MAX:
        raise rule_error(f"ventilation trop longue (au plus {DIMENSIONS_KEY_MAX} caractères)")
    return dims


# Bounds stated in the schema, so the document says what the server accepts; values are
# rounded to the column's places (never refused for a long fraction).
Value = Annotated[Decimal, Field(gt=-VALUE_LIMIT, lt=VALUE_LIMIT), AfterValidator(_value)]


def _typed_value(v: str) -> str:
    """A value as people type it («81 %», «1.234,5», «n.d.»), read by the service
    (``parse_measure``): an unreadable one is a 400 with the reason, not a schema error."""
    return v


TypedValue = Annotated[str, Field(max_length=40), AfterValidator(_typed_value)]
Money = Annotated[Decimal, Field(ge=0, lt=MONEY_LIMIT), AfterValidator(_money)]
Period = Annotated[str, Field(description="2024, 2024-Q1 ou 2024-03 (aussi « T1 2024 », "
                                          "« mars 2024 », « 03/2024 ») ; illisible : 400",
                              min_length=1, max_length=40),
                   AfterValidator(_period)]
DimensionName = Annotated[str, Field(pattern=r"\S")]  # not blank
Dimensions = Annotated[dict[DimensionName, str | int | float], AfterValidator(_dimensions)]


def _request(info: ValidationInfo):
    return (info.context or {}).get("request")


def _public(info: ValidationInfo) -> bool:
    """True when the route said the caller sees the plan as the public (see tracking.py)."""
    vis = getattr(_request(info), "jalon_visibility", None)
    return bool(vis is not None and vis.public)


# -- journal ------------------------------------------------------------------------------


class UpdateOut(Schema):
    id: int
    node: int
    date: dt.date
    author: str | None = Field(description="identifiant de l'auteur (masqué au public)")
    status: NodeStatus | Literal[""]
    health: Health | Literal[""]
    progress: float | None
    text: str
    attachment: str | None = Field(description="adresse de la pièce jointe")
    demo: bool = Field(description="donnée de démonstration (inventée)")
    created: dt.datetime

    @staticmethod
    def resolve_node(obj) -> int:
        return obj.node_id

    @staticmethod
    def resolve_author(obj) -> str | None:
        return obj.author.get_username() if obj.author_id else None

    @staticmethod
    def resolve_attachment(obj) -> str | None:
        return obj.attachment.url if obj.attachment else None

    @model_validator(mode="after")
    def _hide_from_public(self, info: ValidationInfo):
        if _public(info):
            self.author = None
            if "progress" in getattr(_request(info), "jalon_hidden_fields", ()):
                self.progress = None
        return self


class UpdateIn(Schema):
    date: Date | None = Field(None, description="absent : aujourd'hui")
    status: NodeStatus | Literal[""] = Field("", description="nouveau statut de l'élément")
    health: Health | Literal[""] = ""
    progress: Progress | None = None
    text: str = Field("", max_length=TEXT_MAX)

    @model_validator(mode="after")
    def _not_in_future(self):
        from jalon.tracking.services import check_journal_date

        try:
            check_journal_date(self.date)
        except ValueError as exc:  # a date in the future: a rule the schema cannot state
            raise rule_error(str(exc)) from None
        return self

    @model_validator(mode="after")
    def _something(self):
        if not (self.status or self.health or self.progress is not None or self.text.strip()):
            raise rule_error("rien à enregistrer : donnez un statut, une santé, un avancement "
                             "ou un commentaire")
        return self


# -- indicators ---------------------------------------------------------------------------

Text40 = Annotated[str, Field(max_length=40)]
Text200 = Annotated[str, Field(max_length=200)]
Text300 = Annotated[str, Field(max_length=300)]
Dimension = str | dict[str, Any]


class IndicatorOut(Schema):
    id: int
    version: int = Field(description="à renvoyer dans PATCH et PUT …/targets (verrouillage optimiste)")
    node: int
    position: int
    name: str
    kind: IndicatorKind
    unit: str
    direction: Direction
    target_text: str
    norm_text: str
    norm_state: NormState
    binding: bool
    frequency: Frequency
    dimensions: list[Any]
    data_source: str
    owner: int | None = Field(description="id de la personne responsable")
    owner_name: str | None
    baseline_value: float | None
    baseline_date: dt.date | None
    source_line: int | None

    @staticmethod
    def resolve_node(obj) -> int:
        return obj.node_id

    @staticmethod
    def resolve_owner(obj) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_owner_name(obj) -> str | None:
        return obj.owner.name if obj.owner_id else None


class IndicatorIn(Schema):
    name: str = Field(min_length=1)
    position: int | None = Field(None, ge=0, le=32767, description="rang parmi les indicateurs (absent : "
                                                         "fin)")
    kind: IndicatorKind = "result"
    unit: Text40 = ""
    direction: Direction = "up"
    target_text: Text300 = ""
    norm_text: Text300 = ""
    norm_state: NormState = ""
    binding: bool = True
    frequency: Frequency = "yearly"
    dimensions: list[Dimension] = []
    data_source: Text200 = ""
    owner: int | None = Field(None, description="id d'une personne de l'organisation")
    baseline_value: Value | None = None
    baseline_date: Date | None = None


class IndicatorPatch(VersionedPatch):
    nullable: ClassVar[frozenset[str]] = frozenset({"owner", "baseline_value",
                                                    "baseline_date"})

    name: str | None = Field(None, min_length=1)
    position: int | None = Field(None, ge=0, le=32767)
    kind: IndicatorKind | None = None
    unit: Text40 | None = None
    direction: Direction | None = None
    target_text: Text300 | None = None
    norm_text: Text300 | None = None
    norm_state: NormState | None = None
    binding: bool | None = None
    frequency: Frequency | None = None
    dimensions: list[Dimension] | None = None
    data_source: Text200 | None = None
    owner: int | None = None
    baseline_value: Value | None = None
    baseline_date: Date | None = None


class TargetOut(Schema):
    period: str
    value: float | None
    low: float | None = Field(description="borne basse (sens « dans une fourchette »)")
    high: float | None


class TargetIn(Schema):
    period: Period
    value: Value | None = None
    low: Value | None = None
    high: Value | None = None

    @model_validator(mode="after")
    def _bounds(self):
        if self.value is None and self.low is None and self.high is None:
            raise rule_error("une cible a une valeur ou des bornes")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise rule_error("la borne basse dépasse la borne haute")
        return self


# -- measurements -------------------------------------------------------------------------


class MeasurementOut(Schema):
    id: int
    indicator: int
    period: str
    period_end: dt.date
    dimensions: dict[str, str]
    value: float | None = Field(description="None : valeur manquante (voir « missing »)")
    missing: str = Field("", description="raison d'une valeur manquante : « not_available » "
                                         "(n.d.) ou « not_communicated » (nc)")
    comment: str
    source: str
    entered_by: str | None = Field(description="identifiant de l'encodeur (masqué au public)")
    entered_at: dt.datetime

    @staticmethod
    def resolve_indicator(obj) -> int:
        return obj.indicator_id

    @staticmethod
    def resolve_entered_by(obj) -> str | None:
        return obj.entered_by.get_username() if obj.entered_by_id else None

    @model_validator(mode="after")
    def _hide_from_public(self, info: ValidationInfo):
        if _public(info):
            self.entered_by = None
        return self


class MeasurementIn(Schema):
    period: Period
    value: Value | TypedValue | None = Field(
        description="un nombre, ou tel qu'on le tape : « 81 % », « 81,5 », « 1.234,5 » ; "
                    "« n.d. » / « nc » (ou null avec « missing ») : valeur manquante")
    missing: Literal["", "not_available", "not_communicated"] = Field(
        "", description="raison d'une valeur manquante (avec value null)")
    dimensions: Dimensions = Field(default_factory=dict,
                                   description="ventilation : {« guichet » : « Amay »}")
    comment: str = Field("", max_length=TEXT_MAX)
    source: Annotated[str, Field(max_length=SOURCE_MAX)] = ""


class MeasurementFilter(Schema):
    period_from: Period | None = Field(None, description="mesures finissant à partir du début "
                                                         "de cette période")
    period_to: Period | None = Field(None, description="mesures finissant au plus tard à la "
                                                       "fin de cette période")


class MeasurementRow(Schema):
    """One row as a BI tool sends it.  Lenient on purpose: a bad value or period is a row
    error (with its row number), reported with all the others, not a 422 of the schema."""

    indicator_id: int | str | None = Field(None, description="id de l'indicateur, ou bien…")
    code: str | None = Field(None, description="…le code de l'élément et…")
    indicator: str | None = Field(None, description="…le nom de l'indicateur")
    period: str | int | None = None
    value: Decimal | str | None = Field(None, description="un nombre, ou tel qu'on le tape : "
                                         "« 81 % », « 81,5 », « 1.234,5 », « n.d. », « nc »")
    dimensions: dict[str, str | int | float] = {}
    comment: str = Field("", max_length=TEXT_MAX)
    source: str = ""


class BulkIn(Schema):
    rows: list[MeasurementRow] = Field(max_length=100_000)
    accept_valid: bool = Field(False, description="avec des lignes en erreur, enregistrer "
                                                  "quand même les lignes valides")


class RowErrorOut(Schema):
    row: int = Field(description="numéro de la ligne (1 = la première de « rows »)")
    message: str


class BulkOut(Schema):
    created: int
    updated: int
    unchanged: int
    errors: list[RowErrorOut] = Field(description="lignes ignorées (avec accept_valid)")


class BulkRejectedOut(Schema):
    detail: str
    errors: list[RowErrorOut]


class IndicatorStatusOut(Schema):
    indicator: int
    node: int
    node_code: str
    name: str
    kind: IndicatorKind
    unit: str
    direction: Direction
    frequency: Frequency
    status: Literal["met", "close", "missed", "no_data", "no_norm"]
    stale: bool = Field(description="pas de valeur dans sa fréquence")
    last_period: str | None
    last_value: float | None
    target: float | None


# -- budget -------------------------------------------------------------------------------


class BudgetLineOut(Schema):
    id: int
    version: int = Field(description="à renvoyer dans PATCH (verrouillage optimiste)")
    node: int
    year: int | None = Field(description="exercice ; vide quand le plan ne le donne pas")
    planned: float
    committed: float
    spent: float
    funding_source: str
    budget_type: BudgetType
    from_plan: bool = Field(description="ligne faite d'un montant du plan (le prévu)")

    @staticmethod
    def resolve_node(obj) -> int:
        return obj.node_id

    @staticmethod
    def resolve_from_plan(obj) -> bool:
        return obj.money_line_id is not None


class BudgetLineIn(Schema):
    year: Year | None
    planned: Money = Decimal(0)
    committed: Money = Decimal(0)
    spent: Money = Decimal(0)
    funding_source: Text200 = ""
    budget_type: BudgetType = "ordinaire"


class BudgetLinePatch(VersionedPatch):
    year: Year | None = None
    planned: Money | None = None
    committed: Money | None = None
    spent: Money | None = None
    funding_source: Text200 | None = None
    budget_type: BudgetType | None = None


class Amounts(Schema):
    planned: float = 0
    committed: float = 0
    spent: float = 0


class YearAmounts(Amounts):
    year: int | None


class SourceAmounts(Amounts):
    funding_source: str


class TypeAmounts(Amounts):
    budget_type: BudgetType


class BudgetBreakdown(Schema):
    total: Amounts
    by_year: list[YearAmounts]
    by_funding_source: list[SourceAmounts]
    by_budget_type: list[TypeAmounts]


class NodeBudgetOut(BudgetBreakdown):
    node: int
    code: str
    title: str


class BudgetTotalsOut(BudgetBreakdown):
    plan: int
    nodes: list[NodeBudgetOut] = Field(description="par élément de premier niveau (avec tout "
                                                   "son sous-arbre)")


# -- state (tracking.state) -------------------------------------------------------------


class NodeStateOut(Schema):
    node: int
    code: str
    status: str = Field(description="statut affiché (dérivé : retard, sous-éléments, avancement)")
    own_status: str = Field(description="statut saisi")
    late: bool
    days_late: int
    progress: float | None = Field(description="avancement affiché : propre, sinon agrégé")


class PlanStateOut(Schema):
    plan: int
    as_of: dt.date
    late: int = Field(description="nombre d'éléments en retard (tous niveaux)")
    by_status: dict[str, int] = Field(description="éléments par statut affiché (tous niveaux)")
    nodes: list[NodeStateOut]


# -- reminders ----------------------------------------------------------------------------


class ReminderOut(Schema):
    kind: Literal["overdue", "due_soon", "no_update", "stale", "off_target"]
    message: str
    node: int
    node_code: str
    node_title: str
    plan: int
    plan_title: str
    indicator: int | None
    indicator_name: str | None
