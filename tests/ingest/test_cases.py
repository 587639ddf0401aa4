"""The case mechanism: a known kind of document read by the structure engine with its own words,
patterns and hooks (jalon.ingest.cases)."""

from types import SimpleNamespace

import pytest

from jalon.ingest import engine
from jalon.ingest.cases import Case, CaseParser, case_names, drop_running, drop_toc, load_case
from jalon.ingest.document import Document
from jalon.ingest.errors import IngestError
from jalon.ingest.fields import finalize
from jalon.ingest.mapping import case_vocabulary, field_for
from jalon.ingest.numbering import follows, toc_numbers

TEXT = """Plan d'actions de la Régie fictive 2026-2030
Sommaire ........................................ 2
Atelier A ...................................... 3
Atelier B ...................................... 4
Rapport fictif – page 1
ATL-A Atelier A
Meneuse du chantier : Mme Aster
ch-a 1 Repeindre la grille
ch-a 2 Réparer la porte
Rapport fictif – page 2
ATL-B Atelier B
ch-b 1 Ranger le dépôt
"""

CASE = {
    "name": "atelier_fictif",
    "levels": ["Atelier", "Chantier"],
    "vocabulary": {"fields": {"owners": ["meneuse du chantier"]}},
    "numbering": [
        {"pattern": r"^(?P<code>ATL-[A-Z])\s+(?P<title>\S.*)$", "level": "Atelier"},
        {"pattern": r"^(?P<code>[a-z]{2}-[a-z] \d+)\s+(?P<title>\S.*)$", "level": "Chantier",
         "upper": True, "join": "-"},
    ],
    "features": [{"pattern": r"^ATL-[A-Z]\s", "weight": 0.5},
                 {"pattern": r"^[a-z]{2}-[a-z] \d+\s", "weight": 0.5, "min": 2}],
    "drop": [r"^Rapport fictif – page \d+$"],
    "toc": True,
}


def doc():
    return Document.from_text("plan.txt", TEXT)


def test_a_case_gives_codes_levels_fields_and_its_layout_name():
    draft = engine.parse(doc(), case=Case("atelier_fictif", CASE))
    finalize(draft)
    assert draft.layout == "atelier_fictif"
    assert [(n.code, n.parent, n.level, n.title) for n in draft.nodes] == [
        ("ATL-A", None, "Atelier", "Atelier A"),
        ("CH-A-1", "ATL-A", "Chantier", "Repeindre la grille"),
        ("CH-A-2", "ATL-A", "Chantier", "Réparer la porte"),
        ("ATL-B", None, "Atelier", "Atelier B"),
        ("CH-B-1", "ATL-B", "Chantier", "Ranger le dépôt"),
    ]
    assert draft.nodes[1].fields["code_as_printed"] == "ch-a 1"
    assert draft.nodes[0].fields["owners"] == ["Mme Aster"]
    assert draft.nodes[0].line == 6
    assert draft.levels == ["Atelier", "Chantier"]


def test_the_case_words_are_only_understood_while_the_case_reads():
    engine.parse(doc(), case=Case("atelier_fictif", CASE))
    assert field_for("Meneuse du chantier") is None
    with case_vocabulary(CASE["vocabulary"]):
        assert field_for("Meneuse du chantier") == "owners"
    assert field_for("Meneuse du chantier") is None


def test_features_score_the_document_and_hooks_adapt_it():
    case = Case("atelier_fictif", CASE)
    assert case.score(doc()) == 1.0
    assert case.score(Document.from_text("x.txt", "ATL-A Atelier\nrien d'autre")) == 0.5
    seen = []
    hooks = SimpleNamespace(
        score=lambda d, c: 0.25,
        line=lambda eng, ln, text: text.startswith("ch-b") and not seen.append(ln.number),
        finish=lambda eng: eng.draft.warn("fin du cas"))
    case = Case("atelier_fictif", CASE, hooks)
    assert case.score(doc()) == 0.25
    draft = engine.parse(doc(), case=case)
    assert "CH-B-1" not in draft and seen == [12]
    assert [w.message for w in draft.warnings] == ["fin du cas"]


def test_a_table_of_contents_is_dropped_with_its_wrapped_lines():
    d = Document.from_text("x.txt", "Intro\n1 Un ........ 3\n2 Deux\nsuite ....... 4\n"
                                    "3 Trois ....... 5\n1 Un\ntexte")
    assert [ln.number for ln in drop_toc(d.lines)] == [1, 6, 7]


def test_every_shipped_case_loads():
    for name in case_names():
        assert load_case(name).name == name


def test_running_headers_and_page_numbers_are_dropped_but_codes_kept():
    text = "\n".join(["Plan fictif de la Régie – version 3"] * 5 + ["12", "AB-1 Projet"] * 5
                     + ["Texte du plan"])
    lines = Document.from_text("x.txt", text).lines
    kept = [ln.text for ln in drop_running(lines, keep=lambda t: t.startswith("AB-"))]
    assert kept == ["AB-1 Projet"] * 5 + ["Texte du plan"]


def test_heading_numbers_that_continue_the_open_ones():
    assert follows("6.1", ["6"]) and follows("6.2", ["6", "6.1"]) and follows("7", ["6", "6.1"])
    assert not follows("6.5", ["6", "6.1"]) and not follows("9.1", ["6"])
    assert toc_numbers(["1 Introduction ........ 5", "3.1 Cadre ....... 6", "4 Texte"]) == {
        "1", "3.1"}


def test_a_case_that_cannot_read_its_input_raises_an_ingest_error():
    hooks = SimpleNamespace(finish=lambda eng: 1 / 0)
    parser = CaseParser(Case("atelier_fictif", CASE, hooks))
    with pytest.raises(IngestError, match="atelier_fictif"):
        parser.parse(doc())
    assert CaseParser(Case("x", {}, SimpleNamespace(score=lambda d, c: 1 / 0))).score(doc()) == 0


def test_the_seed_cases_are_layouts_of_the_import():
    from jalon.ingest import all_parsers

    names = {p.NAME for p in all_parsers()}
    assert {"service_codes", "letter_codes", "prose"} <= names
    assert not {"service_codes", "letter_codes", "prose"} & {
        p.__name__.rsplit(".", 1)[-1] for p in all_parsers() if hasattr(p, "__name__")}
