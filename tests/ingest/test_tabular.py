"""The tabular template parser: one row per item under a header row (XLSX, ODS, CSV, DOCX)."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest

from jalon.ingest.errors import IngestError
from jalon.ingest.fields import finalize
from jalon.ingest.parsers import jalon_docx, tabular
from jalon.ingest.readers import read_bytes, read_path
from samples import SEEDS  # noqa: E402  (the packaged copies of shared/seeds)


def xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def parse_bytes(name: str, data: bytes):
    doc = read_bytes(name, data)
    assert tabular.score(doc) >= 0.8
    return tabular.parse(doc)


# A plan of another body, headers typed by a person: mixed case, accents dropped, units added.
HEADER = ["Code", "Parent", "Niveau", "TITRE", "Debut", "Fin", "Echeance", "Départements",
          "Responsables", "Budget (EUR)", "ETP", "Avancement (%)", "Indicateurs", "Risques",
          "Statut"]
ROWS = [
    ["A", None, "Axe", "Une commune plus verte", None, None, None, None, None, None, None, None,
     None, None, None],
    ["A.1", "A", "Objectif", "Réduire l'éclairage public", "01/2025", "12/2027", None,
     "Travaux / Énergie", "M. Peeters", None, None, None,
     "kWh consommés: -30 %; Points lumineux remplacés: 400", None, "en cours"],
    ["A.1.a", "A.1", "Action", "Remplacer les luminaires", None, None, "2026", "Travaux",
     "Mme Lambert / M. Peeters", 125000, 0.5, 40, None, "- retard du fournisseur\n- budget",
     None],
    ["B.9", "Z", "Action", "Orpheline", None, None, None, None, None, None, None, None, None,
     None, None],
    [None, None, None, None, None, None, None, None, None, None, None, None, None, None, None],
    ["A.1", "A", "Objectif", "Doublon", None, None, None, None, None, None, None, None, None,
     None, None],
]
INFO = [["Clé", "Valeur"], ["Titre du plan", "PST de Nulle-Part"],
        ["Organisation", "Commune de Nulle-Part"], ["Période", "2025-2030"],
        ["Niveaux", "Axe / Objectif / Action"], ["Type", "pst"]]


def test_template_workbook_of_another_body():
    draft = parse_bytes("pst.xlsx", xlsx(("Plan", [HEADER, *ROWS]), ("Plan info", INFO)))
    assert draft.layout == "tabular"
    assert (draft.title, draft.organization, draft.kind) == (
        "PST de Nulle-Part", "Commune de Nulle-Part", "pst")
    assert (draft.period_start, draft.period_end) == (2025, 2030)
    assert draft.levels == ["Axe", "Objectif", "Action"]
    by_code = {n.code: n for n in draft.nodes}
    assert set(by_code) == {"A", "A.1", "A.1.a", "B.9", "A.1-2"}
    assert by_code["A.1"].parent == "A" and by_code["A.1.a"].parent == "A.1"
    assert by_code["A.1.a"].depth == 2 and by_code["A.1.a"].level == "Action"
    assert by_code["A.1.a"].line == 4
    assert by_code["B.9"].parent is None  # unknown parent: at the top, with a warning
    assert any("'Z'" in w.message and w.line == 5 for w in draft.warnings)
    assert any("déjà utilisé" in w.message for w in draft.warnings)
    f = by_code["A.1"].fields
    assert f["departments"] == ["Travaux", "Énergie"]
    assert f["start"] == "01/2025" and f["end"] == "12/2027" and f["status"] == "en cours"
    assert [(i["name"], i["target"]) for i in f["indicators"]] == [
        ("kWh consommés", "-30 %"), ("Points lumineux remplacés", "400")]
    a = by_code["A.1.a"].fields
    assert a["budget_eur"] == [125000.0] and a["fte"] == 0.5 and a["progress"] == 40
    assert a["owners"] == ["Mme Lambert", "M. Peeters"]
    assert a["risks"] == ["retard du fournisseur", "budget"]
    assert by_code["A.1.a"].field_lines["budget_eur"] == 4
    finalize(draft)
    assert a["deadline"] == "2026"


def test_dutch_csv_without_parent_column_uses_the_codes():
    text = ("code;titel;begin;einde;diensten;verantwoordelijken;budget;vte;voortgang;"
            "risico's;beschrijving\n"
            "1;Een sociaal OCMW;;;;;;;;;\n"
            "1.1;Betere opvang;2025;2026;Sociale dienst;J. Janssens;12.500 €;1,5;25 %;;Tekst\n"
            "1.1.1;Onthaal hervormen;;;;;;;;vertraging;\n"
            "2;Een groen OCMW;;;;;;;;;\n")
    draft = parse_bytes("plan.csv", text.encode("cp1252"))
    assert [(n.code, n.parent, n.depth) for n in draft.nodes] == [
        ("1", None, 0), ("1.1", "1", 1), ("1.1.1", "1.1", 2), ("2", None, 0)]
    f = draft.get("1.1").fields
    assert f["departments"] == ["Sociale dienst"] and f["owners"] == ["J. Janssens"]
    assert f["budget_eur"] == "12.500 €"  # as printed: finalize() reads it
    finalize(draft)
    assert f["budget_eur"] == [12500.0] and f["fte"] == 1.5 and f["progress"] == 25
    assert draft.get("1.1.1").fields["risks"] == ["vertraging"]


def test_english_headers_numeric_levels_and_no_codes():
    rows = [["Level", "Title", "Owners", "Deadline"],
            [1, "Digital services", "CIO", None],
            [2, "Online forms", "IT", "2026"],
            [3, "Form builder", None, None],
            [2, "E-counter", None, None],
            [1, "People", None, None]]
    doc = read_bytes("plan.xlsx", xlsx(("Sheet1", rows)))
    assert 0.3 < tabular.score(doc) < 0.8  # no code column: recognisable, not certain
    draft = tabular.parse(doc)
    shape = [(n.title, n.depth, n.derived_code) for n in draft.nodes]
    assert shape == [("Digital services", 0, True), ("Online forms", 1, True),
                     ("Form builder", 2, True), ("E-counter", 1, True), ("People", 0, True)]
    assert draft.get(draft.nodes[2].parent).title == "Online forms"


def test_children_listed_before_their_parent_and_cycles():
    rows = [["code", "parent", "titre"],
            ["1.1", "1", "enfant"],
            ["1", "", "parent"],
            ["X", "Y", "boucle x"],
            ["Y", "X", "boucle y"]]
    draft = parse_bytes("p.xlsx", xlsx(("Plan", rows)))
    assert draft.get("1.1").parent == "1"
    assert draft.get("1.1").line == 2
    assert {draft.get("X").parent, draft.get("Y").parent} == {None}
    assert sum("boucle" in w.message for w in draft.warnings) == 2


def test_header_below_title_rows_with_plan_info_above():
    rows = [["Titre du plan", "Plan climat"], ["Organisation", "CPAS de Quelque-Part"], [],
            ["N°", "Intitulé", "Échéances", "Partenaires", "Commentaire"],
            ["1", "Isoler les bâtiments", "2027", "Région / Intercommunale", "priorité"],
            ["", "", "", "", ""],
            ["2", "", "2028", "", ""]]
    draft = parse_bytes("climat.xlsx", xlsx(("Feuil1", rows)))
    assert draft.title == "Plan climat" and draft.organization == "CPAS de Quelque-Part"
    assert [n.code for n in draft.nodes] == ["1", "2"]
    assert draft.get("1").fields["partners"] == ["Région", "Intercommunale"]
    assert draft.get("2").title == "2"
    assert any("titre manquant" in w.message and w.line == 7 for w in draft.warnings)


def test_template_table_inside_a_docx():
    d = docx.Document()
    d.add_paragraph("Plan opérationnel 2026")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("Code", "Titre", "Responsables"), ("OS1", "Accueil", "DG"),
                             ("OS1.1", "Guichet", "Chef de service")]):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    buf = io.BytesIO()
    d.save(buf)
    doc = read_bytes("plan.docx", buf.getvalue())
    assert tabular.score(doc) >= 0.8
    assert jalon_docx.score(doc) == 0
    draft = tabular.parse(doc)
    assert [(n.code, n.parent) for n in draft.nodes] == [("OS1", None), ("OS1.1", "OS1")]


def test_indicator_and_list_conventions():
    assert tabular.parse_indicators("Taux: 80 %; Délai moyen : 5 jours\nSatisfaction") == [
        ("Taux", "80 %"), ("Délai moyen", "5 jours"), ("Satisfaction", None)]
    assert tabular.parse_indicators("Ratio a::b: 1;; 2") == [("Ratio a:b", "1; 2")]
    assert tabular.split_list("DG / DF // adjoint\n• RH") == ["DG", "DF / adjoint", "RH"]
    assert tabular.split_list("Achats/Logistique") == ["Achats/Logistique"]
    assert tabular.join_list(["a / b", "c"]) == "a // b / c"


def test_template_columns_are_exported_and_recognised():
    assert tabular.TEMPLATE_COLUMNS[:4] == ["code", "parent", "niveau", "titre"]
    for header in tabular.TEMPLATE_COLUMNS:
        assert tabular.column_key(header) is not None
    for alias, key in [("Titel", "title"), ("ÉCHÉANCE", "deadline"), ("stuurgroep", "steering"),
                       ("Risico's", "risks"), ("voortgang", "progress"), ("FTE", "fte"),
                       ("financiering", "funding"), ("Verantwoordelijken", "owners"),
                       ("équipe", "team"), ("Beschrijving", "description")]:
        assert tabular.column_key(alias) == key


@pytest.mark.parametrize("header, missing", [
    (["code", "description", "échéance"], "titre"),
    (["code", "titre", "couleur"], "couleur"),
    (["code", "titre", "Titel"], "double"),
])
def test_wrong_header_is_an_error_naming_file_line_and_columns(header, missing):
    doc = read_bytes("plan.csv", (";".join(header) + "\n1;a;b\n2;c;d\n").encode())
    with pytest.raises(IngestError) as info:
        tabular.parse(doc)
    message = str(info.value)
    assert message.startswith("plan.csv:1:") and missing in message
    assert ", ".join(header) in message


def test_document_without_a_table_is_an_error():
    with pytest.raises(IngestError, match="en-tête"):
        tabular.parse(read_bytes("note.txt", b"Axe 1\nAxe 2\n"))


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_score_on_the_seeds_is_low_and_below_a_template(seed):
    template = read_bytes("pst.xlsx", xlsx(("Plan", [HEADER, *ROWS])))
    doc = read_path(seed)
    for parser in (tabular, jalon_docx):
        assert parser.score(doc) < 0.2
    assert tabular.score(template) >= 0.8 > tabular.score(doc) + 0.5
