"""The "policy note in prose" parser: the CPAS de Bruxelles seed and synthetic notes."""

from __future__ import annotations

import random

import pytest

from jalon.ingest.cases import CaseParser, load_case
from jalon.ingest.document import Document, Line
from jalon.ingest.draft import PlanDraft
from jalon.ingest.errors import IngestError
from samples import SEEDS, needs_seeds  # the seeds, copied under src/jalon/demo/seeds

SEED = SEEDS / "004_04c81f23e8f893f8.txt"
CASE = CaseParser(load_case("prose"))  # the structure engine reading with the case «prose»


def parse(doc: Document) -> PlanDraft:
    return CASE.parse(doc)


def score(doc: Document) -> float:
    return CASE.score(doc)
OTHER_SEEDS = ("000_8a41bf1af2e14d4d.txt", "001_c3f13c68925d32f5.txt",
               "002_38f1d7833928e4f9.txt", "003_cd862c1becbca89e.txt")



def _doc(text: str, name: str = "note.txt") -> Document:
    return Document.from_text(name, text)


def _seed_doc(name: str = SEED.name) -> Document:
    return Document.from_text(name, (SEEDS / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed() -> PlanDraft:
    return parse(_seed_doc())


def _codes(draft: PlanDraft, level: str) -> list[str]:
    return [n.code for n in draft.nodes if n.level == level]


def _indicators(draft: PlanDraft, code: str) -> dict[str, str | None]:
    node = draft.get(code)
    assert node is not None, code
    return {i["name"]: i["target"] for i in node.fields.get("indicators", [])}


# -- a synthetic note of another body: 3 chapters, sections restarting at I ------------------

LONG = ("Le service poursuivra en 2025 le travail entamé avec les partenaires du quartier et "
        "renforcera l'accompagnement des ménages les plus fragiles.")

SYNTHETIC = f"""NOTE D'ORIENTATION 2025
CPAS de Villeneuve-sur-Meuse

Table des matières

1. PREAMBULE ........................ 2

2. DEPARTEMENT SOCIAL ........................ 3

3. DEPARTEMENT DU LOGEMENT ET DES SENIORS ........................ 7

 1. PREAMBULE

{LONG}
{LONG}

 2. DEPARTEMENT SOCIAL

I. L'accueil des usagers

{LONG} Entre 2022 et 2023, le nombre de bénéficiaires distincts est passé de 4.210 à
4.530 personnes. Cette démarche s'inscrit dans le projet 12 du Plan stratégique.

II. Les aides financières

1. Le revenu d'intégration

{LONG}

• Un suivi mensuel des dossiers.
• Une révision des procédures.

2. L'aide médicale

{LONG}

 3. DEPARTEMENT DU LOGEMENT ET DES SENIORS

I. Les résidences

1. Résidence Les Tilleuls

Activité

• Nombre de places disponibles : 64
• Taux d'occupation budgété : 93,5 %

Travaux et entretien

• Rénovation des façades.

2. Résidence Le Verger

Activité

• Nombre de places disponibles : 40
• Taux d'occupation budgété : 88 %

II. Le patrimoine

{LONG} Le chantier relève de l'OS 3 du plan.
"""


@pytest.fixture(scope="module")
def synthetic() -> PlanDraft:
    return parse(_doc(SYNTHETIC))


def test_it_reads_three_chapters_with_sections_restarting_at_i(synthetic):
    assert _codes(synthetic, "Chapitre") == ["1", "2", "3"]
    assert _codes(synthetic, "Section") == ["2.I", "2.II", "3.I", "3.II"]
    assert synthetic.get("2.II").fields["code_as_printed"] == "II"
    assert synthetic.get("3.I").parent == "3"


def test_it_does_not_duplicate_the_table_of_contents(synthetic):
    chapters = [n for n in synthetic.nodes if n.level == "Chapitre"]
    assert [n.title for n in chapters] == ["PREAMBULE", "DEPARTEMENT SOCIAL",
                                          "DEPARTEMENT DU LOGEMENT ET DES SENIORS"]
    lines = SYNTHETIC.splitlines()
    for node in chapters:  # the body occurrence, not the table of contents
        assert "...." not in lines[node.line - 1]


def test_it_qualifies_restarting_numbers_by_their_parent(synthetic):
    assert synthetic.get("2.II.1").title == "Le revenu d'intégration"
    assert synthetic.get("2.II.2").parent == "2.II"
    assert synthetic.get("3.I.2").title == "Résidence Le Verger"
    assert synthetic.get("3.I.2").fields["code_as_printed"] == "2"


def test_unnumbered_headings_get_derived_codes_under_the_numbered_heading(synthetic):
    activity = synthetic.get("3.I.1.1")
    assert activity.title == "Activité" and activity.derived_code
    assert synthetic.get("3.I.1.2").title == "Travaux et entretien"
    assert synthetic.get("3.I.2.1").title == "Activité"
    assert not synthetic.get("3.I.1").derived_code


def test_bullets_stay_in_the_description(synthetic):
    node = synthetic.get("2.II.1")
    assert "Un suivi mensuel des dossiers." in node.fields["description"]
    assert not any(n.title.startswith(("•", "Un suivi")) for n in synthetic.nodes)


def test_labelled_figures_become_indicators_of_the_numbered_node(synthetic):
    assert _indicators(synthetic, "3.I.1") == {"Nombre de places disponibles": "64",
                                               "Taux d'occupation budgété": "93,5 %"}
    assert _indicators(synthetic, "3.I.2")["Nombre de places disponibles"] == "40"
    places = synthetic.get("3.I.1").fields["indicators"][0]
    assert places["unit"] == "places"
    assert places["line"] == SYNTHETIC.splitlines().index("• Nombre de places disponibles : 64") + 1


def test_a_figure_sentence_becomes_yearly_indicators(synthetic):
    assert _indicators(synthetic, "2.I") == {
        "Nombre de bénéficiaires distincts – 2022": "4.210",
        "Nombre de bénéficiaires distincts – 2023": "4.530",
    }


def test_references_to_the_strategic_plan_become_tags(synthetic):
    assert synthetic.get("2.I").fields["tags"] == ["PS:projet 12"]
    assert synthetic.get("3.II").fields["tags"] == ["PS:OS 3"]


def test_plan_metadata(synthetic):
    assert synthetic.kind == "policy_note"
    assert synthetic.layout == "prose"
    assert synthetic.levels == ["Chapitre", "Section", "Sous-section"]
    assert synthetic.title == "NOTE D'ORIENTATION 2025"
    assert synthetic.organization == "CPAS de Villeneuve-sur-Meuse"
    assert synthetic.period_start == synthetic.period_end == 2025


def test_every_node_keeps_its_source_line(synthetic):
    lines = SYNTHETIC.splitlines()
    for node in synthetic.nodes:
        assert node.title.split()[0] in lines[node.line - 1]


def test_chapitre_style_letters_and_wrapped_headings():
    text = f"""Chapitre 1 – Les services généraux

{LONG}

Section I. Organisation du travail et
gestion des équipes

a) Les horaires

{LONG}

b) Le télétravail

{LONG}

Chapitre 2 – Le département social

I. Accueil

{LONG}
"""
    draft = parse(_doc(text))
    assert _codes(draft, "Chapitre") == ["1", "2"]
    assert draft.get("1.I").title == "Organisation du travail et gestion des équipes"
    assert [n.title for n in draft.children("1.I")] == ["Les horaires", "Le télétravail"]
    assert draft.get("1.I.b").fields["code_as_printed"] == "b"
    assert draft.get("2.I").title == "Accueil"


def test_numbered_lists_are_not_headings():
    text = f""" 1. DEPARTEMENT DES FINANCES

La mission du département consiste à :

1. Développer une vision financière de l'institution, en observant et analysant
les activités de l'institution.

2. Garantir l'établissement des budgets et des comptes.

Le service articule son activité autour de trois métiers :

1. La médiation de dettes amiable.
2. L'accompagnement des usagers dans la procédure pour un

problème d'énergie.
3. La gestion des subventions.

I. Perspectives

{LONG}
"""
    draft = parse(_doc(text))
    assert [n.code for n in draft.nodes] == ["1", "1.I"]


def test_a_sentence_cut_by_a_blank_line_is_not_a_heading():
    text = f""" 1. CENTRALE D'ACHATS

I. Objectifs

La connaissance des

Marchés publics plus performants

marchés permet de faire face aux imprévus. {LONG}
"""
    draft = parse(_doc(text))
    assert [n.title for n in draft.nodes] == ["CENTRALE D'ACHATS", "Objectifs"]


def test_headings_marked_by_style_need_no_blank_lines():
    lines = [Line(1, "1. INTRODUCTION", style="heading 1"), Line(2, LONG),
             Line(3, "I. Contexte", style="heading 2"), Line(4, LONG),
             Line(5, "Enjeux", style="heading 3"), Line(6, LONG)]
    draft = parse(Document("note.docx", lines, "docx"))
    assert [(n.code, n.title) for n in draft.nodes] == [
        ("1", "INTRODUCTION"), ("1.I", "Contexte"), ("1.I.1", "Enjeux")]


def test_monthly_table_rows_become_indicators():
    text = f""" 1. EMPLOI

I. Demandeurs d'emploi

{LONG}

  Evolution des demandeurs %évol mensuelle

Période
Commune de

Villeneuve
Province de Luxem-

bourg
Commune de

Villeneuve
Province de Luxem-

bourg
mars-23 1210 40125 1,5% 0,8%
avr-23 1190 39870 -1,7% -0,6%

{LONG}
"""
    draft = parse(_doc(text))
    assert _indicators(draft, "1.I") == {
        "Evolution des demandeurs – Commune de Villeneuve – mars-23": "1210",
        "Evolution des demandeurs – Province de Luxembourg – mars-23": "40125",
        "Evolution des demandeurs – Commune de Villeneuve – avr-23": "1190",
        "Evolution des demandeurs – Province de Luxembourg – avr-23": "39870",
    }


def test_a_footnote_call_glued_to_a_figure_is_cut_with_a_warning():
    text = f""" 1. SOCIAL

I. Publics

Entre 2020 et 2021, le nombre de bénéficiaires est passé de 1.250 à 1.3402 personnes. {LONG}
"""
    draft = parse(_doc(text))
    assert _indicators(draft, "1.I")["Nombre de bénéficiaires – 2021"] == "1.340"
    assert any("1.3402" in w.message for w in draft.warnings)


def test_finalize_keeps_tags_and_indicators():
    fields = pytest.importorskip("jalon.ingest.fields")
    draft = fields.finalize(parse(_doc(SYNTHETIC)))
    assert draft.get("2.I").fields["tags"] == ["PS:projet 12"]
    assert _indicators(draft, "3.I.1")["Nombre de places disponibles"] == "64"
    codes = [n["code"] for n in draft.to_dict()["nodes"]]
    assert len(codes) == len(set(codes))


# -- garbage in ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n\n", "I.\n1.\n\ufffd\n", "Chapitre 0\n" * 5,
                                  "x" * 5000, "1. A\n" * 300, "I. A\n\nII. B\n\n" * 50])
