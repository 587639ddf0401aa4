"""Labelled action sheets with hierarchical numeric codes, read by the engine's sheet reader
(``sheets``, with the words of vocabulary.json)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalon.ingest import sheets
from jalon.ingest.document import Document, Line
from jalon.ingest.draft import PlanDraft
from jalon.ingest.errors import IngestError
from samples import SEEDS, needs_seeds

action_sheets = sheets  # the engine's sheet reader, a layout of its own

SEED = SEEDS / "003_cd862c1becbca89e.txt"
OTHER_SEEDS = ("000_8a41bf1af2e14d4d.txt", "001_c3f13c68925d32f5.txt",
               "002_38f1d7833928e4f9.txt", "004_04c81f23e8f893f8.txt")



def doc_of(text: str, name: str = "plan.txt") -> Document:
    return Document.from_text(name, text)


def parse_text(text: str) -> PlanDraft:
    return action_sheets.parse(doc_of(text)).finish()


def finalized(draft: PlanDraft) -> PlanDraft:
    fields = pytest.importorskip("jalon.ingest.fields")
    return fields.finalize(draft)


@pytest.fixture(scope="module")
def seed() -> PlanDraft:
    if not SEED.exists():
        pytest.skip("shared/seeds not beside the repo")
    return action_sheets.parse(doc_of(SEED.read_text(encoding="utf-8"), SEED.name)).finish()


def by_code(draft: PlanDraft) -> dict:
    return {n.code: n for n in draft.nodes}


# ---------------------------------------------------------------------------------------------
# The seed (CPAS PST with action sheets)
# ---------------------------------------------------------------------------------------------


def test_seed_tree_has_three_axes_their_objectives_projects_and_47_sheets(seed):
    counts = seed.counts_per_level()
    assert counts["Axe"] == 3
    assert counts["Action"] == 47
    assert counts["Objectif stratégique"] == 9
    assert counts["Objectif opérationnel"] >= 22
    assert counts["Projet"] >= 24
    nodes = by_code(seed)
    assert [n.title for n in seed.nodes if n.depth == 0] == [
        "LE SERVICE À LA POPULATION", "LES RESSOURCES HUMAINES", "L’ORGANISATION DU CPAS"]
    # a wrapped objective title is joined
    assert nodes["1.1.2"].title.endswith("par un accompagnement social adapté")
    assert nodes["1.1.2"].parent == "1.1"


def test_seed_action_codes_give_their_ancestors(seed):
    nodes = by_code(seed)
    sheet = nodes["1.1.2.2.1"]
    assert sheet.parent == "1.1.2.2" and sheet.level == "Action"
    project = nodes["1.1.2.2"]
    assert project.derived_code and project.title == "Actions de services d’insertion sociale"
    assert project.parent == "1.1.2" and project.level == "Projet"
    # a sheet coded one level shorter hangs right under its objective
    assert nodes["1.1.4.1"].parent == "1.1.4" and nodes["1.1.4.1"].level == "Action"
    assert nodes["3.2.1.1"].parent == "3.2.1"


def test_seed_missing_ancestor_is_created_with_a_warning(seed):
    nodes = by_code(seed)
    assert nodes["1.3.1"].derived_code and nodes["1.3.1"].parent == "1.3"
    assert nodes["1.3.1.1"].title == "Intra CPAS"
    assert any(w.code == "1.3.1" and "absent" in w.message for w in seed.warnings)


def test_seed_project_heading_without_sheet_gets_a_derived_code(seed):
    nodes = by_code(seed)
    lone = nodes["2.2.1.2"]
    assert lone.title.startswith("Réaliser des investissements")
    assert lone.derived_code and lone.line == 2877
    assert any(w.code == "2.2.1.2" for w in seed.warnings)


def test_seed_introduction_makes_no_node(seed):
    assert min(n.line for n in seed.nodes) == 109
    assert not any("Que voulons-nous" in n.title or "Utilisation stratégique" in n.title
                   for n in seed.nodes)


def test_seed_codes_are_unique_and_every_node_has_its_line(seed):
    codes = [n.code for n in seed.nodes]
    assert len(codes) == len(set(codes))
    assert all(isinstance(n.line, int) and n.line > 0 for n in seed.nodes)
    assert all(n.parent is None or n.parent in set(codes) for n in seed.nodes)


def test_seed_plan_metadata(seed):
    assert seed.title == "PLAN STRATÉGIQUE TRANSVERSAL 2019-2024"
    assert seed.organization == "CPAS de Binche"
    assert (seed.period_start, seed.period_end) == (2019, 2024)
    assert seed.kind == "pst"
    assert seed.levels == ["Axe", "Objectif stratégique", "Objectif opérationnel", "Projet",
                           "Action"]


def test_seed_sheet_fields_as_printed(seed):
    f = by_code(seed)["1.1.1.1.1"].fields
    assert f["start"] == "2019" and f["end"] == "2024"
    assert f["departments"] == "SERVICE JURIDIQUE/ INFORMATIQUE"
    assert f["owners"] == "PHILIPPART GAVIN"
    assert f["team"].startswith("Gavin Philippart/ France Catalano")
    assert f["mandataire"] == "Conseil de l’Action Sociale"
    assert f["partners"] == "J2P/Eonix"
    assert f["risks"].count("•") == 3
    assert f["deliverables"].startswith("Nouveaux centraux téléphoniques")
    assert f["context"].startswith("La technologie du C.P.A.S.")
    assert "Prendre contact avec la société consultante" in f["description"]
    assert f["fte"].startswith("1 (en phase de conception")
    assert "Budget en cours de" in f["budget_eur"]
    assert f["progress"] == "10 %"


def test_seed_field_lines_point_at_the_labels(seed):
    node = by_code(seed)["1.1.1.1.1"]
    assert node.line == 119
    assert node.field_lines["start"] == 124
    assert node.field_lines["owners"] == 189  # "CHEF DE" / "PROJET"
    assert node.field_lines["comment"] if "comment" in node.fields else True
    assert node.field_lines["progress"] == 224


def test_seed_split_labels_and_label_sharing_the_line(seed):
    nodes = by_code(seed)
    # "COMMEN-" / "" / "TAIRE(S)" then the value
    assert nodes["1.1.2.2.1"].fields["comment"].startswith("2020 - 2021 : Subsidiation")
    # "NÉCESSAIRES Humaines (ETP) : 4 personnes" (tail and value on one line)
    assert nodes["2.3.1.1.2"].fields["fte"] == "4 personnes"
    # "DÉPARTEMENT" / "/SERVICE" / value
    assert nodes["1.1.2.3.1"].fields["departments"] == "SAFA"
    # "CONTEXTE Transition écologique"
    assert nodes["3.2.4.1.1"].fields["context"] == "Transition écologique"
    # "T.AVANCEMENT +/- 35 % des profils établis"
    assert nodes["2.1.2.1.1"].fields["progress"] == "+/- 35 % des profils établis"


def test_seed_resources_split_into_fte_and_budget(seed):
    f = by_code(seed)["1.2.1.3.2"].fields  # "Humaine (ETP) : 0,5 et Budgétaires (€) : 120.000€"
    assert f["fte"] == "0,5"
    assert f["budget_eur"].startswith("120.000€")


def test_seed_objective_kept_only_when_it_differs_from_the_tree(seed):
    nodes = by_code(seed)
    # the printed OO repeats objective 1.2's title: not kept; the OS differs: kept
    obj = nodes["1.2.1.1.1"].fields["objective"]
    assert "Objectif opérationnel" not in obj
    assert obj == "Objectif stratégique : Améliorer le service à la population."
    assert "Objectif opérationnel : Adapter qualitativement" in nodes["1.1.2.1.1"].fields[
        "objective"]


def test_seed_page_numbers_are_not_values(seed):
    f = by_code(seed)["1.1.1.1.1"].fields
    assert "5" not in f["mandataire"].split()


def test_seed_finalized_values(seed):
    draft = action_sheets.parse(doc_of(SEED.read_text(encoding="utf-8"), SEED.name))
    draft = finalized(draft)
    nodes = by_code(draft)
    f = nodes["1.1.1.1.1"].fields
    assert f["progress"] == 10 and f["fte"] == 1.0
    assert f["team"][:2] == ["Gavin Philippart", "France Catalano"]
    assert len(f["risks"]) == 3
    assert nodes["1.1.3.1.1"].fields["budget_eur"] == [30000000.0]
    assert nodes["1.2.1.3.2"].fields["fte"] == 0.5
    assert nodes["1.2.1.1.1"].fields["budget_eur"] == [7500.0, 6400.0]
    assert draft.to_dict()["plan"]["organization"] == "CPAS de Binche"


# ---------------------------------------------------------------------------------------------
# Score: this layout's features, not the other seeds'
# ---------------------------------------------------------------------------------------------


@needs_seeds
def test_score_is_clearly_higher_on_the_action_sheet_seed():
    mine = action_sheets.score(doc_of(SEED.read_text(encoding="utf-8")))
    assert mine >= 0.8
    for name in OTHER_SEEDS:
        path = SEEDS / name
        other = action_sheets.score(doc_of(path.read_text(encoding="utf-8"), name))
        assert other <= 0.2, name
        assert mine - other >= 0.6, name


def test_score_does_not_depend_on_the_file_name():
    text = SYNTHETIC
    assert action_sheets.score(doc_of(text, "a.txt")) == action_sheets.score(
        doc_of(text, "003_cd862c1becbca89e.txt"))
    assert action_sheets.score(doc_of(text)) >= 0.6


# ---------------------------------------------------------------------------------------------
# Another body's plan in the same layout: different names, numbers, label spacing
# ---------------------------------------------------------------------------------------------

SYNTHETIC = """\
PROGRAMME STRATÉGIQUE TRANSVERSAL
2025 - 2030

