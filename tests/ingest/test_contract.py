"""The engine's article reader (``articles``, with the words of vocabulary.json) on an
administration contract: parts → strategic objectives → chapters → sections → articles, with
the objective / indicator / norm tables of quantified articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalon.ingest import articles
from jalon.ingest.document import Document, Line
from jalon.ingest.draft import PlanDraft
from jalon.ingest.errors import IngestError
from samples import SEEDS, needs_seeds

contract = articles  # the engine's article reader, a layout of its own

CONTRACT_SEED = SEEDS / "002_38f1d7833928e4f9.txt"


def _doc(text: str, name: str = "contrat.txt") -> Document:
    return Document.from_text(name, text)


def _seed_doc(path: Path) -> Document:
    return _doc(path.read_text(encoding="utf-8"), path.name)


@pytest.fixture(scope="module")
def seed() -> PlanDraft:
    if not CONTRACT_SEED.exists():
        pytest.skip("seed documents not present")
    return contract.parse(_seed_doc(CONTRACT_SEED))


def _codes(draft: PlanDraft, level: str) -> list[str]:
    return [n.code for n in draft.nodes if n.level == level]


def _ancestors(draft: PlanDraft, code: str) -> list[str]:
    out, node = [], draft.get(code)
    while node is not None and node.parent:
        out.append(node.parent)
        node = draft.get(node.parent)
    return out


def _finalize():
    try:
        from jalon.ingest.fields import finalize
    except ImportError:  # written by another module's owner; absent in a partial checkout
        return None
    return finalize


# --------------------------------------------------------------------------------------------
# The seed contract
# --------------------------------------------------------------------------------------------


def _seed_article_codes() -> list[str]:
    """Every article the seed prints, read independently of the parser (``Art 2.1.1, 2.1.2``)."""
    import re

    codes: list[str] = []
    for line in CONTRACT_SEED.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*Art(?:icle)?\.?\s+(\d+(?:\.\d+)+(?:\s*,\s*\d+(?:\.\d+)+)*)", line)
        if m:
            codes.extend(c.strip() for c in m.group(1).split(","))
    return codes


@needs_seeds
def test_seed_plan_metadata(seed: PlanDraft) -> None:
    assert seed.kind == "contract"
    assert seed.layout == "articles"
    assert (seed.period_start, seed.period_end) == (2022, 2025)
    assert "administration" in seed.title.lower()
    assert "Caisse auxiliaire de paiement des allocations de chômage" in seed.organization
    assert seed.levels == ["Partie", "Objectif stratégique", "Chapitre", "Section", "Article"]


@needs_seeds
def test_seed_parts_objectives_chapters(seed: PlanDraft) -> None:
    assert _codes(seed, "Partie") == ["I", "II", "III", "IV"]
    assert _codes(seed, "Objectif stratégique") == [f"OS{i}" for i in range(1, 7)]
    assert _codes(seed, "Chapitre") == [str(i) for i in range(1, 21)]
    parents = {n.code: n.parent for n in seed.nodes}
    assert [parents[f"OS{i}"] for i in range(1, 7)] == ["I", "I", "II", "II", "III", "III"]
    # the common chapters hang straight under part IV (no strategic objective there)
    assert all(parents[str(c)] == "IV" for c in range(16, 21))
    assert parents["8"] == "OS4" and parents["1"] == "OS1" and parents["15"] == "OS6"
    assert seed.get("I").title.startswith("Orientation client")
    assert seed.get("OS5").title == "la CAPAC développe un management humain et orienté résultats"
    assert seed.get("12").title.endswith("numérisation et à l’automatisation")


@needs_seeds
def test_seed_every_article_once_in_its_place(seed: PlanDraft) -> None:
    expected = _seed_article_codes()
    assert len(expected) == len(set(expected)) > 80
    assert _codes(seed, "Article") == expected
    assert _ancestors(seed, "8.1.6") == ["8.1", "8", "OS4", "II"]
    assert _ancestors(seed, "16.6.3") == ["16.6", "16", "IV"]
    assert _ancestors(seed, "19.1") == ["19", "IV"]  # an article straight under its chapter
    art = seed.get("8.1.6")
    assert art.fields["code_as_printed"] == "Art 8.1.6"
    assert seed.get("16.1.1").fields["code_as_printed"] == "Art. 16.1.1"
    source = CONTRACT_SEED.read_text(encoding="utf-8").splitlines()
    assert source[art.line - 1].strip() == "Art 8.1.6"
    for node in seed.nodes:  # every node keeps the line it was read from
        assert node.line is not None and 1 <= node.line <= len(source)


@needs_seeds
def test_seed_sections_including_missing_ones(seed: PlanDraft) -> None:
    sections = _codes(seed, "Section")
    for code in ("1.1", "2.5", "10.3", "16.11", "18.16"):
        assert code in sections
    assert seed.get("2.2").title == "Introduction du principe de rappel"
    assert seed.get("16.5").title.endswith("lors d’un conclave budgétaire")
    # "Art 8.1.1" with no "8.1" heading: the section is created and the parser says so
    assert seed.get("8.1").parent == "8"
    assert any("8.1" in w.message for w in seed.warnings)
    # numbered lists inside article tables are no chapters
    assert all(n.title != "Instrument de mesure déterminé" for n in seed.nodes)


@needs_seeds
def test_seed_codes_unique_and_tree_sound(seed: PlanDraft) -> None:
    codes = [n.code for n in seed.nodes]
    assert len(codes) == len(set(codes))
    for node in seed.nodes:
        assert node.parent is None or node.parent in seed
    data = seed.to_dict()
    assert data["plan"]["kind"] == "contract"
    assert {n["level"] for n in data["nodes"]} == {
        "Partie", "Objectif stratégique", "Chapitre", "Section", "Article"}


@needs_seeds
def test_seed_quantified_articles(seed: PlanDraft) -> None:
    ind = seed.get("8.1.6").fields["indicators"]
    assert len(ind) == 1
    assert ind[0]["target"] == ind[0]["norm"] == "94 %"
    assert ind[0]["name"].startswith("Pourcentage du total de cas payés et acceptés")
    assert ind[0]["objective"].startswith("La CAPAC maintient la régularité")

    mails = seed.get("2.5.1").fields["indicators"][0]
    assert mails["target"] == "80 % dans les 5 jours ouvrables / 100 % dans le mois"
    assert mails["name"].startswith("Pourcentage d’e-mails traités avec une réponse dans les xx")

    # one table, three articles: one row each, in order
    phone = [seed.get(f"2.1.{i}").fields["indicators"] for i in (1, 2, 3)]
    assert [len(x) for x in phone] == [1, 1, 1]
    assert phone[2][0]["name"].startswith("Temps d’attente pour un service téléphonique")
    assert phone[0][0]["target"].startswith("Norme adaptée")
    assert seed.get("2.5.3").fields["indicators"][0]["target"].startswith("Norme à définir")
    assert "KPI défini" in seed.get("2.2.1").fields["indicators"][0]["target"]
    training = seed.get("10.1.2").fields["indicators"][0]
    assert training["name"] == "Nombre de jours de formation réalisés par ETP"
    assert training["target"].startswith("5 jours de formation par an et par ETP")
    assert seed.get("10.1.4").fields["indicators"][0]["target"] == "90 %"
    assert seed.get("5.2.1").fields["indicators"][0]["target"] == (
        "80 % dans les 10 jours / 100 % dans les 28 jours")  # the footnote below is dropped
    quantified = [n for n in seed.nodes if n.fields.get("indicators")]
    assert len(quantified) >= 25
    assert all(n.level == "Article" for n in quantified)
    for node in quantified:
        for i in node.fields["indicators"]:
            assert i["name"] and i["line"] >= node.line


@needs_seeds
def test_seed_article_titles_and_descriptions(seed: PlanDraft) -> None:
    assert seed.get("8.1.6").title == (
        "La CAPAC maintient la régularité et la justesse des paiements réalisés.")
    assert seed.get("9.2.1").title.startswith("Depuis près de 12 ans déjà")
    assert seed.get("17.1.1").title == "Moteur salarial"
    assert seed.get("10.2.1").title == "Bonheur au travail"
    assert seed.get("10.2.2").title == "Diversité"
    for node in seed.nodes:
        assert len(node.title) <= articles.TITLE_MAX + 2
        assert len(node.fields.get("description", "")) <= articles.DESCRIPTION_MAX + 2
    desc = seed.get("16.2.1").fields["description"]
    assert desc.startswith("Les parties contractantes s’engagent à respecter les principes")
    assert "Xavier" not in seed.get("20.1").fields["description"]  # signatures are no text


@needs_seeds
def test_seed_finalize_keeps_indicators(seed: PlanDraft) -> None:
    finalize = _finalize()
    if finalize is None:
        pytest.skip("jalon.ingest.fields.finalize not available")
    draft = contract.parse(_seed_doc(CONTRACT_SEED))
    finalize(draft)
    assert draft.get("8.1.6").fields["indicators"][0]["target"] == "94 %"
    assert len(draft.nodes) == len(seed.nodes)
    try:
        from jalon.ingest import interchange
    except ImportError:
        return
    interchange.validate(interchange.to_data(draft))  # the interchange schema accepts it


@needs_seeds
def test_score_ranks_the_contract_first() -> None:
    scores = {p.name: contract.score(_seed_doc(p)) for p in sorted(SEEDS.glob("*.txt"))}
    assert len(scores) == 5
    mine = scores.pop(CONTRACT_SEED.name)
    assert mine >= 0.8
    assert all(s <= 0.3 for s in scores.values()), scores
    assert all(mine - s >= 0.5 for s in scores.values())


@needs_seeds
def test_other_layouts_give_few_nodes() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        if path == CONTRACT_SEED:
            continue
        draft = contract.parse(_seed_doc(path))
        assert not _codes(draft, "Article") and not _codes(draft, "Partie"), path.name


# --------------------------------------------------------------------------------------------
# Another body's contract with the same layout
# --------------------------------------------------------------------------------------------

SYNTHETIC = """\
CONTRAT D’ADMINISTRATION 2024-2027