def test_garbage_gives_a_draft_or_an_ingest_error(text):
    try:
        draft = parse(_doc(text))
    except IngestError:
        return
    codes = [n.code for n in draft.nodes]
    assert len(codes) == len(set(codes))
    assert 0.0 <= score(_doc(text)) <= 1.0


def test_random_noise_never_raises_anything_but_ingest_error():
    rng = random.Random(4)
    alphabet = "IVX1234567890.:;,- \n\tabcdeÉé•\ufffd()«»%"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        try:
            parse(_doc(text))
        except IngestError:
            pass
        assert 0.0 <= score(_doc(text)) <= 1.0


def test_a_non_document_raises_ingest_error():
    with pytest.raises(IngestError):
        parse(None)  # type: ignore[arg-type]


# -- the seed: CPAS de la Ville de Bruxelles, note de politique générale 2023 -----------------


@needs_seeds
def test_seed_has_fifteen_chapters(seed):
    chapters = [n for n in seed.nodes if n.level == "Chapitre"]
    assert [n.code for n in chapters] == [str(k) for k in range(1, 16)]
    assert chapters[0].title == "INTRODUCTION"
    assert chapters[10].title == "SERVICE INTERNE DE PREVENTION ET DE PROTECTION AU TRAVAIL (SIPP)"
    assert all(n.parent is None for n in chapters)