Sommaire
1. Une commune solidaire ........ 3
2. Une administration efficace ........ 9

Le CPAS de Florenville présente ici ses fiches. Le CPAS de Florenville les évalue chaque année.

AXE 1 : UNE COMMUNE SOLIDAIRE

1.1 Renforcer l'aide aux familles

1.1.1 Accompagner les jeunes parents

Soutien à la parentalité

TITRE : 1.1.1.1.1 → Créer un espace parents-enfants
Début : 01/2025
Fin : 12/2026
Département : Service social / Petite enfance
Objectif stratégique : Une commune solidaire
Objectif opérationnel : Accompagner les jeunes parents
Description de l'action :
- Trouver un local
- Engager une animatrice
Risques : Manque de fréquentation
Chef de projet : Marie Dupont
Équipe projet : Paul Martin / Anne Leroy
Mandataire : Président du CPAS
Partenaires : ONE
Livrables attendus : Un espace ouvert deux demi-journées par semaine
Ressources nécessaires :
Humaines (ETP) : 0,5
Budgétaires (€) : 15.000 €
Commentaires : Subside à demander
T. avancement : 20 %

Ateliers de cuisine

TITRE : 1.1.1.2.1 → Organiser des ateliers de cuisine
Début : 2025
Fin : 2027
Chef de projet : Luc Simon
T. avancement : 0 %

