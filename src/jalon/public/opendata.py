"""What the public may see of a published plan, and the open-data forms of it (CSV, JSON,
a DCAT-AP catalogue).  Pure functions on snapshots, plus the catalogue builder.

The public view is an allow-list: only the node fields named in :data:`PUBLIC_FIELDS` ever
leave the building, minus those the plan hides (``Plan.hidden_fields``).  A hidden name may be
a node field (``owners``, ``comment``, ``risks``, ``start_text``…, the names the API uses) or
a group (``budget``: amounts, budget lines and funding; ``dates``; ``people``).

Stable identifiers: ``<organization slug>/<plan id>/<node code>``.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jalon.core.cells import safe_text
from jalon.plans.access import GROUPS, hidden_keys  # noqa: F401 - re-exported
from jalon.reports.snapshot import children_map, walk

# node fields that may be shown to the public, in CSV column order
PUBLIC_FIELDS = ("code", "parent", "level", "depth", "title", "status", "progress",
                 "rolled_up", "start_text", "end_text", "deadline_text", "start_date",
                 "end_date", "open_ended", "owners", "team", "mandataires", "departments",
                 "partners", "steering", "description", "risks", "deliverables", "comment",
                 "fte", "funding", "money", "budget", "indicators")

# a hidden name → the snapshot fields it removes: the one rule, in plans.access
# not node fields, but hideable too: the evaluation's texts
EVALUATION_FIELDS = ("assessments",)


def visible_fields(hidden) -> tuple[str, ...]:
    keys = hidden_keys(hidden)
    return tuple(f for f in PUBLIC_FIELDS if f not in keys or f == "code")


def identifier(snap: dict, code: str | None) -> str | None:
    if code is None:
        return None
    return f"{snap['organization']['slug']}/{snap['plan']['id']}/{code}"


def public_node(snap: dict, node: dict, fields: tuple[str, ...]) -> dict:
    out: dict[str, Any] = {"id": identifier(snap, node["code"])}
    for f in fields:
        if f == "parent":
            out["parent"] = identifier(snap, node["parent"])
            out["parent_code"] = node["parent"]
        elif f == "indicators":
            out["indicators"] = [_public_indicator(i) for i in node.get("indicators", [])]
        else:
            out[f] = node.get(f)
    return out


def _public_indicator(ind: dict) -> dict:
    keep = ("name", "kind", "unit", "direction", "frequency", "target_text", "norm_text",
            "baseline", "target", "values", "latest", "status")
    return {k: ind.get(k) for k in keep}


def public_snapshot(snap: dict, hidden) -> dict:
    """The snapshot as the public may see it: plan metadata, totals and filtered nodes."""
    fields = visible_fields(hidden)
    keys = hidden_keys(hidden)
    kids = children_map(snap)
    totals = dict(snap.get("totals", {}))
    if "budget" in keys:
        totals.pop("budget", None)
    if "progress" in keys:
        totals.pop("progress", None)
    if "status" in keys:
        totals.pop("by_status", None)
    if "indicators" in keys:
        totals.pop("indicators", None)
    plan = snap["plan"]
    return {
        "as_of": snap["as_of"],
        "organization": {"name": snap["organization"]["name"],
                         "slug": snap["organization"]["slug"]},
        "plan": {k: plan.get(k) for k in ("id", "title", "kind", "period_start", "period_end",
                                           "status", "levels", "adopted_by", "adopted_on")},
        "totals": totals,
        "nodes": [public_node(snap, n, fields) for n in walk(snap, kids)],
    }


def _local(moment) -> str | None:
    """A moment in the installation's time zone (its date part is the day as Belgians lived
    it: a publication just after midnight in Brussels is not dated the day before)."""
    return timezone.localtime(moment).isoformat() if moment else None


def evaluation_facts(evaluation) -> dict:
    """What open data says of a published evaluation, whatever else goes with it."""
    return {"kind": evaluation.kind, "as_of": evaluation.as_of.isoformat(),
            "version": evaluation.version, "validated_at": _local(evaluation.validated_at),
            "published_at": _local(evaluation.public_since), "overall": evaluation.overall}


def public_evaluation(evaluation, hidden) -> dict | None:
    """The latest published evaluation as the public may see it (or None)."""
    if evaluation is None:
        return None
    keys = hidden_keys(hidden)
    snap = public_snapshot(evaluation.snapshot, hidden)
    roots = {n["code"] for n in evaluation.snapshot.get("nodes", []) if n["parent"] is None}
    top = [n for n in snap["nodes"] if n["code"] in roots]
    facts = evaluation_facts(evaluation)
    return {
        "kind": facts["kind"], "kind_label": evaluation.get_kind_display(), **facts,
        "assessments": {} if "assessments" in keys else dict(evaluation.assessments),
        "totals": snap["totals"],
        "objectives": top,
    }


# -- CSV ---------------------------------------------------------------------------------

def _cell(value: Any) -> str:
    """One CSV cell: numbers as numbers, text never a formula (``core.cells.safe_text``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, list):
        return safe_text(" | ".join(_plain(v) for v in value))
    return safe_text(value)


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def to_csv(public: dict) -> str:
    """One row per node; lists joined with « | »; ISO dates and «.» decimals (machine
    readable); budget as totals over all years."""
    nodes = public["nodes"]
    sample = nodes[0] if nodes else {"id": None}
    columns = ["id", "organization", "plan_id"]
    for key in sample:
        if key in {"id", "indicators", "budget", "money"}:
            continue
        columns.append(key)
    has_budget = "budget" in sample
    if has_budget:
        columns += ["budget_planned", "budget_committed", "budget_spent"]
    if "money" in sample:
        columns.append("resources_eur")
    if "indicators" in sample:
        columns.append("indicators")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for n in nodes:
        row = {"id": n["id"], "organization": public["organization"]["slug"],
               "plan_id": public["plan"]["id"]}
        row.update({k: v for k, v in n.items() if k not in {"budget", "money", "indicators"}})
        if has_budget:
            for f in ("planned", "committed", "spent"):
                row[f"budget_{f}"] = _sum(y.get(f) for y in (n.get("budget") or {}).values())
        if "money" in n:
            row["resources_eur"] = _sum(n.get("money") or [])
        if "indicators" in n:
            row["indicators"] = [i["name"] for i in n.get("indicators") or []]
        w.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def _sum(values) -> str:
    from decimal import Decimal

    total = sum((Decimal(str(v)) for v in values if v is not None), Decimal(0))
    return format(total.normalize(), "f") if total else "0"


