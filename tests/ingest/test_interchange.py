"""The JSON interchange format: schema, load with one-line errors, dump, round trip."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from jalon.ingest.draft import PlanDraft
from jalon.ingest.errors import IngestError
from jalon.ingest.fields import finalize
from jalon.ingest.interchange import (
    JSON_SCHEMA_PATH,
    SCHEMA,
    dump_json,
    load_json,
    schema_text,
)


def _draft() -> PlanDraft:
    d = PlanDraft(title="Plan stratégique d'un autre organisme", kind="strategic",
                  organization="Office social de la Marine", period_start=2024, period_end=2029,
                  levels=["Direction", "Service", "Projet"], source="plan.pdf", layout="annex")
    d.add("Direction des services", code="DS", line=10)
    d.add("Service Culture", code="DS-C", parent="DS", line=12)
    p = d.add("Moderniser la billetterie", code="DS-C-1", parent="DS-C", line=14,
              printed="DS-C 1")
    p.set("timing", "2024-2026", 14)
    p.set("owners", "DS-C", 14)
    p.set("steering", "DS-H / CODIR", 15)
    p.set("budget_eur", "1,2 M€", 16)
    p.add_indicator("Ventes en ligne", "60 %", line=17, unit="%")
    q = d.add("Former les guichets", parent="DS-C", line=20)
    q.set("progress", "+/- 35 %", 21)
    q.set("start", "2023-2à24", 22)
    d.extra["adopted"] = "2024-01-31"
    return finalize(d)


def _nodes(*nodes: dict) -> str:
    return json.dumps({"plan": {"title": "P"}, "nodes": list(nodes)})


def _error(data) -> str:
    with pytest.raises(IngestError) as info:
        load_json(data, "plan.json")
    text = str(info.value)
    assert "\n" not in text
    return text


# -- schema -----------------------------------------------------------------------------------

def test_schema_is_a_valid_2020_12_schema():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_published_schema_file_equals_schema():
    """docs/interchange.schema.json never drifts: JALON_WRITE_SCHEMA=1 rewrites it."""
    if os.environ.get("JALON_WRITE_SCHEMA") == "1":
        JSON_SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    assert JSON_SCHEMA_PATH.exists(), "run: JALON_WRITE_SCHEMA=1 pytest tests/ingest"
    assert json.loads(JSON_SCHEMA_PATH.read_text(encoding="utf-8")) == SCHEMA
    assert JSON_SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()


def test_schema_knows_every_plan_attribute_of_the_draft():
    """A new PlanDraft attribute must be added to SCHEMA (plan allows no unknown key)."""
    known = set(SCHEMA["properties"]["plan"]["properties"])
    top_level = {"nodes", "warnings", "columns", "structure"}  # beside "plan" in the JSON
    attributes = {f.name for f in dataclasses.fields(PlanDraft)} - top_level
    assert top_level - {"nodes", "warnings"} <= set(SCHEMA["properties"])
    assert attributes <= known, attributes - known
    d = _draft()
    d.status, d.adopted_by, d.adopted_on, d.published = "adopted", "CAS", "2024-02-01", True
    d.rollup_rule, d.amendments = "weighted", [{"version": "2", "date": "2025-06-30"}]
    assert load_json(dump_json(d), "p").to_dict() == d.to_dict()


def test_docs_describe_every_field():
    doc = JSON_SCHEMA_PATH.with_name("interchange.md").read_text(encoding="utf-8")
    for key in SCHEMA["properties"]["nodes"]["items"]["properties"]["fields"]["properties"]:
        assert f"`{key}`" in doc, key
    for key in SCHEMA["properties"]["plan"]["properties"]:
        assert f"`{key}`" in doc, key


# -- dump and round trip ----------------------------------------------------------------------

def test_dump_is_stable_indented_utf8():
    d = _draft()
    text = dump_json(d)
    assert text == dump_json(d)
    assert "stratégique" in text and "\\u00e9" not in text
    assert text.startswith('{\n  "plan": {\n    "title"')
    data = json.loads(text)
    fields = data["nodes"][2]["fields"]
    assert list(fields) == sorted(fields)
    assert fields["budget_eur"] == [1200000.0]
    assert fields["code_as_printed"] == "DS-C 1"
    assert data["nodes"][3]["derived_code"] is True
    assert not list(Draft202012Validator(SCHEMA).iter_errors(data))


def test_round_trip():
    d = _draft()
    text = dump_json(d)
    again = load_json(text, "plan.json")
    assert dump_json(again) == text
    assert again.get("DS-C-1").fields["steering"] == ["DS-H", "CODIR"]
    assert again.get("DS-C-1").depth == 2
    assert load_json(text.encode("utf-8"), "plan.json").to_dict() == again.to_dict()


def test_minimal_document_loads():
    d = load_json('{"plan": {}, "nodes": [{"code": "1", "title": "Axe", "parent": null},'
                  '{"code": "1.1", "title": "Obj", "parent": "1", "fields": {"x": [1]}}]}', "p")
    assert [(n.code, n.depth) for n in d.nodes] == [("1", 0), ("1.1", 1)]
    assert d.nodes[1].fields == {"x": [1]}


def test_children_listed_before_parents_load_in_tree_order():
    d = load_json(_nodes({"code": "B", "title": "b", "parent": "A"},
                         {"code": "A", "title": "a", "parent": None}), "p")
    assert {n.code: n.depth for n in d.nodes} == {"A": 0, "B": 1}


def test_utf8_bom_is_accepted():
    assert load_json(b"\xef\xbb\xbf" + dump_json(_draft()).encode(), "p").title


# -- errors: one line, the first problem, its JSON path ----------------------------------------

def test_unknown_parent():
    text = _nodes({"code": "A", "title": "a", "parent": None},
                  {"code": "B", "title": "b", "parent": "A"},
                  {"code": "C", "title": "c", "parent": "A"},
                  {"code": "D", "title": "d", "parent": "X9"})
    assert _error(text) == "plan.json: nodes[3].parent: « X9 » n'est pas un code de ce plan"


def test_invalid_json_names_the_line():
    text = '{\n  "plan": {},\n  "nodes": [\n    {"code": "A" "title": "a"}\n  ]\n}'
    err = _error(text)
    assert err.startswith("plan.json:4: JSON invalide : Expecting ','")


def test_duplicate_codes():
    text = _nodes({"code": "A", "title": "a", "parent": None},
                  {"code": "A", "title": "b", "parent": None})
    assert _error(text).startswith("plan.json: nodes[1].code: « A » est déjà le code de nodes[0]")


def test_cycle():
    text = _nodes({"code": "A", "title": "a", "parent": "B"},
                  {"code": "B", "title": "b", "parent": "A"})
    assert _error(text) == "plan.json: nodes[0].parent: cycle de parents : A → B → A"
    assert "cycle" in _error(_nodes({"code": "A", "title": "a", "parent": "A"}))


@pytest.mark.parametrize("data, expected", [
    ('{"nodes": []}', "plan.json: propriété « plan » obligatoire"),
    ('[]', "plan.json: [] n'est pas du type attendu (objet)"),
    ('{"plan": {"kind": "zz"}, "nodes": []}', 'plan.json: plan.kind: "zz" n\'est pas une valeur permise (pst, '),
    ('{"plan": {"titel": "x"}, "nodes": []}', "plan.json: plan: propriétés non prévues : titel"),
    (_nodes({"code": "A", "parent": None}), "plan.json: nodes[0]: propriété « title » obligatoire"),
    (_nodes({"code": "", "title": "a", "parent": None}), 'plan.json: nodes[0].code: "" est trop court (au moins 1 caractères)'),
    (_nodes({"code": "A", "title": "a", "parent": None, "fields": {"progress": 120}}),
     "plan.json: nodes[0].fields.progress: 120 est supérieur au maximum (100)"),
    (_nodes({"code": "A", "title": "a", "parent": None, "fields": {"owners": "X / Y"}}),
     'plan.json: nodes[0].fields.owners: "X / Y" n\'est pas du type attendu (liste)'),
    (_nodes({"code": "A", "title": "a", "parent": None, "fields": {"budget_eur": ["5 M€"]}}),
     'plan.json: nodes[0].fields.budget_eur[0]: "5 M€" n\'est pas du type attendu (nombre)'),
    (_nodes({"code": "A", "title": "a", "parent": None, "line": 0}),
     "plan.json: nodes[0].line: 0 est inférieur au minimum (1)"),
    ('{"plan": {}, "nodes": [], "warnings": [{"line": 3}]}',
     "plan.json: warnings[0]: propriété « message » obligatoire"),
    ('{"plan": {}, "nodes": [{"code": "A", "title": "a", "parent": null, "fields": '
     '{"fte": NaN}}]}', "plan.json: JSON invalide : NaN n'est pas un nombre JSON"),
    ("", "plan.json: fichier vide"),
    (b"\xff\xfe{}", "plan.json: texte qui n'est pas en UTF-8"),
])
def test_schema_errors(data, expected):
    assert _error(data).startswith(expected)


def test_first_problem_in_document_order():
    text = json.dumps({"plan": {"kind": "zz"}, "nodes": [{"code": 1}]})
    assert _error(text).startswith("plan.json: plan.kind:")
    text = json.dumps({"nodes": [{"code": 1}], "plan": {"kind": "zz"}})
    assert _error(text).startswith("plan.json: nodes[0]")


def test_deep_nesting_is_an_ingest_error():
    assert "plan.json" in _error("[" * 100000 + "]" * 100000)


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.sampled_from(["plan", "nodes", "code", "title", "parent",
                                                       "fields", "warnings", "x"]), inner,
                                      max_size=4),
                    max_leaves=12))
def test_garbage_gives_a_draft_or_an_ingest_error(data):
    try:
        load_json(json.dumps(data), "g.json")
    except IngestError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("g.json")