Table des matières
Partie I. Services aux bénéficiaires ........................ 3
Objectif stratégique 1 : le bénéficiaire est bien informé ..... 3
Objectif stratégique 2 : le bénéficiaire est payé à temps ..... 5
Partie II. Gestion interne 8
Objectif stratégique 1 : le personnel est compétent 8
Objectif stratégique 2 : l’institution maîtrise ses coûts 9

Entre :
− l’État fédéral
et
− l’Office national des congés de test
pour la période du 1er janvier 2024 au 31 décembre 2027, ce qui suit :

L’Office national des congés de test (ONCT) paie les pécules de vacances de ses assurés
dans tout le pays et informe chaque année plus de deux cent mille bénéficiaires de leurs droits.

Partie I. Services aux bénéficiaires
Objectif stratégique 1 : le bénéficiaire est bien informé
L’ONCT informe les bénéficiaires de manière claire, complète et dans les trois langues nationales
afin que chacun connaisse ses droits et ses obligations.
1. Information des bénéficiaires
1.1. Site web
Le site web est le premier canal d’information des bénéficiaires de l’Office national et il
doit être accessible à tous, y compris aux personnes en situation de handicap.
Article 1.1.1 – Mise à jour du site
Le site web est mis à jour chaque mois par le service de communication de l’Office national.
Art. 1.1.2
Le site est accessible
aux personnes
malvoyantes.

