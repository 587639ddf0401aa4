"""The structure engine on plans it has never seen (fictitious bodies): numbering of any scheme,
heading styles, tables under headings, label/value sheets, hierarchy from columns."""

import io

import docx
import openpyxl
import pytest

from jalon.ingest import parse_bytes
from jalon.ingest.errors import IngestError
from jalon.ingest.numbering import parse_number


@pytest.mark.parametrize("printed, kind, code, parts, title, level", [
    ("1.2.3 Installer des ruches", ("num", 3), "1.2.3", ("1", "2", "3"), "Installer des ruches",
     ""),
    ("2) Former les guides", ("num", 1), "2", ("2",), "Former les guides", ""),
    ("IV. Finances", ("roman",), "IV", ("IV",), "Finances", ""),
    ("b) Rénover le hall", ("lower",), "b", ("b",), "Rénover le hall", ""),
    ("C1.1 : Accueillir", ("alnum", "C", "3"), "C1.1", ("C", "1", "1"), "Accueillir", ""),
    ("OO 2.3 Réduire les délais", ("level", "Objectif opérationnel"), "OO2.3", ("2", "3"),
     "Réduire les délais", "Objectif opérationnel"),
    ("Objectif stratégique 2 : Une commune verte", ("level", "Objectif stratégique"), "2",
     ("2",), "Une commune verte", "Objectif stratégique"),
    ("Action 1.2.3 – Planter 500 arbres", ("level", "Action"), "1.2.3", ("1", "2", "3"),
     "Planter 500 arbres", "Action"),
    ("Art. 8.1.6 Délais de paiement", ("level", "Article"), "8.1.6", ("8", "1", "6"),
     "Délais de paiement", "Article"),
    ("AC1.1.1 Aanleggen van fietspaden", ("level", "Action"), "AC1.1.1", ("1", "1", "1"),
     "Aanleggen van fietspaden", "Action"),
    ("DS-S-2 — Guichet unique", ("dashed", "3"), "DS-S-2", ("DS", "S", "2"), "Guichet unique",
     ""),
])
def test_numbers_of_any_scheme(printed, kind, code, parts, title, level):
    n = parse_number(printed)
    assert (n.kind, n.code, n.parts, n.title, n.level) == (kind, code, parts, title, level)


@pytest.mark.parametrize("text", ["3 phases sont prévues", "2026 sera une année charnière",
                                  "12 500 € de budget", "Le plan comprend trois axes."])
def test_text_that_is_not_a_number(text):
    assert parse_number(text) is None


def test_prefixed_headings_give_levels_and_label_lines_give_fields():
    text = """Plan stratégique 2026-2030 de la Commune de Ronval

Objectif stratégique 1 : Une commune propre
Objectif opérationnel 1.1 – Réduire les dépôts sauvages
Action 1.1.1 – Installer des caméras mobiles
Pilote : Mme Julie Masson
Échéance : T3 2027
Budget : 45.000 €
Action 1.1.2 – Sensibiliser les écoles
Porteur : M. Marc Hendrickx
Objectif stratégique 2 : Une administration proche
Objectif opérationnel 2.1 – Ouvrir le samedi
Action 2.1.1 – Ouvrir le guichet population le samedi matin
Indicateur : Usagers reçus le samedi
Cible : 150 par mois
"""
    draft = parse_bytes("plan.txt", text.encode())
    assert draft.title == "Plan stratégique 2026-2030 de la Commune de Ronval"
    tree = [(n.code, n.parent, n.level) for n in draft.nodes]
    assert tree == [("1", None, "Objectif stratégique"), ("1.1", "1", "Objectif opérationnel"),
                    ("1.1.1", "1.1", "Action"), ("1.1.2", "1.1", "Action"),
                    ("2", None, "Objectif stratégique"), ("2.1", "2", "Objectif opérationnel"),
                    ("2.1.1", "2.1", "Action")]
    assert draft.levels == ["Objectif stratégique", "Objectif opérationnel", "Action"]
    action = draft.get("1.1.1")
    assert action.fields["owners"] == ["Mme Julie Masson"]
    assert action.fields["deadline"] == "T3 2027"
    assert action.fields["budget_eur"] == [45000.0]
    assert draft.get("2.1.1").fields["indicators"][0]["target"] == "150 par mois"