1.1.2 Lutter contre l'isolement des aînés

TITRE 1.1.2.1 → Visites à domicile des aînés isolés
DÉBUT 2026 FIN 2028
CHEF DE PROJET Julie Masson
RISQUE(S) • Bénévoles trop peu nombreux
• Refus des aînés
T.AVANCEMENT 5 %

AXE 2 : UNE ADMINISTRATION EFFICACE

2.1 Moderniser les outils

2.1.1 Numériser les processus


TITRE


2.1.1.1 → Dématérialiser les factures
entrantes du CPAS.

DÉBUT

2026

FIN

2027

CHEF DE

PROJET

Directeur financier

EQUIPE PROJET Service recette

7

COMMEN-

TAIRE(S)

Logiciel déjà choisi.

2.2 Former le personnel

Plan de formation

TITRE 2.2.1.1.1 → Établir un plan de formation annuel
DÉBUT 2025
FIN 2030
"""


def test_synthetic_tree():
    draft = parse_text(SYNTHETIC)
    nodes = by_code(draft)
    assert [n.code for n in draft.nodes if n.depth == 0] == ["1", "2"]
    assert nodes["1"].title == "UNE COMMUNE SOLIDAIRE"
    assert nodes["1.1.1.1"].title == "Soutien à la parentalité" and nodes["1.1.1.1"].derived_code
    # after a closing T. avancement, an unindented line is the next project's heading
    assert nodes["1.1.1.2"].title == "Ateliers de cuisine"
    assert nodes["1.1.1.2.1"].parent == "1.1.1.2"
    # four-part codes hang under their objective
    assert nodes["1.1.2.1"].parent == "1.1.2" and nodes["1.1.2.1"].level == "Action"
    assert nodes["2.1.1.1"].parent == "2.1.1" and nodes["2.1.1.1"].level == "Action"
    assert draft.counts_per_level()["Action"] == 5


def test_synthetic_table_of_contents_and_introduction_make_no_node():
    draft = parse_text(SYNTHETIC)
    assert min(n.line for n in draft.nodes) == SYNTHETIC.splitlines().index(
        "AXE 1 : UNE COMMUNE SOLIDAIRE") + 1
    assert draft.title == "PROGRAMME STRATÉGIQUE TRANSVERSAL 2025 - 2030"
    assert draft.organization == "CPAS de Florenville"
    assert (draft.period_start, draft.period_end) == (2025, 2030)


def test_synthetic_labels_with_colons_sharing_the_line():
    f = by_code(parse_text(SYNTHETIC))["1.1.1.1.1"].fields
    assert f["start"] == "01/2025" and f["end"] == "12/2026"
    assert f["departments"] == "Service social / Petite enfance"
    assert f["description"] == "- Trouver un local\n- Engager une animatrice"
    assert f["risks"] == "Manque de fréquentation"
    assert f["owners"] == "Marie Dupont"
    assert f["team"] == "Paul Martin / Anne Leroy"
    assert f["mandataire"] == "Président du CPAS"
    assert f["partners"] == "ONE"
    assert f["deliverables"].startswith("Un espace ouvert")
    assert f["fte"] == "0,5" and f["budget_eur"] == "15.000 €"
    assert f["comment"] == "Subside à demander"
    assert f["progress"] == "20 %"
    assert "objective" not in f  # both repeat titles of the tree


def test_synthetic_capital_labels_alone_on_their_lines_with_blank_lines():
    node = by_code(parse_text(SYNTHETIC))["2.1.1.1"]
    assert node.title == "Dématérialiser les factures entrantes du CPAS."
    f = node.fields
    assert f["start"] == "2026" and f["end"] == "2027"
    assert f["owners"] == "Directeur financier"
    assert f["team"] == "Service recette"  # the page number "7" is skipped
    assert f["comment"] == "Logiciel déjà choisi."


def test_synthetic_label_and_bullets_on_one_line():
    f = by_code(parse_text(SYNTHETIC))["1.1.2.1"].fields
    assert f["start"] == "2026" and f["end"] == "2028"  # "DÉBUT 2026 FIN 2028"
    assert f["owners"] == "Julie Masson"
    assert f["risks"] == "• Bénévoles trop peu nombreux\n• Refus des aînés"
    assert f["progress"] == "5 %"


def test_synthetic_missing_ancestor_and_unnumbered_heading():
    draft = parse_text(SYNTHETIC)
    nodes = by_code(draft)
    assert nodes["2.2.1.1"].title == "Plan de formation" and nodes["2.2.1.1"].derived_code
    assert nodes["2.2.1"].derived_code and nodes["2.2.1"].parent == "2.2"
    assert nodes["2.2.1.1.1"].parent == "2.2.1.1"
    assert any(w.code == "2.2.1" for w in draft.warnings)


def test_synthetic_finalized():
    draft = finalized(action_sheets.parse(doc_of(SYNTHETIC)))
    f = by_code(draft)["1.1.1.1.1"].fields
    assert f["progress"] == 20 and f["fte"] == 0.5 and f["budget_eur"] == [15000.0]
    assert f["team"] == ["Paul Martin", "Anne Leroy"]
    assert f["departments"] == ["Service social", "Petite enfance"]
    assert f["description"] == "- Trouver un local - Engager une animatrice"


def test_objective_differing_from_the_tree_is_kept():
    text = SYNTHETIC.replace("Objectif opérationnel : Accompagner les jeunes parents",
                             "Objectif opérationnel : Soutenir les familles monoparentales")
    f = by_code(parse_text(text))["1.1.1.1.1"].fields
    assert f["objective"] == "Objectif opérationnel : Soutenir les familles monoparentales"


def test_summary_without_dot_leaders_is_discarded():
    text = "1. Solidarité\n2. Efficacité\n\n" + SYNTHETIC.split("\n\n", 3)[3]
    draft = parse_text(text)
    assert [n.code for n in draft.nodes if n.depth == 0] == ["1", "2"]
    assert by_code(draft)["1"].title == "UNE COMMUNE SOLIDAIRE"
    assert any("recommence" in w.message for w in draft.warnings)


def test_level_names_are_read_from_the_headings():
    text = """\
