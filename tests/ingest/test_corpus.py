"""The import corpus (tests/ingest/corpus): plans of fictitious bodies, each read into the tree
a careful reader of the document sees.

For every document ``X`` of ``tests/ingest/corpus/documents`` with its ``X.expected.json``, the
importer (``jalon.ingest.parse_bytes``) must find at least 95 % of the items, give at least 95 %
of the items it found the right parent, and read at least 90 % of the fields the document states.
Values are compared by meaning (see ``tests/ingest/corpus/README.md``).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from jalon.core.values import parse_fuzzy_date
from jalon.ingest import parse_bytes
from jalon.ingest.draft import NodeDraft, PlanDraft
from jalon.ingest.errors import IngestError

CORPUS = Path(__file__).parent / "corpus"
DOCUMENTS = CORPUS / "documents"
SUFFIX = ".expected.json"
NAMES = sorted(p.name[: -len(SUFFIX)] for p in DOCUMENTS.glob("*" + SUFFIX))

MIN_ITEMS, MIN_PARENTS, MIN_FIELDS = 0.95, 0.95, 0.90

# Keys whose values are lists of names / items, compared as sets.
LIST_KEYS = {"departments", "owners", "team", "partners", "mandataire", "steering", "enablers",
             "tags", "risks", "deliverables"}
# A date the document states as "échéance" or "date de fin" may be read as either.
DATE_GROUPS = {"start": ("start",), "end": ("end", "deadline"), "deadline": ("deadline", "end")}


# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------
def norm(text: Any) -> str:
    s = unicodedata.normalize("NFKC", str(text)).casefold()
    s = s.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    s = " ".join(s.split())
    return s.strip(" .:;,-")


def norm_code(text: Any) -> str:
    return re.sub(r"\s+", "", norm(text)).rstrip(".)")


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [x for x in re.split(r"\s*[,;/\n]\s*", value) if x.strip()]
    return [str(x) for x in value]


def number_and_unit(text: str) -> tuple[float, str] | None:
    """``1.200`` / ``1200`` / ``85 %`` / ``20 jours`` / ``-15 %`` → (number, rest)."""
    s = norm(text).replace(" ", "")
    m = re.match(r"^([-+]?)(\d[\d.,]*)(.*)$", s)
    if not m:
        return None
    digits = m.group(2).rstrip(".,")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", digits):
        value = digits.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", digits):
        value = digits.replace(",", "")
    else:
        value = digits.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None
    return (-number if m.group(1) == "-" else number), m.group(3)


def to_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    parsed = number_and_unit(str(value))
    return parsed[0] if parsed else None


def same_target(expected: Any, found: Any) -> bool:
    if expected in (None, "") or found in (None, ""):
        return expected in (None, "") and found in (None, "")
    if norm(expected) == norm(found):
        return True
    a, b = number_and_unit(str(expected)), number_and_unit(str(found))
    return bool(a and b and abs(a[0] - b[0]) < 1e-6 and a[1] == b[1])


def same_date(expected: str, found: Any) -> bool:
    a = parse_fuzzy_date(str(expected))
    b = parse_fuzzy_date(str(found)) if found not in (None, "") else None
    return bool(a and b and a.start is not None and (a.start, a.end) == (b.start, b.end))


def field_ok(key: str, expected: Any, fields: dict[str, Any]) -> bool:
    if key in DATE_GROUPS:
        return any(same_date(expected, fields.get(k)) for k in DATE_GROUPS[key])
    found = fields.get(key)
    if found in (None, "", []):
        return False
    if key in LIST_KEYS:
        return {norm(x) for x in as_list(expected)} == {norm(x) for x in as_list(found)}
    if key == "budget_eur":
        numbers = [to_number(x) for x in (found if isinstance(found, list) else [found])]
        return None not in numbers and abs(sum(numbers) - sum(expected)) < 0.01
    if key in ("progress", "fte"):
        number = to_number(found)
        return number is not None and abs(number - float(expected)) < 0.01
    if key == "indicators":
        found_list = [x for x in found if isinstance(x, dict)] if isinstance(found, list) else []
        return all(any(norm(f.get("name", "")) == norm(e["name"])
                       and same_target(e.get("target"), f.get("target")) for f in found_list)
                   for e in expected)
    return norm(found) == norm(expected)


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------
def score(expected: dict[str, Any], draft: PlanDraft) -> dict[str, Any]:
    """Match expected items to the draft's nodes, then count items, parents and fields."""
    by_title: dict[str, list[NodeDraft]] = {}
    by_code: dict[str, list[NodeDraft]] = {}
    for node in draft.nodes:
        by_title.setdefault(norm(node.title), []).append(node)
        for code in {node.code, node.fields.get("code_as_printed")}:
            if code:
                by_code.setdefault(norm_code(code), []).append(node)
    by_node_code = {node.code: node for node in draft.nodes}

    used: set[int] = set()
    match: dict[str, NodeDraft] = {}
    for item in expected["nodes"]:
        cands = [n for n in by_title.get(norm(item["title"]), []) if id(n) not in used]
        if not cands and item.get("code"):
            cands = [n for n in by_code.get(norm_code(item["code"]), []) if id(n) not in used]
            cands = cands if len(cands) == 1 else []
        if cands:
            match[item["title"]] = cands[0]
            used.add(id(cands[0]))

    missing = [i["title"] for i in expected["nodes"] if i["title"] not in match]
    wrong_parent, wrong_fields = [], []
    right_parents = 0
    fields_total = fields_right = 0
    for item in expected["nodes"]:
        node = match.get(item["title"])
        if node is not None:
            parent = by_node_code.get(node.parent) if node.parent else None
            want = match.get(item["parent"]) if item["parent"] else None
            if (item["parent"] is None and parent is None) or \
                    (want is not None and parent is want):
                right_parents += 1
            else:
                wrong_parent.append(f"{item['title']!r} under "
                                    f"{parent.title if parent else None!r}")
        for key, value in item["fields"].items():
            fields_total += 1
            if node is not None and field_ok(key, value, node.fields):
                fields_right += 1
            else:
                got = None if node is None else {k: node.fields.get(k)
                                                 for k in DATE_GROUPS.get(key, (key,))}
                wrong_fields.append(f"{item['title'][:40]!r}.{key}: want {value!r} got {got!r}")
    total = len(expected["nodes"])
    return {
        "items": len(match) / total if total else 1.0,
        "parents": right_parents / len(match) if match else 0.0,
        "fields": fields_right / fields_total if fields_total else 1.0,
        "counts": (len(match), total, right_parents, fields_right, fields_total),
        "missing": missing, "wrong_parent": wrong_parent, "wrong_fields": wrong_fields,
    }


