"""What a council document says, built once from a snapshot and drawn by every renderer.

``build_document(snapshot, ...)`` is pure (no queries): it turns the snapshot into rows of
formatted text and numbers, in Belgian formats (31/12/2024, 1.234,56 €, 45 %).  The PDF, DOCX,
XLSX and ODS renderers only lay these rows out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jalon.core.values import (
    colon,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_period,
)
from jalon.plans.models import TEXT_MAX, Node, Plan

from .models import SECTION_LABELS, SECTIONS, Evaluation
from .snapshot import BUDGET_FIELDS, children_map, is_leaf, shown_progress, walk

INDICATOR_STATUS = {
    "met": _l("atteint"), "close": _l("proche"), "missed": _l("non atteint"),
    "no_data": _l("pas de donnée"), "no_norm": _l("sans norme"),
}
# the annex labels, as the action sheets of the CPAS de Binche print them (seed 003)
SHEET_LABELS = {
    "title": "TITRE", "status": "STATUT", "start": "DÉBUT", "end": "FIN",
    "departments": "DÉPARTEMENT", "description": "DESCRIPTION", "context": "CONTEXTE",
    "risks": "RISQUE(S)", "owners": "CHEF DE PROJET", "team": "ÉQUIPE PROJET",
    "mandataires": "MANDATAIRE", "partners": "PARTENAIRE(S)", "deliverables": "LIVRABLES",
    "resources": "RESSOURCES", "comment": "COMMENTAIRE(S)", "progress": "T.AVANCEMENT",
    "indicators": "INDICATEUR(S)", "assessment": "APPRÉCIATION",
}
EMPTY = "—"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    """The snapshot without the control characters XML formats refuse (text from PDFs), each
    text cut to ``TEXT_MAX`` characters (older data may predate the bounds: a report never lays
    out more than a person could have written)."""
    if isinstance(value, str):
        if len(value) > TEXT_MAX:
            value = value[:TEXT_MAX] + "…"
        return _CONTROL.sub("", value)
    if isinstance(value, list):
        return [xml_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: xml_safe(v) for k, v in value.items()}
    return value


def pct(x: Any) -> str:
    """45 → «45 %», 45.5 → «45,5 %», 69.98 → «70 %», None → «—»."""
    return EMPTY if x is None else format_percent(x)


def value_text(x: Any, unit: str = "") -> str:
    if x is None:
        return EMPTY
    whole = float(x) == int(float(x))
    text = format_number(x, 0 if whole else 2)
    if unit == "%":
        return f"{text} %"
    return f"{text} {unit}".strip()


def iso_date(s: str | None) -> str:
    return format_date(dt.date.fromisoformat(s)) if s else ""


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or EMPTY


def _join(items: list[str]) -> str:
    return ", ".join(i for i in items if i) or EMPTY


@dataclass
class Look:
    color: str = "#0b4f8a"
    logo_path: str = ""  # a file on disk (PNG or JPEG), or ""
    footer: str = ""
    sheet_per_page: bool = False  # the annex: each action sheet starts a page


@dataclass
class Document:
    sections: list[str]
    org: str
    plan_title: str
    plan_kind: str
    period: str
    as_of: str
    generated: str
    look: Look
    evaluation: dict | None
    overall: str
    totals: dict
    objectives: list[dict] = field(default_factory=list)
    action_groups: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    budget: dict = field(default_factory=dict)
    sheets: list[dict] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.evaluation:
            return f"{self.evaluation['kind']} — {self.plan_title}"
        return self.plan_title

    def section_label(self, name: str) -> str:
        return str(SECTION_LABELS[name])


def clean_sections(sections) -> list[str]:
    if not sections:
        return list(SECTIONS)
    wanted = [s.strip() for s in (sections.split(",") if isinstance(sections, str) else sections)]
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise ValueError(_("sections inconnues : %(s)s (connues : %(k)s)")
                         % {"s": ", ".join(unknown), "k": ", ".join(SECTIONS)})
    return [s for s in SECTIONS if s in wanted]


def build_document(snap: dict, *, evaluation: Evaluation | None = None,
                   sections=None, look: Look | None = None,
                   today: dt.date | None = None) -> Document:
    snap = xml_safe(snap)
    kids = children_map(snap)
    plan = snap["plan"]
    period = ""
    if plan.get("period_start"):
        period = f"{plan['period_start']}–{plan.get('period_end') or '…'}"
    assessments = xml_safe(evaluation.assessments) if evaluation else {}
    t = snap.get("totals", {})
    doc = Document(
        sections=clean_sections(sections),
        org=snap["organization"]["name"], plan_title=plan["title"],
        plan_kind=_label(Plan.Kind, plan.get("kind", "")), period=period,
        as_of=iso_date(snap["as_of"]), generated=format_date(today or dt.date.today()),
        look=look or Look(), overall=xml_safe(evaluation.overall) if evaluation else "",
        evaluation=None if evaluation is None else {
            "kind": evaluation.get_kind_display(), "as_of": format_date(evaluation.as_of),
            "status": evaluation.get_status_display(), "version": evaluation.version,
            "validated_at": format_date(evaluation.validated_at.date())
            if evaluation.validated_at else "",
        },
        totals={
            "actions": t.get("actions", 0), "nodes": t.get("nodes", 0),
            "progress": t.get("progress"), "progress_text": pct(t.get("progress")),
            # the actions' statuses (the table's «Total» is the number of actions, and each
            # objective's line counts its actions; filled below, with the objectives): the
            # dashboard's counts of every level are another figure, labelled as such there
            "by_status": [],
            "late": t.get("late", 0),
        },
    )
    by_code = {n["code"]: n for n in snap["nodes"]}
    ordered = list(walk(snap, kids))

    action_statuses: dict[str, int] = {}  # every objective's actions: the summary's table
    for root in kids.get(None, []):
        sub = _descendants(root, kids)
        leaves = [n for n in sub if is_leaf(n, kids)] or [root]
        counts: dict[str, int] = {}
        for n in leaves:
            label = _label(Node.Status, n["status"])
            counts[label] = counts.get(label, 0) + 1
            action_statuses[n["status"]] = action_statuses.get(n["status"], 0) + 1
        children = kids.get(root["code"], [])
        level = level_name(root, plan.get("levels") or [])
        by_status = sorted(counts.items())
        doc.objectives.append({
            "code": root["code"], "title": root["title"], "level": level,
            "progress": shown_progress(root), "progress_text": pct(shown_progress(root)),
            "actions": len(leaves), "by_status": by_status,
            # what every format prints under the objective's heading
            "line": (f"{level} · " if level else "")
            + f"{_('avancement')} {pct(shown_progress(root))} · {len(leaves)} {_('actions')}"
            + "".join(f" · {label}{colon()} {n}" for label, n in by_status),
            "assessment": assessments.get(root["code"], ""),
            "bars": [(c["code"], c["title"], shown_progress(c)) for c in children]
            or [(root["code"], root["title"], shown_progress(root))],
        })
        doc.action_groups.append({
            "code": root["code"], "title": root["title"],
            "rows": [_row(n, kids, root["depth"], plan.get("levels") or [])
                     for n in [root, *sub]],
        })
    doc.totals["by_status"] = [(_label(Node.Status, s), n)
                               for s, n in sorted(action_statuses.items())]

    for n in ordered:
        for ind in n.get("indicators", []):
            target = ind.get("target") or {}
            target_text = ind.get("norm_text") or ind.get("target_text") or ""
            if target.get("value") is not None:
                target_text = (f"{value_text(target['value'], ind['unit'])} "
                               f"({format_period(target['period'])})")
            elif target.get("low") is not None:
                target_text = (f"{value_text(target['low'], ind['unit'])} – "
                               f"{value_text(target['high'], ind['unit'])} "
                               f"({format_period(target['period'])})")
            latest = ind.get("latest")
            doc.indicators.append({
                "code": n["code"], "node_title": n["title"], "name": ind["name"],
                "unit": ind.get("unit", ""), "target_text": target_text or EMPTY,
                "target_value": target.get("value"),
                "baseline_text": value_text(ind.get("baseline"), ind.get("unit", ""))
                if ind.get("baseline") is not None else EMPTY,
                "latest_value": latest["value"] if latest else None,
                "latest_text": value_text(latest["value"], ind.get("unit", "")) if latest
                else EMPTY,
                "latest_period": format_period(latest["period"]) if latest else "",
                "status": ind.get("status", ""),
                "status_text": str(INDICATOR_STATUS.get(ind.get("status", ""), EMPTY)),
                # the values by period as a person writes it («T1 2026»), for the chart's
                # description and the line under it
                "trend": [(format_period(v["period"]), v["value"])
                          for v in ind.get("values", [])],
                "trend_text": "; ".join(f"{format_period(v['period'])} : "
                                        f"{value_text(v['value'], ind['unit'])}"
                                        for v in ind.get("values", [])) or EMPTY,
            })

    # "" : lines without a year (the plan gives none), after the years
    years = sorted({y for n in snap["nodes"] for y in n.get("budget", {})},
                   key=lambda y: (y == "", y))
    rows = []
    for n in ordered:
        if n.get("budget"):
            by_year = {y: n["budget"].get(y, dict.fromkeys(BUDGET_FIELDS, 0)) for y in years}
            total = {f: sum(float(by_year[y].get(f) or 0) for y in years) for f in BUDGET_FIELDS}
            rows.append({"code": n["code"], "title": n["title"], "by_year": by_year,
                         "total": total,
                         # formatted, for the years this node has lines in
                         "text": {y: {f: format_money(by_year[y].get(f) or 0)
                                      for f in BUDGET_FIELDS} for y in years
                                  if y in n["budget"]},
                         "total_text": {f: format_money(total[f]) for f in BUDGET_FIELDS}})
    year_totals = {y: t.get("budget", {}).get(y, dict.fromkeys(BUDGET_FIELDS, 0)) for y in years}
    stated = [{"code": n["code"], "title": n["title"], "resources": _resources(n)}
              for n in ordered if n.get("money") or n.get("fte") is not None or n.get("funding")]
    doc.budget = {
        "years": years, "rows": rows, "totals": year_totals,
        "totals_text": {y: {f: format_money(year_totals[y].get(f) or 0) for f in BUDGET_FIELDS}
                        for y in years},
        "stated": stated,
    }

    for n in ordered:
        if is_leaf(n, kids):
            doc.sheets.append(_sheet(n, by_code, assessments.get(n["code"], ""),
                                     plan.get("levels") or []))
    return doc


def _descendants(node: dict, kids: dict) -> list[dict]:
    out, stack = [], list(reversed(kids.get(node["code"], [])))
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(kids.get(n["code"], [])))
    return out


def _dates(n: dict) -> tuple[str, str]:
    start = n.get("start_text") or iso_date(n.get("start_date"))
    end = n.get("end_text") or n.get("deadline_text") or iso_date(n.get("end_date"))
    return start or EMPTY, end or EMPTY


def _row(n: dict, kids: dict, base_depth: int, levels: list[str]) -> dict:
    start, end = _dates(n)
    return {
        "code": n["code"], "title": n["title"], "level": level_name(n, levels),
        "indent": n["depth"] - base_depth, "leaf": is_leaf(n, kids),
        "status": n["status"], "status_text": _label(Node.Status, n["status"]),
        "progress": shown_progress(n), "progress_text": pct(shown_progress(n)),
        "start": start, "end": end,
        "start_date": n.get("start_date"), "end_date": n.get("end_date"),
        "owners": _join(n.get("owners", [])), "departments": _join(n.get("departments", [])),
        # what a row that is not an action prints after its code and title
        "line": (f"{level_name(n, levels)} · " if level_name(n, levels) else "")
        + f"{_('avancement')} {pct(shown_progress(n))}",
    }


def _resources(n: dict) -> str:
    parts = []
    if n.get("fte") is not None:
        parts.append(f"{format_number(n['fte'], 0 if float(n['fte']).is_integer() else 2)} "
                     + _("ETP"))
    parts += [format_money(m) for m in n.get("money", [])]
    if n.get("funding"):
        parts.append(n["funding"])
    extra = n.get("extra", {})
    if not n.get("money") and extra.get("budget_as_printed"):
        parts.append(extra["budget_as_printed"])
    if n.get("fte") is None and extra.get("fte_as_printed"):
        parts.append(extra["fte_as_printed"])
    return " · ".join(parts) or EMPTY


def level_name(n: dict, levels: list[str]) -> str:
    """The node's level as printed, else the plan's name for its depth."""
    if n.get("level"):
        return n["level"]
    depth = n.get("depth", 0)
    return levels[depth] if depth < len(levels) else _("Niveau %d") % (depth + 1)


def _sheet(n: dict, by_code: dict, assessment: str, levels: list[str]) -> dict:
    start, end = _dates(n)
    ancestors = []
    p = by_code.get(n["parent"]) if n.get("parent") else None
    while p is not None:
        ancestors.insert(0, p)
        p = by_code.get(p["parent"]) if p.get("parent") else None
    fields: list[tuple[str, str]] = [(SHEET_LABELS["title"], n["title"])]
    for a in ancestors:
        label = level_name(a, levels).upper()
        fields.append((label, f"{a['code']} {a['title']}"))
    extra = n.get("extra", {})
    fields += [
        (SHEET_LABELS["start"], start), (SHEET_LABELS["end"], end),
        (SHEET_LABELS["departments"], _join(n.get("departments", []))),
        (SHEET_LABELS["status"], _label(Node.Status, n["status"])),
        (SHEET_LABELS["description"], n.get("description") or EMPTY),
        (SHEET_LABELS["context"], extra.get("context") or EMPTY),
        (SHEET_LABELS["risks"], "\n".join(n.get("risks", [])) or EMPTY),
        (SHEET_LABELS["owners"], _join(n.get("owners", []))),
        (SHEET_LABELS["team"], _join(n.get("team", []))),
        (SHEET_LABELS["mandataires"], _join(n.get("mandataires", []))),
        (SHEET_LABELS["partners"], _join(n.get("partners", []))),
        (SHEET_LABELS["deliverables"], "\n".join(n.get("deliverables", [])) or EMPTY),
        (SHEET_LABELS["resources"], _resources(n)),
        (SHEET_LABELS["comment"], n.get("comment") or EMPTY),
        (SHEET_LABELS["progress"], pct(shown_progress(n))),
    ]
    if n.get("indicators"):
        fields.append((SHEET_LABELS["indicators"], "\n".join(
            f"{i['name']} : {value_text(i['latest']['value'], i['unit']) if i.get('latest') else EMPTY}"
            f" ({INDICATOR_STATUS.get(i.get('status', ''), EMPTY)})" for i in n["indicators"])))
    if assessment:
        fields.append((SHEET_LABELS["assessment"], assessment))
    return {"code": n["code"], "title": n["title"], "fields": fields}