Conformité aux normes
WCAG 2.1

KPI défini

Rapportage périodique
2. Paiement des pécules
Art 2.1.1
L’Office paie les
pécules à temps.
Pourcentage de pécules
payés à la date
légale
98 %
2.2. Paiements et courriers
Les paiements et les réponses aux courriers font l’objet d’un suivi mensuel par la direction
générale, qui présente chaque trimestre un rapport au comité de gestion de l’Office.
Art 2.2.1
Art 2.2.2
L’Office paie
rapidement les pécules.
Pourcentage de pécules
payés dans les
8 jours ouvrables
90 % dans les 8 jours
ouvrables
99 % dans le mois
L’Office répond
aux courriers.
Délai moyen de réponse
aux courriers
xx jours
Objectif stratégique 2 : le bénéficiaire est payé à temps
3. Contrôle des paiements
3.1 Contrôle interne
Art 3.1.1
L’Office s’engage à réaliser les étapes suivantes avant la fin du présent contrat, en concertation
avec les services régionaux et le comité de gestion :
1. Analyse des risques de paiement indu
2. Plan de contrôle annuel
Partie II. Gestion interne
Objectif stratégique 1 : le personnel est compétent
4. Formation du personnel
4.1 Plan de formation
Art 4.1.1
Les agents suivent
des formations.
Nombre moyen de jours
de formation par ETP
Norme à définir
Objectif stratégique 2 : l’institution maîtrise ses coûts
5. Budget de gestion
Art 5.1
L’Office établit chaque année un budget de gestion conforme aux directives du Gouvernement et le
communique au commissaire du gouvernement avant le 31 octobre de l’année précédente.
Signé le 3 juin 2024
Pour l’ONCT
Jeanne Exemple
"""


def _double_spaced(text: str) -> str:
    """The seed's extraction style: every line followed by a blank; gaps are space-only lines."""
    out = []
    for line in text.splitlines():
        out.append(line if line.strip() else " ")
        out.append("")
    return "\n".join(out)