def summary(name: str, s: dict[str, Any]) -> str:
    found, total, parents, right, stated = s["counts"]
    lines = [f"{name}: items {s['items']:.0%} ({found}/{total}), "
             f"parents {s['parents']:.0%} ({parents}/{found}), "
             f"fields {s['fields']:.0%} ({right}/{stated})"]
    for label, key in (("missing", "missing"), ("wrong parent", "wrong_parent"),
                       ("wrong field", "wrong_fields")):
        for text in s[key][:4]:
            lines.append(f"  {label}: {text}")
        if len(s[key]) > 4:
            lines.append(f"  … {len(s[key]) - 4} more {label}")
    return "\n".join(lines)


def load_expected(name: str) -> dict[str, Any]:
    return json.loads((DOCUMENTS / (name + SUFFIX)).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------
def test_the_corpus_has_at_least_15_documents_in_french_and_dutch():
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(m["file"] for m in manifest) == NAMES
    assert len(NAMES) >= 15
    assert {m["language"] for m in manifest} == {"fr", "nl"}
    assert {Path(n).suffix for n in NAMES} >= {".docx", ".pdf", ".xlsx", ".ods", ".csv", ".txt"}


@pytest.mark.parametrize("name", NAMES)
def test_document_imports_its_tree(name):
    expected = load_expected(name)
    try:
        draft = parse_bytes(name, (DOCUMENTS / name).read_bytes())
    except IngestError as exc:
        pytest.fail(f"{name}: items 0%, parents 0%, fields 0% (refused: {exc})")
    s = score(expected, draft)
    message = summary(name, s)
    assert s["items"] >= MIN_ITEMS and s["parents"] >= MIN_PARENTS and \
        s["fields"] >= MIN_FIELDS, message


def test_expectations_are_derived_from_the_generator_descriptions():
    """The committed expected trees are what make_corpus.py describes (no hand edits, no drift)."""
    saved = list(sys.path)
    sys.path.insert(0, str(CORPUS))
    try:
        import make_corpus
    finally:
        sys.path[:] = saved
    described = {}
    for doc in make_corpus.build_all():
        exp = make_corpus.expected(doc)
        described[doc.name] = exp
        if doc.pdf:
            described[Path(doc.name).stem + ".pdf"] = exp
    assert sorted(described) == NAMES
    for name in NAMES:
        assert load_expected(name) == described[name], name


def test_the_scorer_compares_by_meaning_and_notices_what_is_wrong():
    expected = {"title": "Plan", "nodes": [
        {"title": "Un CPAS accessible", "parent": None, "code": "1", "fields": {}},
        {"title": "Ouvrir un guichet unique", "parent": "Un CPAS accessible", "code": "1.1",
         "fields": {"end": "2026-06-30", "owners": ["Marie Lambert", "Karim Benali"],
                    "budget_eur": [12500.0], "progress": 80,
                    "indicators": [{"name": "Taux de satisfaction", "target": "85 %"}]}},
        {"title": "Former les agents", "parent": "Un CPAS accessible",
         "fields": {"deadline": "T3 2027"}},
    ]}

    def draft(**changes: Any) -> PlanDraft:
        leaf = {"deadline": "30/06/2026", "owners": ["karim benali", "Marie  Lambert"],
                "budget_eur": [10000, 2500], "progress": 80.0,
                "indicators": [{"name": "Taux de satisfaction", "target": "85%"}]}
        leaf.update(changes)
        return PlanDraft(nodes=[
            NodeDraft("1", "Un CPAS accessible"),
            NodeDraft("1.1", "Ouvrir un guichet unique.", parent="1", fields=leaf),
            NodeDraft("1.2", "Former les agents", parent="1", fields={"end": "2027-09-30"}),
        ])

    exact = score(expected, draft())
    assert (exact["items"], exact["parents"]) == (1.0, 1.0)
    assert exact["fields"] == pytest.approx(5 / 6)  # 2027-09-30 is a day, not the quarter
    assert exact["wrong_fields"] == [
        "'Former les agents'.deadline: want 'T3 2027' got {'deadline': None, 'end': '2027-09-30'}"]
    assert score(expected, draft(owners=["Marie Lambert"]))["fields"] == pytest.approx(4 / 6)
    assert score(expected, draft(indicators=[{"name": "Taux de satisfaction",
                                              "target": "0,85"}]))["fields"] == \
        pytest.approx(4 / 6)
    moved = draft()
    moved.nodes[2].parent = "1.1"
    assert score(expected, moved)["parents"] == pytest.approx(2 / 3)
    assert score(expected, PlanDraft(nodes=draft().nodes[:2]))["items"] == pytest.approx(2 / 3)