def test_codes_restarting_under_each_parent_are_qualified_and_printed_form_kept():
    text = """Axe 1 : Mobilité
1. Créer des pistes cyclables
2. Réduire la vitesse
Axe 2 : Logement
1. Rénover les logements sociaux
2. Créer une agence immobilière sociale
"""
    draft = parse_bytes("axes.txt", text.encode())
    assert [(n.code, n.parent) for n in draft.nodes] == [
        ("1", None), ("1.1", "1"), ("1.2", "1"), ("2", None), ("2.1", "2"), ("2.2", "2")]
    assert draft.get("2.1").fields["code_as_printed"] == "1"


def _docx_bytes(build):
    d = docx.Document()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_word_plan_whose_only_structure_is_its_heading_styles():
    def build(d):
        d.add_paragraph("Plan de cohésion sociale 2026-2031", style="Title")
        d.add_paragraph("Favoriser l'insertion", style="Heading 1")
        d.add_paragraph("Accompagner les jeunes", style="Heading 2")
        d.add_paragraph("Organiser une bourse aux jobs", style="Heading 3")
        d.add_paragraph("Référent : Mme Nora El Idrissi")
        d.add_paragraph("Ouvrir un espace numérique", style="Heading 3")
        d.add_paragraph("Date de fin : 30/06/2027")
        d.add_paragraph("Soutenir les familles", style="Heading 1")
        d.add_paragraph("Créer une ludothèque", style="Heading 2")

    draft = parse_bytes("pcs.docx", _docx_bytes(build))
    assert draft.title == "Plan de cohésion sociale 2026-2031"
    depth = {n.title: n.depth for n in draft.nodes}
    assert depth == {"Favoriser l'insertion": 0, "Accompagner les jeunes": 1,
                     "Organiser une bourse aux jobs": 2, "Ouvrir un espace numérique": 2,
                     "Soutenir les familles": 0, "Créer une ludothèque": 1}
    espace = next(n for n in draft.nodes if n.title == "Ouvrir un espace numérique")
    assert espace.fields["end"] == "30/06/2027"
    assert draft.structure.startswith("headings")


def test_word_plan_with_a_table_per_section_and_label_value_sheets():
    def build(d):
        d.add_paragraph("Objectif stratégique 1 : Une ville verte", style="Heading 1")
        table = d.add_table(rows=3, cols=4)
        for r, row in enumerate([("Action", "Pilote", "Échéance", "Couleur"),
                                 ("Planter des arbres", "M. Paul Otte", "2027", "vert"),
                                 ("Créer un potager", "Mme Lina Roos", "T2 2026", "brun")]):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        d.add_paragraph("Objectif stratégique 2 : Une ville sûre", style="Heading 1")
        sheet = d.add_table(rows=4, cols=2)
        for r, (label, value) in enumerate([("Intitulé", "Éclairer les passages piétons"),
                                            ("Référence", "2.1"),
                                            ("Responsable", "M. Yves Piron"),
                                            ("Budget", "80.000 €")]):
            sheet.cell(r, 0).text, sheet.cell(r, 1).text = label, value

    draft = parse_bytes("ville.docx", _docx_bytes(build))
    titles = {n.title: n for n in draft.nodes}
    arbres = titles["Planter des arbres"]
    assert draft.get(arbres.parent).title == "Une ville verte"
    assert arbres.fields["owners"] == ["M. Paul Otte"] and arbres.fields["extra"] == {
        "Couleur": "vert"}
    assert titles["Créer un potager"].level == "Action"
    passages = titles["Éclairer les passages piétons"]
    assert draft.get(passages.parent).title == "Une ville sûre"
    assert passages.fields["budget_eur"] == [80000.0]
    assert passages.fields["owners"] == ["M. Yves Piron"]