@needs_seeds
def test_seed_sections_restart_in_each_chapter(seed):
    by_chapter: dict[str, list[str]] = {}
    for n in seed.nodes:
        if n.level == "Section":
            by_chapter.setdefault(n.parent, []).append(n.fields["code_as_printed"])
    assert by_chapter == {
        "2": ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"],
        "3": ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"],
        "4": ["I", "II", "III", "IV", "V"],
        "5": ["I", "II", "III", "IV"],
        "6": ["I", "II", "III"],
        "7": ["I", "II", "III", "III.a"],
        "8": ["I", "II", "III"],
        "9": ["I", "II", "III", "IV", "V"],
        "15": ["I", "II", "III", "IV", "V"],
    }


@needs_seeds
def test_seed_sub_sections(seed):
    assert [n.title for n in seed.children("2.VII")][-1] == \
        "Les migrants n’ayant pas finalisé leur trajet migratoire"
    assert len(seed.children("2.I")) == 9
    assert seed.get("2.I.3").title == \
        "L’évolution du RI au regard de l’évolution du nombre de demandeurs d’emploi"
    assert seed.get("9.I.1.1").title == "Missions générales"
    assert seed.get("9.I.1.1").fields["code_as_printed"] == "1.1"
    assert seed.get("7.III.a.1").parent == "7.III.a"
    assert [n.title for n in seed.children("15.IV")][1] == "Domaine Care"
    # unnumbered rubrics of the care homes and of the purchasing centre
    assert [n.title for n in seed.children("5.I.1")] == [
        "Activité", "Services au résident, animations et partenariats",
        "Personnel et organisation du travail", "Travaux et infrastructure"]
    assert [n.title for n in seed.children("10")] == ["À court terme", "À moyen terme",
                                                      "À Long terme"]
    assert all(n.derived_code for n in seed.children("10"))