@pytest.fixture(params=["single", "double"])
def synthetic(request) -> PlanDraft:
    text = SYNTHETIC if request.param == "single" else _double_spaced(SYNTHETIC)
    return contract.parse(_doc(text, "autre-contrat.txt"))


def test_synthetic_structure(synthetic: PlanDraft) -> None:
    d = synthetic
    assert (d.period_start, d.period_end) == (2024, 2027)
    assert d.organization == "Office national des congés de test (ONCT)"
    assert _codes(d, "Partie") == ["I", "II"]  # the table of contents made no node
    # objectives restart in each part: qualified by their part
    assert _codes(d, "Objectif stratégique") == ["I.OS1", "I.OS2", "II.OS1", "II.OS2"]
    assert d.get("II.OS1").fields["code_as_printed"] == "Objectif stratégique 1"
    assert _codes(d, "Chapitre") == ["1", "2", "3", "4", "5"]  # "1. Analyse …" is a list item
    assert _codes(d, "Article") == ["1.1.1", "1.1.2", "2.1.1", "2.2.1", "2.2.2", "3.1.1",
                                    "4.1.1", "5.1"]
    assert _ancestors(d, "4.1.1") == ["4.1", "4", "II.OS1", "II"]
    assert _ancestors(d, "5.1") == ["5", "II.OS2", "II"]  # an article without section
    assert d.get("2.1").title == "Section 2.1"  # created for "Art 2.1.1", with a warning
    assert any("2.1" in w.message for w in d.warnings)
    assert any("matières" in w.message for w in d.warnings)
    assert d.get("1.1.1").title == "Mise à jour du site"
    assert d.get("1.1.1").fields["code_as_printed"] == "Article 1.1.1"
    assert d.get("3.1.1").title.startswith("L’Office s’engage à réaliser les étapes suivantes")
    assert "Jeanne" not in d.get("5.1").fields.get("description", "")


def test_synthetic_indicators(synthetic: PlanDraft) -> None:
    d = synthetic
    web = d.get("1.1.2").fields["indicators"]
    assert web == [{"name": "Conformité aux normes WCAG 2.1",
                    "target": "KPI défini / Rapportage périodique",
                    "line": web[0]["line"],
                    "objective": "Le site est accessible aux personnes malvoyantes.",
                    "norm": "KPI défini / Rapportage périodique"}]
    assert d.get("2.1.1").fields["indicators"][0]["target"] == "98 %"
    # two article headings sharing the table below them: one row each
    first = d.get("2.2.1").fields["indicators"]
    second = d.get("2.2.2").fields["indicators"]
    assert len(first) == len(second) == 1
    assert first[0]["name"] == "Pourcentage de pécules payés dans les 8 jours ouvrables"
    assert first[0]["target"] == "90 % dans les 8 jours ouvrables / 99 % dans le mois"
    assert second[0]["name"] == "Délai moyen de réponse aux courriers"
    assert second[0]["target"] == "xx jours"
    assert d.get("2.2.2").title == "L’Office répond aux courriers."
    assert d.get("4.1.1").fields["indicators"][0]["target"] == "Norme à définir"
    assert "indicators" not in d.get("3.1.1").fields
    assert "indicators" not in d.get("5.1").fields


def test_synthetic_lines_point_at_the_body() -> None:
    d = contract.parse(_doc(SYNTHETIC))
    lines = SYNTHETIC.splitlines()
    for node in d.nodes:
        if node.derived_code or node.title.startswith("Section "):
            continue
        printed = node.fields.get("code_as_printed", node.code)
        assert printed.split()[-1].rstrip(".") in lines[node.line - 1] or \
            node.title.split()[0] in lines[node.line - 1], node.code
    assert d.get("I").line == lines.index("Partie I. Services aux bénéficiaires") + 1


