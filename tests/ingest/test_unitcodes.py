"""Item codes that name their unit (jalon.ingest.unitcodes), on small fictitious documents."""

import re

from jalon.ingest import unitcodes
from jalon.ingest.document import Document, Line
from jalon.ingest.draft import PlanDraft
from jalon.ingest.pendingheadings import Headings
from jalon.ingest.pivotrows import Ln

CODE = re.compile(r"^(?P<indent>\s*)(?P<code>(?P<a>[A-Za-z]{1,4})(?:\s?-\s?(?P<b>[A-Za-z]{1,4}))?"
                  r"(?P<sep>\s?-\s?|\s)(?P<n>\d{1,3}))(?=\s|$)(?P<rest>.*)$")
BROKEN = re.compile(r"^\s*(?P<code>[A-Za-z]{1,4}\s?-\s?[A-Za-z]{1,4}\s?-)\s*$")
HEADING = re.compile(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,5})(?P<dot>\.?)\s+(?P<title>\S.*?)\s*$")
LEVELS = ["Pôle", "Cellule", "Chantier"]


def test_a_code_names_its_unit_and_is_normalised():
    found = unitcodes.match(CODE, "ve-p 3 Planter des haies")
    assert found == ("VE-P-3", "ve-p 3", "VE-P", " Planter des haies")
    assert unitcodes.match(CODE, "Ga-1 Curer les fossés").unit == "GA"
    assert unitcodes.match(CODE, "Les 3 étangs") is None  # no hyphen: not a code
    assert unitcodes.match(CODE, "mai-24 1520 1480") is None  # a month among figures


def test_the_score_needs_codes_of_several_units_and_header_words():
    rows = [f"{u}-{n} Chantier {u} {n}" for u in ("VE-P", "VE-B", "GA") for n in (1, 2, 3, 4)]
    words = re.compile(r"(?i)pilote|échéance|partenaires|comité")
    header = "N° Chantier Pilote Partenaires Comité Échéance"
    assert unitcodes.score(Document.from_text("a", "\n".join([header, *rows])), CODE, words) == 1.0
    assert unitcodes.score(Document.from_text("b", "\n".join(rows)), CODE, words) == 0.65
    one_unit = [f"VE-P-{n} Chantier" for n in range(1, 12)]
    assert unitcodes.score(Document.from_text("c", "\n".join(one_unit)), CODE, words) < 0.4
    assert unitcodes.score(Document.from_text("d", ""), CODE, words) == 0.0


def test_a_code_wrapped_before_its_number_is_rejoined():
    lines = [Line(1, "VE - P -"), Line(2, ""), Line(3, "4"), Line(4, "Semer une prairie")]
    out = unitcodes.rejoin_wrapped(lines, BROKEN)
    assert [(ln.number, ln.text) for ln in out] == [(1, "VE-P-4"), (2, ""),
                                                    (4, "Semer une prairie")]
    kept = [Line(1, "VE-P-"), Line(2, "Semer")]
    assert [ln.text for ln in unitcodes.rejoin_wrapped(kept, BROKEN)] == ["VE-P-", "Semer"]


def _listing(texts):
    draft = PlanDraft()
    heads = Headings(texts, HEADING)
    units = unitcodes.Units(draft, LEVELS, lambda h: heads.node_of(draft, h))
    rows = unitcodes.CodedRows(draft, CODE, texts, units, LEVELS[2],
                               [["owners", "pilote"], ["timing", "echeance"],
                                ["code", "^n[°o]"], ["title", "chantier"]],
                               ["code", "title", "timing", "owners"])
    for n, text in enumerate(texts, start=1):
        ln = Ln(n, text)
        if heads.read(ln):
            rows.close()
        elif not rows.code_line(ln, heads.current) and rows.row is not None:
            rows.row.body.append(ln)
    return draft, rows


def test_items_without_a_heading_get_the_units_their_code_implies():
    draft, rows = _listing(["VE-P-1 Planter des haies", "ve-p 2 Tailler les saules",
                            "VE-B-1 Ouvrir un verger", "GA-1 Curer les fossés",
                            "GA-2 Réparer les vannes", "ODD-6 est cité une fois."])
    assert [(n.code, n.parent, n.level) for n in draft.nodes] == [
        ("VE", None, "Pôle"), ("VE-P", "VE", "Cellule"), ("VE-P-1", "VE-P", "Chantier"),
        ("VE-P-2", "VE-P", "Chantier"), ("VE-B", "VE", "Cellule"),
        ("VE-B-1", "VE-B", "Chantier"), ("GA", None, "Pôle"), ("GA-1", "GA", "Chantier"),
        ("GA-2", "GA", "Chantier")]
    assert draft.get("VE-P-2").fields["code_as_printed"] == "ve-p 2"
    assert {w.code for w in draft.warnings} == {"VE", "VE-P", "VE-B", "GA"}
    assert [r.body[0].raw for r, _ in rows.rows][:2] == [" Planter des haies",
                                                          " Tailler les saules"]


def test_items_go_under_the_heading_they_are_listed_under():
    draft, _ = _listing(["2 Les chantiers", "2.1 Le pôle Verdure", "2.1.1 La cellule Parcs",
                         "VE-P-1 Planter des haies", "2.1.2 La cellule Bois",
                         "VE-B-1 Ouvrir un verger", "VE-X-1 Ranger l'atelier",
                         "VE-P-2 Tailler les saules"])
    assert draft.get("VE-P-1").parent == "2.1.1"
    assert draft.get("VE-B-1").parent == "2.1.2"
    # another unit's code under a heading already holding one: a node made for it, beside
    assert draft.get("VE-X-1").parent == "VE-X" and draft.get("VE-X").parent == "2.1"
    # a unit that has its heading elsewhere: the item stays where it is listed, with a warning
    assert draft.get("VE-P-2").parent == "2.1.2"
    assert any(w.code == "VE-P-2" for w in draft.warnings)
    assert "2.2" not in draft and [n.code for n in draft.nodes][:3] == ["2", "2.1", "2.1.1"]


def test_rows_of_cells_follow_their_header_and_merged_cells():
    draft = PlanDraft()
    units = unitcodes.Units(draft, LEVELS, lambda h: None)
    rows = unitcodes.CodedRows(draft, CODE, [], units, "Chantier",
                               [["owners", "pilote"], ["timing", "echeance"],
                                ["code", "^n[°o]"], ["title", "chantier"]], ["code", "title"])
    rows.cells(Ln(1, ""), ("N°", "Chantier", "Échéance", "Pilote"), None)
    assert rows.columns == ("code", "title", "timing", "owners") and rows.in_header
    rows.cells(Ln(2, ""), ("GA-1", "Curer les fossés", "2026", "Mme Lin"), None)
    rows.cells(Ln(3, ""), ("", "", "", "M. Oost"), None)
    rows.cells(Ln(4, ""), ("ga-2 Vannes", "", "2027", ""), None)
    (first, node), (second, _) = rows.rows
    assert first.cells == {"title": "Curer les fossés", "timing": "2026",
                           "owners": "Mme Lin\nM. Oost"}
    assert second.cells == {"title": "Vannes", "timing": "2027"} and second.code == "GA-2"
    assert node.parent == "GA" and draft.get("GA").level == "Pôle"