Priorité 1 : Une ville propre

Objectif 1.1 : Réduire les déchets

1.1.1 Trier mieux

TITRE 1.1.1.1.1 → Installer des bulles enterrées
DÉBUT 2025
FIN 2026
"""
    draft = parse_text(text)
    assert draft.levels[:2] == ["Priorité", "Objectif"]
    assert by_code(draft)["1"].level == "Priorité"
    assert by_code(draft)["1.1.1.1"].derived_code  # no heading: created with a warning
    assert any(w.code == "1.1.1.1" for w in draft.warnings)


def test_sheet_without_code_gets_a_derived_code_and_a_warning():
    text = "1. Axe\n\n1.1. Objectif\n\nTITRE Une action sans numéro\nDÉBUT 2025\n"
    draft = parse_text(text)
    node = draft.nodes[-1]
    assert node.title == "Une action sans numéro" and node.parent == "1.1"
    assert node.derived_code and node.fields["start"] == "2025"
    assert any("sans code" in w.message for w in draft.warnings)


def test_duplicate_sheet_code_is_renamed_with_a_warning():
    text = "1. Axe\n1.1. Obj\nTITRE 1.1.1 → A\nDÉBUT 2025\nTITRE 1.1.1 → B\nDÉBUT 2026\n"
    draft = parse_text(text)
    codes = [n.code for n in draft.nodes]
    assert len(codes) == len(set(codes)) and len(codes) == 4
    assert any("déjà utilisé" in w.message for w in draft.warnings)


def test_numbered_list_inside_a_sheet_is_not_a_heading():
    text = """\