def _xlsx(rows, merge=(), outline=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for rng in merge:
        ws.merge_cells(rng)
    for r, level in (outline or {}).items():
        ws.row_dimensions[r].outline_level = level
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_repeated_ancestor_columns_with_merged_cells_one_row_per_leaf():
    rows = [["Strategische doelstelling", "Operationele doelstelling", "Actie", "Trekker"],
            ["Een veilige gemeente", "Veilig naar school", "Schoolstraten invoeren", "An Peeters"],
            [None, None, "Fietspaden markeren", "Bert Smets"],
            [None, "Minder inbraken", "Buurtinformatienetwerk starten", "Cis Wouters"],
            ["Een zorgzame gemeente", "Eenzaamheid bestrijden", "Buddywerking", "Dirk Maes"]]
    draft = parse_bytes("beleid.xlsx", _xlsx(rows, merge=["A2:A4", "B2:B3"]))
    parent = {n.title: (draft.get(n.parent).title if n.parent else None) for n in draft.nodes}
    assert parent == {"Een veilige gemeente": None, "Veilig naar school": "Een veilige gemeente",
                      "Schoolstraten invoeren": "Veilig naar school",
                      "Fietspaden markeren": "Veilig naar school",
                      "Minder inbraken": "Een veilige gemeente",
                      "Buurtinformatienetwerk starten": "Minder inbraken",
                      "Een zorgzame gemeente": None,
                      "Eenzaamheid bestrijden": "Een zorgzame gemeente",
                      "Buddywerking": "Eenzaamheid bestrijden"}
    assert draft.levels == ["Strategische doelstelling", "Operationele doelstelling", "Actie"]
    assert draft.structure == "table: repeated columns"


def test_named_level_column_and_outline_levels():
    named = [["Niveau", "Intitulé", "Référent"],
             ["Objectif", "Moderniser l'administration", ""],
             ["Action", "Dématérialiser les factures", "M. Eric Lenoir"],
             ["Action", "Former aux outils", "Mme Ana Silva"],
             ["Objectif", "Attirer les talents", ""],
             ["Action", "Revoir les barèmes", "M. Eric Lenoir"]]
    draft = parse_bytes("zone.xlsx", _xlsx(named))
    assert [n.depth for n in draft.nodes] == [0, 1, 1, 0, 1]
    assert draft.nodes[1].level == "Action"

    outlined = [["Intitulé", "Responsable"], ["Sport pour tous", "Service sports"],
                ["Rénover le hall omnisports", "M. Luc Dewit"],
                ["Remplacer l'éclairage", "M. Luc Dewit"], ["Culture", "Service culture"],
                ["Ouvrir une artothèque", "Mme Iris Moens"]]
    draft = parse_bytes("sport.xlsx", _xlsx(outlined, outline={3: 1, 4: 2, 6: 1}))
    assert [n.depth for n in draft.nodes] == [0, 1, 2, 0, 1]


def test_parent_column_giving_the_parents_title():
    rows = [["Titel", "Hoort bij", "Verantwoordelijke"],
            ["Uitbreiden van de kinderopvang", "Een kindvriendelijke gemeente", "Els Claes"],
            ["Een kindvriendelijke gemeente", "", ""],
            ["Speelpleinen vernieuwen", "Een kindvriendelijke gemeente", "Wim Jacobs"]]
    draft = parse_bytes("ouders.xlsx", _xlsx(rows))
    top = next(n for n in draft.nodes if n.title == "Een kindvriendelijke gemeente")
    assert {n.title for n in draft.nodes if n.parent == top.code} == {
        "Uitbreiden van de kinderopvang", "Speelpleinen vernieuwen"}


def test_a_document_with_nothing_plan_like_is_still_refused():
    from django.utils import translation

    with translation.override("fr"), pytest.raises(
            IngestError, match="aucune structure de plan reconnue"):
        parse_bytes("courrier.txt", b"Bonjour,\nmerci pour votre lettre.\nCordialement\n"
)


def test_an_unknown_column_beside_the_template_columns_does_not_reject_the_file():
    draft = parse_bytes("plan.csv", b"code;titre;couleur\n1;Axe vert;vert\n1.1;Haies;brun\n")
    assert [n.fields["extra"]["couleur"] for n in draft.nodes] == ["vert", "brun"]
    assert draft.get("1.1").parent == "1"