def test_synthetic_finalize() -> None:
    finalize = _finalize()
    if finalize is None:
        pytest.skip("jalon.ingest.fields.finalize not available")
    d = finalize(contract.parse(_doc(SYNTHETIC)))
    assert d.get("2.1.1").fields["indicators"][0]["target"] == "98 %"


def test_chapters_restarting_in_each_part_are_qualified() -> None:
    text = "\n".join([
        "Partie I. Premier volet",
        "Objectif stratégique 1 : servir",
        "1. Accueil",
        "1.1 Guichets",
        "Art 1.1.1",
        "L’accueil est ouvert chaque jour ouvrable de la semaine, de neuf heures à seize heures.",
        "Partie II. Second volet",
        "Objectif stratégique 2 : gérer",
        "1. Budget",
        "1.1 Budget de gestion",
        "Art 1.1.1",
        "Le budget est présenté chaque année au comité de gestion avant la fin du mois d’octobre.",
    ])
    d = contract.parse(_doc(text))
    assert _codes(d, "Chapitre") == ["1", "OS2.1"]
    assert _codes(d, "Section") == ["1.1", "OS2.1.1"]
    assert d.get("OS2.1.1").title == "Budget de gestion"
    assert _codes(d, "Article") == ["1.1.1", "OS2.1.1.1"]
    assert d.get("OS2.1.1.1").fields["code_as_printed"] == "Art 1.1.1"


def test_article_range_shares_one_table() -> None:
    text = "\n".join([
        "Partie I. Usagers",
        "Objectif stratégique 1 : répondre vite",
        "7. Contact",
        "7.2. Courrier",
        "Art 7.2.1 à 7.2.3",
        "Le courrier est",
        "traité vite.",
        "Pourcentage de lettres",
        "traitées en 5 jours",
        "75 %",
        "Le courrier est",
        "traité vite.",
        "Pourcentage de lettres",
        "traitées en 10 jours",
        "90 %",
        "Le courrier est",
        "traité vite.",
        "Nombre de plaintes",
        "sur le courrier",
        "Monitoring",
    ])
    d = contract.parse(_doc(text))
    assert _codes(d, "Article") == ["7.2.1", "7.2.2", "7.2.3"]
    targets = [d.get(f"7.2.{i}").fields["indicators"][0]["target"] for i in (1, 2, 3)]
    assert targets == ["75 %", "90 %", "Monitoring"]
    assert d.get("7.2.3").fields["indicators"][0]["name"] == "Nombre de plaintes sur le courrier"
    assert d.get("7").parent == "OS1"


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "",
    "\n\n\n",
    "Bonjour\nceci n'est pas un contrat",
    "Art 1.1.1\n" * 50,
    "Partie I.\nPartie I.\n1. \n1.1. \nArt 9.9.9, 9.9.9 à 9.9.1\n94 %\n",
    "Objectif stratégique 99 :\n" + "x" * 5000,
    "\x00\x01\x02 garbage \ufffd" * 100,
])
def test_garbage_gives_a_draft_or_ingest_error(text: str) -> None:
    try:
        draft = contract.parse(_doc(text, "garbage.txt"))
    except IngestError:
        return
    assert isinstance(draft, PlanDraft)
    assert 0.0 <= contract.score(_doc(text)) <= 1.0
    codes = [n.code for n in draft.nodes]
    assert len(codes) == len(set(codes))


def test_table_cells_from_a_grid_reader() -> None:
    """DOCX/XLSX readers hand table rows as cells: the columns are taken as they are."""
    lines = [
        Line(1, "Partie I. Clients"),
        Line(2, "Objectif stratégique 1 : servir vite"),
        Line(3, "1. Paiements"),
        Line(4, "1.1 Délais"),
        Line(5, "Objectif | Indicateur de prestation | Norme",
             cells=("Objectif", "Indicateur de prestation", "Norme")),
        Line(6, "Art 1.1.1 | Payer vite | Pourcentage payé en 3 jours | 85 % dans les 3 jours",
             cells=("Art 1.1.1", "Payer vite", "Pourcentage payé en 3 jours",
                    "85 % dans les 3 jours")),
    ]
    d = contract.parse(Document("grille.docx", lines, "docx"))
    ind = d.get("1.1.1").fields["indicators"]
    assert ind[0]["name"] == "Pourcentage payé en 3 jours"
    assert ind[0]["target"] == "85 % dans les 3 jours"
    assert ind[0]["objective"] == "Payer vite"