1. AXE UN
1.1. Objectif
1.1.1. Sous-objectif
TITRE 1.1.1.1.1 → Action
DESCRIPTION
1. Faire ceci
2. Réaliser cela
3. Évaluer
DÉBUT 2025
"""
    draft = parse_text(text)
    assert [n.code for n in draft.nodes] == ["1", "1.1", "1.1.1", "1.1.1.1", "1.1.1.1.1"]
    sheet = by_code(draft)["1.1.1.1.1"]
    assert sheet.fields["description"] == "1. Faire ceci 2. Réaliser cela 3. Évaluer"
    assert sheet.fields["start"] == "2025"


def test_heading_confirmed_by_the_next_sheet_even_when_numbering_skips():
    text = """\
1. AXE UN
1.1. Objectif
TITRE 1.1.1 → Action A
DÉBUT 2025
1.3. Objectif sauté
TITRE 1.3.1 → Action B
DÉBUT 2026
"""
    nodes = by_code(parse_text(text))
    assert nodes["1.3"].title == "Objectif sauté" and not nodes["1.3"].derived_code
    assert nodes["1.3.1"].parent == "1.3"
    assert nodes["1.1.1"].fields["start"] == "2025"


def test_table_rows_read_cell_by_cell():
    rows = [("1. AXE UN",), ("1.1. Objectif",), ("TITRE", "1.1.1 → Action en tableau"),
            ("DÉBUT", "2025", "FIN", "2027"), ("CHEF DE PROJET", "Ann Peeters")]
    lines = [Line(i, " | ".join(r), cells=r if len(r) > 1 else None)
             for i, r in enumerate(rows, start=1)]
    draft = action_sheets.parse(Document("plan.docx", lines, "docx")).finish()
    node = by_code(draft)["1.1.1"]
    assert node.title == "Action en tableau" and node.line == 3
    assert node.fields["start"] == "2025" and node.fields["end"] == "2027"
    assert node.fields["owners"] == "Ann Peeters" and node.field_lines["owners"] == 5


def test_sheets_without_code_stay_with_their_project():
    text = """\