# -- DCAT-AP catalogue -------------------------------------------------------------------

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
MEDIA_TYPES = {
    "csv": "http://www.iana.org/assignments/media-types/text/csv",
    "json": "http://www.iana.org/assignments/media-types/application/json",
}
FILE_TYPES = {
    "csv": "http://publications.europa.eu/resource/authority/file-type/CSV",
    "json": "http://publications.europa.eu/resource/authority/file-type/JSON",
}
LANGUAGES = {"fr": "FRA", "nl": "NLD", "de": "DEU", "en": "ENG"}


def _language(code: str) -> dict:
    lang = LANGUAGES.get((code or "fr")[:2], "FRA")
    return {"@id": f"http://publications.europa.eu/resource/authority/language/{lang}"}


def dataset(entry: dict) -> dict:
    """One published plan as a ``dcat:Dataset``.  ``entry``: id, title, description,
    organization (name, slug, url), period_start, period_end, language, modified (ISO),
    license, page, csv, json (absolute URLs), keywords."""
    temporal: dict[str, Any] = {"@type": "dct:PeriodOfTime"}
    if entry.get("period_start"):
        temporal["dcat:startDate"] = {"@value": f"{entry['period_start']}-01-01",
                                      "@type": "xsd:date"}
    if entry.get("period_end"):
        temporal["dcat:endDate"] = {"@value": f"{entry['period_end']}-12-31",
                                    "@type": "xsd:date"}
    license_ = {"@id": entry["license"]}
    modified = {"@value": entry["modified"], "@type": "xsd:dateTime"}
    distributions = []
    for fmt in ("csv", "json"):
        distributions.append({
            "@id": entry[fmt], "@type": "dcat:Distribution",
            "dct:title": f"{entry['title']} ({fmt.upper()})",
            "dcat:accessURL": {"@id": entry[fmt]}, "dcat:downloadURL": {"@id": entry[fmt]},
            "dcat:mediaType": {"@id": MEDIA_TYPES[fmt]}, "dct:format": {"@id": FILE_TYPES[fmt]},
            "dct:license": license_, "dct:modified": modified,
        })
    return {
        "@id": entry["page"], "@type": "dcat:Dataset",
        "dct:identifier": entry["identifier"],
        "dct:title": entry["title"],
        "dct:description": entry["description"],
        "dct:publisher": {"@id": entry["organization"]["url"], "@type": "foaf:Agent",
                          "foaf:name": entry["organization"]["name"]},
        "dct:temporal": temporal,
        "dct:modified": modified,
        "dct:license": license_,
        "dct:language": _language(entry.get("language", "fr")),
        "dcat:landingPage": {"@id": entry["page"]},
        "dcat:keyword": entry.get("keywords", []),
        "dcat:distribution": distributions,
    }


def catalog(entries: list[dict], *, url: str, home: str, title: str, description: str,
            modified: str | None, publisher: str = "Jalon") -> dict:
    """The ``dcat:Catalog`` of every published plan, as JSON-LD (publisher: the organization
    when there is one, else ``publisher``, the site)."""
    out = {
        "@context": CONTEXT,
        "@id": url, "@type": "dcat:Catalog",
        "dct:title": title, "dct:description": description,
        "foaf:homepage": {"@id": home},
        "dct:language": _language("fr"),
        "dcat:dataset": [dataset(e) for e in entries],
    }
    if modified:
        out["dct:modified"] = {"@value": modified, "@type": "xsd:dateTime"}
    publishers = {e["organization"]["slug"]: e["organization"] for e in entries}
    org = (next(iter(publishers.values())) if len(publishers) == 1
           else {"url": home, "name": publisher})
    out["dct:publisher"] = {"@id": org["url"], "@type": "foaf:Agent", "foaf:name": org["name"]}
    return out