@needs_seeds
def test_seed_lists_and_figure_labels_are_not_nodes(seed):
    titles = {n.title for n in seed.nodes}
    assert not any(t.startswith("La médiation de dettes amiable") for t in titles)
    assert not any(t.startswith("Développer une vision financière") for t in titles)
    assert "Marchés publics plus performants et innovants" not in titles
    assert not any("Evolution des DEI" in t or "Note de politique" in t for t in titles)


@needs_seeds
def test_seed_care_home_indicators(seed):
    assert _indicators(seed, "5.I.1") == {
        "Nombre de lits disponibles": "148", "Nombre de lits occupés budgétés": "136",
        "Taux occupation budgété": "91,89%"}
    assert _indicators(seed, "5.I.2")["Taux occupation budgété"] == "90,5 %"
    assert _indicators(seed, "5.I.3")["Nombre de lits occupables"] == "152"
    assert _indicators(seed, "5.I.4")["Nombre lits occupés budgétés"] == "98"
    eglantines = seed.get("5.I.5").fields["indicators"]
    assert eglantines[0]["target"] == "180" and eglantines[0]["unit"] == "lits"
    assert eglantines[2] == {"name": "Taux occupation budgété", "target": "97%", "unit": "%",
                             "line": 2777}


@needs_seeds
def test_seed_monthly_jobseekers_and_yearly_beneficiaries(seed):
    dei = _indicators(seed, "2.I.3")
    assert dei["Evolution des DEI – Ville de Bruxelles – déc-21"] == "14669"
    assert dei["Evolution des DEI – Région de Bruxelles-Capitale – janv-22"] == "86676"
    assert len([k for k in dei if k.startswith("Evolution des DEI")]) == 20
    yearly = _indicators(seed, "2.I.1")
    assert yearly["Nombre de bénéficiaires distincts – 2020"] == "27.160"
    assert yearly["Nombre de bénéficiaires distincts – 2021"] == "29.953"  # footnote 1 cut


@needs_seeds
def test_seed_strategic_plan_references(seed):
    tagged = {n.code: n.fields["tags"] for n in seed.nodes if "tags" in n.fields}
    assert tagged == {"2.VIII": ["PS:projet 29"], "9.III": ["PS:OS 5"]}


@needs_seeds
def test_seed_metadata_and_provenance(seed):
    assert seed.title == "Note de politique générale 2023"
    assert seed.organization == "CPAS de la Ville de Bruxelles"
    assert (seed.period_start, seed.period_end, seed.kind) == (2023, 2023, "policy_note")
    codes = [n.code for n in seed.nodes]
    assert len(codes) == len(set(codes))
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for node in seed.nodes:
        first = node.title.split()[0]
        assert first.split("’")[0] in lines[node.line - 1], node.code
    assert "Note de politique" not in seed.get("2.X.6").fields.get("description", "")


@needs_seeds
def test_score_prefers_the_prose_seed_over_the_other_layouts():
    mine = score(_seed_doc())
    others = {name: score(_seed_doc(name)) for name in OTHER_SEEDS}
    assert mine >= 0.8
    assert all(s <= 0.3 for s in others.values()), others
    assert mine - max(others.values()) >= 0.5


def test_score_recognises_the_synthetic_note():
    assert score(_doc(SYNTHETIC)) >= 0.6


def test_a_contents_list_with_page_numbers_only_is_dropped():
    text = f"""Sommaire
1. INTRODUCTION 2
I. Contexte 2
2. DEPARTEMENT SOCIAL 4
I. Accueil 4

 1. INTRODUCTION

I. Contexte

{LONG}

 2. DEPARTEMENT SOCIAL

I. Accueil

{LONG}
"""
    draft = parse(_doc(text))
    assert [(n.code, n.title) for n in draft.nodes] == [
        ("1", "INTRODUCTION"), ("1.I", "Contexte"), ("2", "DEPARTEMENT SOCIAL"),
        ("2.I", "Accueil")]
    assert draft.get("1").line == 7


def test_chapters_in_small_letters_are_found_by_their_running_number():
    text = f"""1. Introduction

{LONG}

2. Département social

I. Accueil

1. Les permanences

{LONG}

2. Les visites

{LONG}

3. Les antennes

{LONG}

II. Aides

1. Le revenu d'intégration

{LONG}

3. Département du logement

{LONG}

4. Centrale d'achats

{LONG}
"""
    draft = parse(_doc(text))
    assert [(n.code, n.title) for n in draft.nodes if n.level == "Chapitre"] == [
        ("1", "Introduction"), ("2", "Département social"), ("3", "Département du logement"),
        ("4", "Centrale d'achats")]
    assert draft.get("2.I.3").title == "Les antennes"
    assert draft.get("2.II.1").parent == "2.II"
