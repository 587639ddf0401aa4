"""Layout "letter_codes": PST tables of letter–number coded actions (C1.1 …) with
domain / referents / funding / deadline / indicator cells wrapped over several lines."""

from __future__ import annotations

import random
import re

import pytest

from jalon.ingest import engine
from jalon.ingest.cases import load_case
from jalon.ingest.document import Document, Line
from jalon.ingest.draft import PlanDraft
from jalon.ingest.errors import IngestError
from samples import SEEDS, needs_seeds  # the seeds, copied under src/jalon/demo/seeds

SEED = SEEDS / "001_c3f13c68925d32f5.txt"
CASE = load_case("letter_codes")


def parse(doc: Document) -> PlanDraft:
    """The structure engine reading with the case «letter_codes» (fields as printed)."""
    return engine.parse(doc, case=CASE)


def score(doc: Document) -> float:
    return CASE.score(doc)


def _finalize(draft: PlanDraft) -> PlanDraft:
    from jalon.ingest.fields import finalize

    return finalize(draft)


def _seed_doc() -> Document:
    return Document.from_text(SEED.name, SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed() -> PlanDraft:
    return parse(_seed_doc())


def by_level(draft: PlanDraft, level: str) -> list:
    return [n for n in draft.nodes if n.level == level]


def fields(draft: PlanDraft, code: str) -> dict:
    node = draft.get(code)
    assert node is not None, code
    return node.fields


# -- the seed ---------------------------------------------------------------------------------


@needs_seeds
def test_seed_counts_per_level(seed: PlanDraft) -> None:
    assert seed.layout == "letter_codes"
    assert seed.counts_per_level() == {"Objectif stratégique": 4, "Objectif opérationnel": 14,
                                       "Action": 54}


@needs_seeds
def test_seed_strategic_objectives_take_their_letter(seed: PlanDraft) -> None:
    top = by_level(seed, "Objectif stratégique")
    assert [(n.code, n.title) for n in top] == [
        ("C", "Citoyens"), ("P", "Personnel"), ("A", "Avenir"), ("S", "Sustainable")]
    assert all(n.parent is None and not n.derived_code for n in top)
    assert seed.get("C").fields["description"].startswith("Rendre un service de qualité")
    assert seed.get("S").fields["description"].startswith("Devenir un CPAS soucieux")


@needs_seeds
def test_seed_operational_objectives(seed: PlanDraft) -> None:
    oos = by_level(seed, "Objectif opérationnel")
    assert [n.code for n in oos] == ["C1", "C2", "C3", "C4", "P1", "P2", "P3", "A1", "A2",
                                     "S1", "S2", "S3", "S4", "S5"]
    assert all(n.parent == n.code[0] for n in oos)
    assert seed.get("C1").title.startswith("Améliorer l’accueil des bénéficiaires")
    assert seed.get("C2").title == "Assurer aux résidents, séniors et juniors un accueil de " \
                                   "qualité."


@needs_seeds
def test_seed_actions_codes_parents_and_lines(seed: PlanDraft) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    actions = by_level(seed, "Action")
    assert len({n.code for n in actions}) == 54
    for n in actions:
        assert re.fullmatch(r"[CPAS]\d\.\d", n.code)
        assert n.parent == n.code.split(".")[0]
        printed = n.fields.get("code_as_printed", n.code)
        assert lines[n.line - 1].strip().startswith(printed), n.code
        assert n.title and not n.title.startswith(":")
    assert fields(seed, "C3.1")["code_as_printed"] == "C 3.1"
    assert "code_as_printed" not in fields(seed, "C1.1")


@needs_seeds
def test_seed_every_action_has_a_deadline_and_domain(seed: PlanDraft) -> None:
    for n in by_level(seed, "Action"):
        assert re.fullmatch(r"20\d\d(-20\d\d)?", n.fields["deadline"]), n.code
        assert n.fields.get("domain"), n.code
        for key in ("domain", "owners", "funding", "deadline"):
            if key in n.fields:
                assert n.field_lines[key] >= n.line


@needs_seeds
@pytest.mark.parametrize("code, title, domain, owners, funding, deadline, indicator", [
    ("C1.1", "Mettre aux normes incendie les locaux accueillant les bénéficiaires de formations "
     "et d’ateliers de l’insertion sociale", "Ins/techn", "JVDB", "Selon décision SRI", "2020",
     "Attestation SRI"),
    ("C1.2", "Aller à la rencontre du public -25 en aménageant 1 permanence au Mont-à-Leux",
     "-25", "FL", "2500€", "2020", "Chiffres fréquentation"),
    ("C1.8", None, "Adm + soc", "Codir", "5 M€", "2020-2025", None),
    ("C2.1", None, "Serv. techn", "JVDB", "Partenariat avec ville – 600.000€", "2020-2025", None),
    ("C2.2", "Aménager le jardin de la crèche", "Crèche", None,
     "Subsides 1.500€ semaine de l’arbre", "2020", None),
    ("C2.4", "Profiter des jardins des MR : fruits, animations nature…", "4 MR", "Directrices",
     "/", "2021", "Ateliers"),
    ("C2.6", "Elargir l’espace numérique des résidents", "4 MR", "Serv. Info + Codir",
     "Devis wifi dans la cafétéria/ 10.000€", "2022", None),
    ("C3.1", None, "4 MR", "Codir", "Petit matériel cuisine 10.000€", "2022", "Recettes"),
    ("C4.2", "Projet véhicule CAJ : creuser les pistes possibles", "CAJ", "SW",
     "Selon pistes et subsides", "2021", None),
    ("P1.2", "Formaliser les procédures de travail dans les différents services des MR", "4 MR",
     "Directrices", "/", "2021", "Procédures"),
    ("P1.3", None, "Tous", "Codir+ groupes travail", "/", "2020", None),
    ("P1.4", None, "Tous", "Codir", "/", "2020", "Référent formateur"),
    ("P2.2", "Adapter la capacité de production des cuisines.", "REP+ HPM + RàD", "Codir", "/",
     "2024", None),
    ("P3.1", "Déterminer l’avenir du bâtiment service technique", "Serv. Techn", "Codir", "/",
     "2022", None),
    ("P3.2", None, "Service technique", "JVDB", "/", "2020-2024", None),
    ("A1.3", None, "Tous adm", "Codir", "1500€", "2020", None),
    ("A2.2", "Journal numérique", "C°", "SV", "/", "2023", None),
    ("S2.1", "Généraliser le tri du papier dans les MR", "MR", "JVDB", "/", "2020", None),
    ("S2.3", "Etendre le projet Soréal à d’autres partenaires", "Codir", "Codir", "0,5 ETP",
     "2021", None),
    ("S5.1", None, "Cuisine", "F&A + cuis", "/", "2020", None),
])
def test_seed_rows_split_into_cells(seed, code, title, domain, owners, funding, deadline,
                                    indicator) -> None:
    node = seed.get(code)
    f = node.fields
    if title is not None:
        assert node.title == title
    assert f.get("domain") == domain
    assert f.get("owners") == owners
    assert f.get("funding") == funding
    assert f.get("deadline") == deadline
    inds = f.get("indicators", [])
    assert [i["name"] for i in inds] == ([indicator] if indicator else [])
    assert all(i["target"] is None for i in inds)


@needs_seeds
def test_seed_doubtful_rows_are_warned_with_their_line(seed: PlanDraft) -> None:
    doubtful = [w for w in seed.warnings if "incertain" in w.message]
    assert len(doubtful) <= 5
    for w in doubtful:
        assert w.line is not None and w.code in seed


@needs_seeds
def test_seed_plan_header(seed: PlanDraft) -> None:
    assert seed.title == "Programme stratégique transversal"
    assert (seed.period_start, seed.period_end) == (2019, 2025)
    assert seed.kind == "pst"
    assert seed.levels == ["Objectif stratégique", "Objectif opérationnel", "Action"]


@needs_seeds
def test_seed_finalized_values() -> None:
    draft = _finalize(parse(_seed_doc()))
    assert fields(draft, "P1.3")["owners"] == ["Codir", "groupes travail"]
    assert fields(draft, "C2.1")["budget_eur"] == [600000.0]
    assert fields(draft, "C1.8")["budget_eur"] == [5000000.0]
    assert fields(draft, "C4.3")["fte"] == 0.5
    assert fields(draft, "C1.1")["indicators"][0]["name"] == "Attestation SRI"
    data = draft.to_dict()
    assert len(data["nodes"]) == 72
    assert {n["depth"] for n in data["nodes"]} == {0, 1, 2}


@needs_seeds
def test_score_prefers_this_layout_on_the_seeds() -> None:
    scores = {p.name: score(Document.from_text(p.name, p.read_text("utf-8")))
              for p in sorted(SEEDS.glob("*.txt"))}
    assert len(scores) == 5
    mine = scores.pop(SEED.name)
    assert mine >= 0.8
    assert all(s <= 0.3 and s < mine - 0.5 for s in scores.values()), scores


@needs_seeds
def test_other_seeds_do_not_crash() -> None:
    for p in sorted(SEEDS.glob("*.txt")):
        draft = parse(Document.from_text(p.name, p.read_text("utf-8")))
        assert isinstance(draft, PlanDraft)
        if p != SEED:
            assert not by_level(draft, "Action")


# -- another body's plan, same layout ---------------------------------------------------------

SYNTHETIC = """\
Programme stratégique transversal 2025-2030 – Commune de Hautval

Objectifs stratégiques :

Gouvernance

Résilience

Gouvernance : Être une administration ouverte, moderne et transparente
Résilience : Protéger le territoire et ses habitants face aux crises climatiques

OBJECTIF STRATÉGIQUE GOUVERNANCE

ACTIONS DAS
(Domaine
d'activités

stratégique)

Référents
gestionnaires

Financement Echéances Indicateurs de
résultats

Objectif opérationnel G1 : Simplifier les démarches administratives des habitants

G1.1 : Ouvrir un guichet numérique unique pour toutes les demandes de
documents administratifs et de permis

Pop/EC MK Budget ordinaire 2026 Nombre de demandes
en ligne

G1.2 : Former les agents d'accueil à la langue des signes Accueil  RH + DG 4.000€ 2027 Agents formés

G 1.3: Publier les décisions du collège sur le site internet Secr TD / Continu

Objectif opérationnel G2 : Piloter les finances de manière prévisible

G2.1 : Établir un plan pluriannuel d'investissement Fin BW + DF / 09/2026 Plan adopté

G2.2 : Mettre en place une comptabilité analytique par service afin de
mesurer le coût réel des missions

Fin DF Appel à projets RW
Smart

2027-2029

                 Approuvé par le conseil communal      Page 1 sur 2

OBJECTIF STRATÉGIQUE RÉSILIENCE

ACTIONS DAS Référents
gestionnaires

Financement Echéances Indicateurs de
résultats

Objectif opérationnel R1 : Adapter l'espace public aux fortes chaleurs

R1.1 : Planter des arbres dans les cours d'écoles Env.
Ens

NDR 120.000€ 2026 Arbres plantés

R1.2 : Désimperméabiliser les parkings communaux Travaux TB + NDR Subside
RW 80 %

2028 m² désimperméabilisés

Objectif opérationnel R2 : Préparer la commune aux inondations

R 2.1 : Cartographier les zones à risque avec la
province et les communes voisines

PlanU KH Selon convention 2025-26 Carte publiée

R2.2 : Installer des capteurs dans les ruisseaux PlanU KH 2
ETP 2026

R2.3 : Acheter des sacs de sable
"""


@pytest.fixture(scope="module")
def synthetic() -> PlanDraft:
    return parse(Document.from_text("hautval.txt", SYNTHETIC))


def test_synthetic_tree(synthetic: PlanDraft) -> None:
    assert synthetic.counts_per_level() == {"Objectif stratégique": 2,
                                            "Objectif opérationnel": 4, "Action": 10}
    assert [(n.code, n.parent) for n in synthetic.nodes if n.level != "Action"] == [
        ("G", None), ("G1", "G"), ("G2", "G"), ("R", None), ("R1", "R"), ("R2", "R")]
    assert synthetic.get("R").title == "Résilience"
    assert synthetic.get("R").fields["description"].startswith("Protéger le territoire")
    assert synthetic.get("G1.3").fields["code_as_printed"] == "G 1.3"
    assert synthetic.get("R2.1").parent == "R2"
    assert (synthetic.period_start, synthetic.period_end) == (2025, 2030)
    assert synthetic.organization == "Commune de Hautval"


@pytest.mark.parametrize("code, title, domain, owners, funding, deadline, indicator", [
    ("G1.1", "Ouvrir un guichet numérique unique pour toutes les demandes de documents "
     "administratifs et de permis", "Pop/EC", "MK", "Budget ordinaire", "2026",
     "Nombre de demandes en ligne"),
    ("G1.2", "Former les agents d'accueil à la langue des signes", "Accueil", "RH + DG",
     "4.000€", "2027", "Agents formés"),
    ("G1.3", "Publier les décisions du collège sur le site internet", "Secr", "TD", "/",
     "Continu", None),
    ("G2.1", "Établir un plan pluriannuel d'investissement", "Fin", "BW + DF", "/", "09/2026",
     "Plan adopté"),
    ("G2.2", None, "Fin", "DF", "Appel à projets RW Smart", "2027-2029", None),
    ("R1.1", "Planter des arbres dans les cours d'écoles", "Env. Ens", "NDR", "120.000€",
     "2026", "Arbres plantés"),
    ("R1.2", "Désimperméabiliser les parkings communaux", "Travaux", "TB + NDR",
     "Subside RW 80 %", "2028", "m² désimperméabilisés"),
    ("R2.1", "Cartographier les zones à risque avec la province et les communes voisines",
     "PlanU", "KH", "Selon convention", "2025-26", "Carte publiée"),
    ("R2.2", "Installer des capteurs dans les ruisseaux", "PlanU", "KH", "2 ETP", "2026", None),
])
def test_synthetic_rows(synthetic, code, title, domain, owners, funding, deadline,
                        indicator) -> None:
    node = synthetic.get(code)
    f = node.fields
    if title is not None:
        assert node.title == title
    assert (f.get("domain"), f.get("owners"), f.get("funding"), f.get("deadline")) == (
        domain, owners, funding, deadline)
    assert [i["name"] for i in f.get("indicators", [])] == ([indicator] if indicator else [])


def test_synthetic_row_without_cells_is_warned(synthetic: PlanDraft) -> None:
    node = synthetic.get("R2.3")
    assert node.title == "Acheter des sacs de sable"
    assert "domain" not in node.fields
    assert any(w.code == "R2.3" and w.line == node.line and "échéance" in w.message
               for w in synthetic.warnings)


def test_synthetic_finalizes_cleanly(synthetic: PlanDraft) -> None:
    draft = _finalize(parse(Document.from_text("hautval.txt", SYNTHETIC)))
    assert draft.get("R1.2").fields["owners"] == ["TB", "NDR"]
    assert draft.get("R2.2").fields["fte"] == 2.0
    assert draft.get("R1.1").fields["budget_eur"] == [120000.0]


def test_score_on_synthetic_and_unrelated_text() -> None:
    assert score(Document.from_text("x", SYNTHETIC)) >= 0.8
    prose = "\n".join(["Le CPAS a adopté son budget 2023.", "Article 1.2 : voir ci-dessous.",
                       "Objectif stratégique 1 : aider les personnes."] * 20)
    assert score(Document.from_text("x", prose)) < 0.2


# -- variants ---------------------------------------------------------------------------------


def test_names_not_matching_the_letters_get_derived_codes() -> None:
    text = """\
Objectifs stratégiques :

Inclusion

Inclusion : Une commune pour tous

OBJECTIF STRATÉGIQUE INCLUSION

Objectif opérationnel X1 : Rendre les bâtiments accessibles

X1.1 : Installer une rampe à la maison communale Travaux LM 25.000€ 2026 Rampe posée
"""
    draft = parse(Document.from_text("x", text))
    top = by_level(draft, "Objectif stratégique")
    assert [(n.code, n.title, n.derived_code) for n in top] == [("1", "Inclusion", True)]
    assert draft.get("X1").parent == "1"
    assert draft.get("X1.1").fields["domain"] == "Travaux"


def test_without_headings_the_names_group_the_objectives_by_initial() -> None:
    text = """\
Objectifs stratégiques :

Mobilité

Énergie

Objectif opérationnel M1 : Sécuriser les trajets scolaires

M1.1 : Créer des rues scolaires Mob JD / 2025

Objectif opérationnel E1 : Isoler les écoles

E1.1 : Isoler le toit de l'école du centre Ens KP 300.000€ 2027
"""
    draft = parse(Document.from_text("x", text))
    assert [(n.code, n.title) for n in by_level(draft, "Objectif stratégique")] == [
        ("M", "Mobilité"), ("E", "Énergie")]
    assert draft.get("E1").parent == "E"
    assert draft.get("E1.1").fields["funding"] == "300.000€"


def test_action_without_its_operational_objective_gets_one_with_a_warning() -> None:
    text = """\
OBJECTIF STRATÉGIQUE TERRITOIRE

Objectif opérationnel T1 : Entretenir les voiries

T1.1 : Refaire la rue Haute Voirie AB 50.000€ 2026
T2.1 : Réparer le pont Voirie AB 80.000€ 2027
"""
    draft = parse(Document.from_text("x", text))
    assert draft.get("T2").parent == "T"
    assert draft.get("T2.1").parent == "T2"
    assert any(w.code == "T2" and w.line == 6 for w in draft.warnings)


def test_column_words_in_a_title_and_worded_deadlines() -> None:
    text = """\
OBJECTIF STRATÉGIQUE QUALITÉ
Objectif opérationnel Q1 : Piloter par les résultats
Q1.1 : Définir les indicateurs de résultats Qual DG / 1er semestre 2025 Tableau de bord
Q1.2 : Publier le rapport annuel Qual DG / Annuel
Q1.3 : Mesurer la satisfaction Qual DG + RH Fonds propres Fin 2026
"""
    draft = parse(Document.from_text("x", text))
    assert draft.get("Q1.1").title == "Définir les indicateurs de résultats"
    assert draft.get("Q1.1").fields["deadline"] == "1er semestre 2025"
    assert draft.get("Q1.1").fields["indicators"][0]["name"] == "Tableau de bord"
    assert draft.get("Q1.2").title == "Publier le rapport annuel"
    assert draft.get("Q1.2").fields["deadline"] == "Annuel"
    q13 = draft.get("Q1.3").fields
    assert (q13["owners"], q13["funding"], q13["deadline"]) == ("DG + RH", "Fonds propres",
                                                                "Fin 2026")


def test_rows_given_as_cells_are_read_by_column() -> None:
    lines = [
        Line(1, "OBJECTIF STRATÉGIQUE QUALITÉ"),
        Line(2, "Objectif opérationnel Q1 : Mesurer la satisfaction"),
        Line(3, "ACTIONS | DAS | Référents | Financement | Echéances | Indicateurs",
             cells=("ACTIONS", "DAS", "Référents", "Financement", "Echéances", "Indicateurs")),
        Line(4, "Q1.1 : Enquête annuelle | Accueil | ZB | / | 2026 | Taux de réponse",
             cells=("Q1.1 : Enquête annuelle", "Accueil", "ZB", "/", "2026", "Taux de réponse")),
        Line(5, "auprès des usagers | | | | |",
             cells=("auprès des usagers", "", "", "", "", "")),
    ]
    draft = parse(Document("x.docx", lines, "docx"))
    node = draft.get("Q1.1")
    assert node.title == "Enquête annuelle auprès des usagers"
    assert node.fields["owners"] == "ZB"
    assert node.fields["deadline"] == "2026"
    assert node.fields["indicators"][0]["name"] == "Taux de réponse"
    assert draft.get("Q").title == "Qualité"


@pytest.mark.parametrize("text", [
    "", "\n\n\n", "C1.1 :", "Objectif opérationnel Z9 :", "A1.1 : x\nA1.1 : x\n",
    "OBJECTIF STRATÉGIQUE\nObjectif opérationnel\n2020 2021 / €",
    "\x00\x01garbage\ufffd" * 50,
])
def test_garbage_gives_a_small_draft_or_an_ingest_error(text: str) -> None:
    doc = Document.from_text("g.txt", text)
    try:
        draft = parse(doc)
    except IngestError:
        return
    assert len(draft.nodes) <= 3
    assert 0.0 <= score(doc) <= 1.0


def test_random_lines_never_raise_anything_else() -> None:
    rng = random.Random(7)
    words = ["C1.1 :", "P 2.3 :", "Objectif opérationnel C1 :", "OBJECTIF STRATÉGIQUE X", "2020",
             "2020-2025", "/", "5 M€", "JVDB", "Codir", "+", "ACTIONS DAS", "Référents", "", "de",
             "la", "mise", "Page 1 sur 2", "Tous", "0,5 ETP", "Continu", "(", ")", ":", "€"]
    for _ in range(120):
        text = "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
                         for _ in range(rng.randint(0, 30)))
        doc = Document.from_text("r.txt", text)
        try:
            draft = parse(doc)
        except IngestError:
            continue
        draft.to_dict()
        codes = [n.code for n in draft.nodes]
        assert len(codes) == len(set(codes))
        assert 0.0 <= score(doc) <= 1.0
