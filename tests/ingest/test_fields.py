"""finalize(): printed strings set by parsers → the contract's value shapes, with warnings."""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from jalon.ingest.draft import ALL_FIELDS, PlanDraft
from jalon.ingest.fields import finalize
from jalon.ingest.interchange import SCHEMA
from samples import SEEDS  # the packaged copies of shared/seeds


def _draft() -> PlanDraft:
    d = PlanDraft(title="PST d'un autre CPAS", period_start=2019, period_end=2024,
                  levels=["Axe", "Objectif", "Action"])
    d.add("Axe un", code="1", line=3)
    d.add("Objectif", code="1.1", parent="1", line=5)
    return d


def _action(d: PlanDraft, **fields):
    node = d.add("Rénover  l'accueil\n du public", code="1.1.1", parent="1.1", line=7)
    for i, (key, value) in enumerate(fields.items()):
        node.set(key, value, 10 + i)
    return node


def _warnings(d: PlanDraft) -> list[tuple[str, int | None, str | None]]:
    return [(w.message, w.line, w.code) for w in d.warnings]


def test_lists_are_split():
    d = _draft()
    n = _action(d, owners="Marie Dupont/ Paul Martin", team="A + B, C et D",
                departments="SERVICE SOCIAL/ INFORMATIQUE",
                mandataire="Conseil de l'Action Sociale",
                partners=["X / Y", "Z"], steering="DS-C DS-H", enablers="RH; IT", tags="ODD 3")
    finalize(d)
    f = n.fields
    assert f["owners"] == ["Marie Dupont", "Paul Martin"]
    assert f["team"] == ["A", "B", "C", "D"]
    assert f["departments"] == ["SERVICE SOCIAL", "INFORMATIQUE"]
    assert f["mandataire"] == ["Conseil de l'Action Sociale"]
    assert f["partners"] == ["X", "Y", "Z"]
    assert f["steering"] == ["DS-C", "DS-H"]
    assert f["enablers"] == ["RH", "IT"]
    assert f["tags"] == ["ODD 3"]
    assert n.title == "Rénover l'accueil du public"


def test_risks_and_deliverables_are_items():
    d = _draft()
    n = _action(d, risks="• Perte des télécommunications tant que la technologie\nn'est pas "
                         "déployée\n• Recours (perte de temps)",
                deliverables="Nouveaux centraux, nouveaux abonnements.")
    finalize(d)
    assert n.fields["risks"] == ["Perte des télécommunications tant que la technologie n'est pas "
                                 "déployée", "Recours (perte de temps)"]
    assert n.fields["deliverables"] == ["Nouveaux centraux, nouveaux abonnements."]


def test_budget_fte_progress():
    d = _draft()
    n = _action(d, budget_eur="7500 (mise en œuvre) / 6400 (maintenance annuelle)",
                fte="0,5 ETP", progress="75 %")
    finalize(d)
    f = n.fields
    assert f["budget_eur"] == [7500, 6400]
    assert f["budget_as_printed"] == "7500 (mise en œuvre) / 6400 (maintenance annuelle)"
    assert f["fte"] == 0.5 and f["fte_as_printed"] == "0,5 ETP"
    assert f["progress"] == 75 and f["progress_as_printed"] == "75 %"
    assert n.field_lines["budget_as_printed"] == n.field_lines["budget_eur"] == 10
    assert d.warnings == []


def test_numbers_given_as_numbers_stay():
    d = _draft()
    n = _action(d, budget_eur=[1000, 2500.5], fte=2, progress=40)
    finalize(d)
    assert n.fields == {"budget_eur": [1000.0, 2500.5], "fte": 2, "progress": 40}


def test_budget_without_amount_keeps_text_and_warns_with_its_line():
    d = _draft()
    n = _action(d, start="2019", budget_eur="Coût à évaluer  avec le\nservice technique")
    finalize(d)
    assert "budget_eur" not in n.fields
    assert n.fields["budget_as_printed"] == "Coût à évaluer avec le service technique"
    assert _warnings(d) == [("budget sans montant reconnu : « Coût à évaluer avec le service "
                             "technique »", 11, "1.1.1")]
    assert n.field_lines == {"start": 10, "budget_as_printed": 11}


def test_unparseable_progress_warns():
    d = _draft()
    n = _action(d, progress="en cours")
    finalize(d)
    assert "progress" not in n.fields and n.fields["progress_as_printed"] == "en cours"
    assert _warnings(d) == [("avancement non reconnu : « en cours »", 10, "1.1.1")]


