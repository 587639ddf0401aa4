"""The five seed documents: recognised by their layout, and the same tree after a trip through
Jalon's own XLSX and DOCX exports."""

from collections import Counter

import pytest

from jalon.ingest import parse_bytes, parse_path, scores
from jalon.ingest.readers import read_path
from jalon.ingest.writers import draft_to_docx, draft_to_ods, draft_to_xlsx
from samples import SEEDS

EXPECTED_LAYOUT = {
    "000_8a41bf1af2e14d4d.txt": "service_codes",
    "001_c3f13c68925d32f5.txt": "letter_codes",
    "002_38f1d7833928e4f9.txt": "articles",
    "003_cd862c1becbca89e.txt": "sheets",
    "004_04c81f23e8f893f8.txt": "prose",
}


@pytest.fixture(scope="module")
def drafts():
    return {name: parse_path(SEEDS / name) for name in EXPECTED_LAYOUT}


@pytest.mark.parametrize("name", sorted(EXPECTED_LAYOUT))
def test_each_seed_is_recognised_by_its_layout_with_a_clear_margin(name):
    ranked = scores(read_path(SEEDS / name))
    assert ranked[0][1] == EXPECTED_LAYOUT[name]
    assert ranked[0][0] - ranked[1][0] >= 0.5, ranked


def levels(draft):
    return Counter(n.level for n in draft.nodes)


def test_the_seeds_give_the_expected_trees(drafts):
    assert levels(drafts["001_c3f13c68925d32f5.txt"]) == {
        "Objectif stratégique": 4, "Objectif opérationnel": 14, "Action": 54}
    assert levels(drafts["000_8a41bf1af2e14d4d.txt"])["Projet"] == 105
    contract = levels(drafts["002_38f1d7833928e4f9.txt"])
    assert (contract["Partie"], contract["Objectif stratégique"], contract["Chapitre"]) == (4, 6, 20)
    sheets = levels(drafts["003_cd862c1becbca89e.txt"])
    assert sheets["Axe"] == 3 and sheets["Action"] == 47
    assert levels(drafts["004_04c81f23e8f893f8.txt"])["Chapitre"] == 15


def test_every_node_has_a_source_line_and_a_unique_code(drafts):
    for name, draft in drafts.items():
        codes = [n.code for n in draft.nodes]
        assert len(codes) == len(set(codes)), name
        assert all(n.line and n.line >= 1 for n in draft.nodes), name


def tree(draft):
    return [(n.code, n.parent, n.title, n.level, n.depth) for n in draft.nodes]


@pytest.mark.parametrize("fmt, writer", [("xlsx", draft_to_xlsx), ("docx", draft_to_docx),
                                         ("ods", draft_to_ods)])
def test_exported_and_reimported_seeds_give_the_same_tree(drafts, fmt, writer):
    for name, draft in drafts.items():
        again = parse_bytes(f"plan.{fmt}", writer(draft))
        assert tree(again) == tree(draft), (name, fmt)
        for a, b in zip(draft.nodes, again.nodes, strict=True):
            assert {k: v for k, v in b.fields.items() if k != "indicators"} == {
                k: v for k, v in a.fields.items() if k != "indicators"}, (name, fmt, a.code)