1. AXE UN
1.1. Objectif
Projet sans numéro
TITRE Première action
DÉBUT 2025
TITRE Seconde action
DÉBUT 2026
"""
    draft = parse_text(text)
    project = next(n for n in draft.nodes if n.title == "Projet sans numéro")
    actions = [n for n in draft.nodes if n.level == "Action"]
    assert [a.parent for a in actions] == [project.code, project.code]
    assert project.parent == "1.1"


def test_fiche_action_word_opens_a_sheet():
    text = """\
AXE 1 - Cadre de vie
OS 1.1 - Verdir la commune
OO 1.1.1 - Planter
FICHE ACTION 1.1.1.1 : Planter 500 arbres
Échéance : 2027
Responsable : Service environnement
"""
    draft = parse_text(text)
    node = by_code(draft)["1.1.1.1"]
    assert node.title == "Planter 500 arbres" and node.parent == "1.1.1"
    assert node.fields["deadline"] == "2027"
    assert node.fields["owners"] == "Service environnement"
    assert by_code(draft)["1.1"].title == "Verdir la commune"


def test_seed_draft_passes_the_interchange_schema():
    interchange = pytest.importorskip("jalon.ingest.interchange")
    if not SEED.exists():
        pytest.skip("shared/seeds not beside the repo")
    draft = finalized(action_sheets.parse(doc_of(SEED.read_text(encoding="utf-8"), SEED.name)))
    draft.source = SEED.name
    back = interchange.load_json(json.dumps(draft.to_dict(), ensure_ascii=False), "plan.json")
    assert back.counts_per_level() == draft.counts_per_level()


# ---------------------------------------------------------------------------------------------
# Bad input: a PlanDraft with few or no nodes, or an IngestError, never anything else
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n\n", "bonjour", "TITRE", "TITRE\n→\n1.1 →",
                                  "1.1.1.1 →\nDÉBUT\nFIN\nCOMMEN-", "\x00\x01\x02 ÿþ",
                                  "1.\n1.1.\n1.1.1.\n" * 50])
def test_garbage_never_raises(text):
    draft = action_sheets.parse(doc_of(text))
    assert isinstance(draft, PlanDraft)
    assert 0.0 <= action_sheets.score(doc_of(text)) <= 1.0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "", "  ", "TITRE", "1.1.1.1.1 → Une action", "2.1 → x", "1. AXE UN", "1.1. Objectif",
    "DÉBUT", "2024", "FIN 2025", "COMMEN-", "TAIRE(S)", "T.AVANCEMENT 10 %", "OBJECTIF",
    "STRATÉGIQUE", "  Un projet", "texte libre", "• puce", "5", "CHEF DE", "PROJET",
    "RESSOURCES", "Humaines (ETP) : 1 et Budgétaires (€) : 5.000 €", "99.99 → y",
]) | st.text(max_size=40), max_size=40))
def test_random_documents_never_raise_anything_but_ingest_error(lines):
    try:
        draft = action_sheets.parse(doc_of("\n".join(lines))).finish()
    except IngestError:
        return
    codes = [n.code for n in draft.nodes]
    assert len(codes) == len(set(codes))
    assert all(n.parent is None or n.parent in codes for n in draft.nodes)