def test_out_of_range_progress_number_warns():
    d = _draft()
    n = _action(d, progress=130)
    finalize(d)
    assert "progress" not in n.fields
    assert len(d.warnings) == 1 and d.warnings[0].line == 10


def test_dates_stay_text_and_invalid_ones_warn_with_the_field_line():
    d = _draft()
    n = _action(d, start="  2020-21 ", end="2023-2à24", deadline="T + 4 ans")
    finalize(d)
    assert n.fields["start"] == "2020-21"
    assert n.fields["end"] == "2023-2à24"
    assert n.fields["deadline"] == "T + 4 ans"
    assert _warnings(d) == [("fin : date non reconnue : « 2023-2à24 »", 11, "1.1.1")]


def test_whitespace_collapsed_and_empty_fields_dropped():
    d = _draft()
    n = _action(d, comment="  deux\n  lignes ", description="a")
    n.fields["status"] = "   "
    n.fields["owners"] = " / "
    n.fields["domain"] = []
    finalize(d)
    assert n.fields == {"comment": "deux lignes", "description": "a"}


def test_indicators_are_normalised():
    d = _draft()
    n = _action(d)
    n.add_indicator("  Taux de\n satisfaction ", "80 %", line=12)
    n.fields["indicators"].append("Nombre de dossiers")
    finalize(d)
    assert n.fields["indicators"] == [
        {"name": "Taux de satisfaction", "target": "80 %", "line": 12},
        {"name": "Nombre de dossiers", "target": None},
    ]


def test_finalize_is_idempotent_and_finishes():
    d = _draft()
    _action(d, owners="A / B", risks="• x\n• y", budget_eur="rien", fte="1 (conception)",
            progress="?", start="2023-2à24", end="fin 2024", comment=" c ")
    assert finalize(d) is d
    once = copy.deepcopy(d.to_dict())
    finalize(d)
    assert d.to_dict() == once
    assert [n.depth for n in d.nodes] == [0, 1, 2]
    assert d.nodes[2].level == "Action"


def test_resources_of_the_action_sheets():
    """The ETP and € values of the Binche action sheets: numbers where printed, text kept."""
    path = SEEDS / "003_cd862c1becbca89e.txt"
    if not path.exists():
        pytest.skip("seeds not available")
    text = path.read_text(encoding="utf-8")
    d = _draft()
    budgets = re.findall(r"Budgétaires \(€\) : (.*)", text)
    ftes = re.findall(r"Humaines? \(ETP\) : (.*)", text)
    assert len(budgets) > 15 and len(ftes) > 15
    nodes = []
    for i, b in enumerate(budgets):
        n = d.add(f"action {i}", code=f"1.1.{i + 1}", parent="1.1", line=100 + i)
        n.set("budget_eur", b, 100 + i)
        nodes.append(n)
    sheets = []
    for i, e in enumerate(ftes):
        n = d.add(f"action {i}", code=f"1.2.{i + 1}", parent="1", line=200 + i)
        n.set("fte", e, 200 + i)
        sheets.append(n)
    finalize(d)
    amounts = [n.fields.get("budget_eur") for n in nodes]
    assert [1000.0] in amounts and [7500.0, 6400.0] in amounts and [120000.0] in amounts
    assert all(n.fields["budget_as_printed"] for n in nodes)
    no_amount = sum(1 for a in amounts if a is None)
    assert len([w for w in d.warnings if w.message.startswith("budget")]) == no_amount
    assert [n.fields.get("fte") for n in sheets].count(1.0) >= 3
    assert all(n.fields["fte_as_printed"] for n in sheets)


# -- robustness: whatever a parser sets, the result is schema-valid --------------------------

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**9)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=3),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(ALL_FIELDS + ("extra_key",)), VALUES, max_size=8),
       st.dictionaries(st.sampled_from(ALL_FIELDS), st.integers(-3, 50), max_size=4))
def test_finalize_output_is_always_schema_valid(fields, lines):
    d = _draft()
    n = _action(d)
    n.fields.update(fields)
    n.field_lines.update(lines)
    finalize(d)
    data = d.to_dict()
    errors = list(Draft202012Validator(SCHEMA).iter_errors(data))
    assert not errors, errors[0].message
    once = copy.deepcopy(data)
    finalize(d)
    assert d.to_dict() == once
