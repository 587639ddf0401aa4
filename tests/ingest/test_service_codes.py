"""Layout "service_codes": an annex of projects coded by service (``DS-S-2``, ``DI-L 2``, ``Pr-1``)
under directorate and service headings, rows wrapped over several lines."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from jalon.ingest import engine
from jalon.ingest.cases import load_case
from jalon.ingest.document import Document, Line
from jalon.ingest.draft import PlanDraft
from jalon.ingest.errors import IngestError
from samples import SEEDS, needs_seeds  # the seeds, copied under src/jalon/demo/seeds

SEED = SEEDS / "000_8a41bf1af2e14d4d.txt"
CASE = load_case("service_codes")


def parse(doc: Document) -> PlanDraft:
    """The structure engine reading with the case «service_codes» (fields as printed)."""
    return engine.parse(doc, case=CASE)


def score(doc: Document) -> float:
    return CASE.score(doc)


def _doc(path: Path) -> Document:
    return Document.from_text(path.name, path.read_text(encoding="utf-8"))


def _finalize(draft: PlanDraft) -> PlanDraft:
    from jalon.ingest.fields import finalize

    return finalize(draft)


@pytest.fixture(scope="module")
def seed() -> PlanDraft:
    return parse(_doc(SEED))


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def fields(draft: PlanDraft, code: str) -> dict:
    node = draft.get(code)
    assert node is not None, code
    return node.fields


def level(draft: PlanDraft, name: str) -> list:
    return [n for n in draft.nodes if n.level == name]


# -- recognising the layout --------------------------------------------------------------------


@needs_seeds
def test_score_is_highest_on_its_own_layout() -> None:
    scores = {p.name: score(_doc(p)) for p in sorted(SEEDS.glob("*.txt"))}
    own = scores.pop(SEED.name)
    assert own >= 0.9
    assert len(scores) >= 4
    for name, other in scores.items():
        assert other <= 0.3, name
        assert own - other >= 0.5, name


def test_score_on_synthetic_and_empty_documents() -> None:
    assert score(Document.from_text("s", SYNTHETIC)) >= 0.7
    assert score(Document.from_text("e", "")) == 0.0
    prose = "Le 5 mars 2023, les 3 axes du plan ont été votés.\nPage 11 - Objectif 5 : agir\n" * 30
    assert score(Document.from_text("p", prose)) < 0.2


# -- the seed: tree ------------------------------------------------------------------------------


@needs_seeds
def test_seed_counts_per_level(seed: PlanDraft) -> None:
    assert seed.layout == "service_codes"
    counts = seed.counts_per_level()
    assert counts["Projet"] == 105
    assert counts["Direction"] == 5
    assert 12 <= counts["Service"] <= 16


@needs_seeds
def test_seed_directorates_and_services_come_from_the_annex_headings(seed: PlanDraft) -> None:
    tops = [n for n in seed.nodes if n.parent is None]
    assert [n.level for n in tops] == ["Direction"] * 5
    assert tops[0].title == "La direction générale sociale"
    assert {n.title for n in seed.children(tops[0].code)} >= {
        "L’aide sociale", "Le soutien familial", "La direction logistique",
        "La direction du personnel"}
    # no node for the prose part (diagnosis, priorities) nor for the annex title
    titles = {n.title for n in seed.nodes}
    assert not titles & {"Etat des lieux", "Enquête de satisfaction", "Annexes",
                         "Développement des objectifs sous forme de projets"}


@needs_seeds
def test_seed_projects_sit_under_their_service(seed: PlanDraft) -> None:
    def parent_title(code: str) -> str:
        return seed.get(seed.get(code).parent).title

    assert parent_title("DS-S-2") == "L’aide sociale"
    assert parent_title("DS-C-5") == "Le soutien familial"
    assert parent_title("DI-L-3") == "La direction Logement"
    assert parent_title("DC-F-1") == "La direction financière"  # a directorate without services
    assert parent_title("DKV-4") == "Assurance hospitalisation (DKV)"
    assert parent_title("DE-R-16") == "Avantages sociaux, culturels et promotionnels"
    assert parent_title("A-4") == "L’audit"
    assert parent_title("PR-8") == "Le conseiller en prévention"
    for node in level(seed, "Projet"):
        assert seed.get(node.parent).level in ("Direction", "Service")


@needs_seeds
def test_seed_codes_are_normalised_and_keep_their_printed_form(seed: PlanDraft) -> None:
    codes = [n.code for n in seed.nodes]
    assert len(codes) == len(set(codes))
    assert fields(seed, "DI-L-2")["code_as_printed"] == "DI-L 2"
    assert fields(seed, "PR-1")["code_as_printed"] == "Pr-1"
    assert "code_as_printed" not in fields(seed, "PR-8")
    assert "DS-H-1" in seed  # printed "DS-H-" with the number wrapped onto the next line
    for node in level(seed, "Projet"):
        assert node.code == node.code.upper()
        assert "DS-C-4-2" not in node.code  # a code cited in a cell is not a new project
    assert not [w for w in seed.warnings if "déjà utilisé" in w.message]


@needs_seeds
def test_seed_every_project_line_shows_its_code(seed: PlanDraft, seed_lines: list[str]) -> None:
    for node in level(seed, "Projet"):
        printed = node.fields.get("code_as_printed", node.code)
        text = seed_lines[node.line - 1]
        assert printed.split("-")[0] in text, (node.code, text)
        for key, line in node.field_lines.items():
            assert node.line <= line <= node.line + 60, (node.code, key, line)


# -- the seed: fields ----------------------------------------------------------------------------


@needs_seeds
def test_seed_titles_and_objectives(seed: PlanDraft) -> None:
    n = seed.get("DS-S-1")
    assert n.title == "Offrir une médiation familiale gratuite aux bénéficiaires"
    assert n.fields["objective"].startswith("Démarche positive en Flandre")
    # title and objective on one line
    assert seed.get("DS-S-6").title == "Deradicalisering"
    assert fields(seed, "DS-S-6")["objective"].startswith("Groupe de réflexion")
    assert seed.get("DKV-2").title == "Update Application"
    assert seed.get("DC-J-3").title == "Défense de l’OCASC"
    # a title wrapped in a narrow column, a word cut by the column
    assert seed.get("DS-C-3").title == "Réseau de crèches"
    assert seed.get("DS-C-4").title == "communication"
    # no title printed: the objective stands in, with a warning
    assert seed.get("DE-R-3").title.startswith("Disposer d'un rapport annuel")
    assert any(w.code == "DE-R-3" and w.line == seed.get("DE-R-3").line for w in seed.warnings)


@needs_seeds
def test_seed_timing(seed: PlanDraft) -> None:
    f = fields(seed, "DS-S-1")
    assert (f["timing"], f["start"], f["end"]) == ("2022 - 2027", "2022", "2027")
    f = fields(seed, "DS-S-2")
    assert (f["timing"], f["start"], f["end"]) == ("2023", "2023", "2023")
    f = fields(seed, "DE-R-1")
    assert f["timing"] == "Permanent" and "start" not in f
    assert fields(seed, "DS-H-2")["timing"] == "Continu"
    f = fields(seed, "DI-W-6")
    assert "Réalisé" in f["timing"] and f["status"] == "done"
    assert fields(seed, "DS-C-1")["timing"] == "2025 - 2027 (En fonction de la fin des travaux)"
    # a year inside the objective is not a timing
    assert "timing" not in fields(seed, "DI-I-3")
    assert fields(seed, "DE-R-11")["timing"] == "Permanent"
    # a misprinted range is kept as printed, read, and reported
    f = fields(seed, "DI-I-6")
    assert (f["timing"], f["end"]) == ("2023-2à24", "2024")
    assert any(w.code == "DI-I-6" for w in seed.warnings)
    with_timing = [n for n in level(seed, "Projet") if "timing" in n.fields]
    assert len(with_timing) >= 80


@needs_seeds
def test_seed_people_columns(seed: PlanDraft) -> None:
    f = fields(seed, "DC-L-6")  # "2023 DC-L DE-R CODIR"
    assert (f["owners"], f["enablers"], f["steering"]) == ("DC-L", "DE-R", "CODIR")
    f = fields(seed, "DI-L-5")
    assert (f["owners"], f["enablers"], f["steering"]) == ("DI-L", "DI-W", "SMC")
    f = fields(seed, "DE-R-2")  # "Permanent DE-R  DELCOM": two spaces = an empty column
    assert (f["owners"], f["steering"]) == ("DE-R", "DELCOM") and "enablers" not in f
    f = fields(seed, "A-2")  # "2022   CODIR": lead and enablers empty
    assert f["steering"] == "CODIR" and "owners" not in f
    f = fields(seed, "DS-S-10")  # wrapped enablers cell
    assert (f["owners"], f["enablers"]) == ("DI-I", "Groupe de projet NWoW")
    f = fields(seed, "DC-V-1")  # the steering group after a blank line
    assert f["owners"] == "DC-V" and f["steering"] == "CODIR"
    assert "DC-F" in f["enablers"]
    assert fields(seed, "DS-H-1")["enablers"] == "Selor, Défense, VDAB, Actiris, Le Forem"
    assert fields(seed, "DI-L-7")["owners"] == "DI-L"  # printed "DI -L"
    # "2023  . CODIR": the spacing is misleading, the document's habit decides (with a warning)
    assert fields(seed, "PR-8")["steering"] == "CODIR" and "enablers" not in fields(seed, "PR-8")
    assert any(w.code == "PR-8" and "CODIR" in w.message for w in seed.warnings)


@needs_seeds
def test_seed_finalized_fields(seed: PlanDraft) -> None:
    draft = _finalize(parse(_doc(SEED)))
    f = fields(draft, "DS-S-2")
    assert f["owners"] == ["Ministre de la Défense", "SSD"]
    f = fields(draft, "DC-J-5")
    assert f["enablers"] == ["DI-W", "DI-L", "DC-V"] and f["steering"] == ["CODIR"]
    assert fields(draft, "DS-H-1")["enablers"][:2] == ["Selor", "Défense"]
    assert draft.get("DS-S-1").depth == 2
    assert not [w for w in draft.warnings if "date non reconnue" in w.message]


@needs_seeds
def test_seed_services_keep_mission_and_vision(seed: PlanDraft) -> None:
    service = next(n for n in seed.nodes if n.title == "Le soutien familial")
    assert service.fields["description"].startswith("Organiser les crèches")
    assert "business model" in service.fields["objective"]


@needs_seeds
def test_seed_metadata(seed: PlanDraft) -> None:
    assert seed.title == "Plan Stratégique 2023-2028"
    assert (seed.period_start, seed.period_end) == (2023, 2028)
    assert seed.kind == "strategic"
    assert seed.organization == "OCASC"
    assert len(seed.extra["axes"]) == 4
    assert seed.extra["axes"][1] == "Améliorer la qualité des services existants"


# -- another body's plan with the same layout ------------------------------------------------------

SYNTHETIC = """\
Juin 2024

Plan stratégique

2024-2029

1 Introduction

L’IRPAS accompagne les agents du secteur. Le plan de l’IRPAS couvre cinq ans.
L’IRPAS a tenu un atelier ; l’IRPAS en a tiré trois axes.
Trois axes en sont ressortis :

1. Mieux informer les usagers

2. Simplifier les démarches

3. Rénover les bâtiments

2 Annexes

2.1 Les projets par direction

2.1.1 La direction des opérations

2.1.1.1 Le service Transport

Mission :

Assurer le transport des usagers de l’IRPAS.

Vision :

Un transport fiable et durable.

Projets :

N° Prj. Projet Objectif (état final souhaité) Chef de

projet

Supporting

enablers

Steering

group Description Timing

OP-T-1 Renouveler la flotte
de véhicules

Remplacer les véhicules diesel par des
véhicules électriques

2024-2026 OP-T OP-F CODIR

OP-T-2 Plateforme en ligne Mettre en ligne un outil de réservation pour
les usagers

2025  OP-T

Op-t 3 Former les chauffeurs

Continu OP-T  RH

2.1.1.2 Le service Clients

N° Prj. Projet Objectif (état final souhaité) Chef de projet

AB-C-6 Accueil Ouvrir un guichet unique

2026 - 2027 (selon
les travaux)

AB-C

ab-c 7 Enquête de
satisfaction

Mesurer la satisfaction tous les deux ans

Réalisé    ABC

XY-Z-1 Charte qualité Rédiger la charte

2025 XY-Z

2.1.2 La direction financière

No

Proj. Projet Objectif Project lead Supporting enablers Steering group Timing

FI-1 Budget Tenir le budget à l'équilibre Permanent FI   CODIR

FI-2 Facturation électronique 2023 FI

2.2 Lettre de mission
"""


@pytest.fixture(scope="module")
def synthetic() -> PlanDraft:
    return parse(Document.from_text("irpas.txt", SYNTHETIC))


def test_synthetic_tree(synthetic: PlanDraft) -> None:
    d = synthetic
    assert d.counts_per_level() == {"Direction": 2, "Service": 3, "Projet": 8}
    tops = [n.title for n in d.nodes if n.parent is None]
    assert tops == ["La direction des opérations", "La direction financière"]
    assert d.get(d.get("OP-T-1").parent).title == "Le service Transport"
    assert d.get(d.get("FI-2").parent).title == "La direction financière"
    assert d.get("OP-T-1").line == SYNTHETIC.splitlines().index(
        "OP-T-1 Renouveler la flotte") + 1


def test_synthetic_codes_written_loosely(synthetic: PlanDraft) -> None:
    n = synthetic.get("AB-C-7")
    assert n.fields["code_as_printed"] == "ab-c 7"
    assert n.title == "Enquête de satisfaction"
    assert synthetic.get(n.parent).title == "Le service Clients"
    assert synthetic.get("OP-T-3").fields["code_as_printed"] == "Op-t 3"


def test_synthetic_missing_service_is_created_with_a_warning(synthetic: PlanDraft) -> None:
    service = synthetic.get("XY-Z")
    assert service is not None and service.level == "Service"
    assert synthetic.get("XY-Z-1").parent == "XY-Z"
    assert synthetic.get(service.parent).title == "La direction des opérations"
    assert any(w.code == "XY-Z" and w.line == service.line for w in synthetic.warnings)


def test_synthetic_fields(synthetic: PlanDraft) -> None:
    f = synthetic.get("OP-T-1").fields
    assert f["objective"] == "Remplacer les véhicules diesel par des véhicules électriques"
    assert (f["start"], f["end"], f["owners"], f["enablers"], f["steering"]) == (
        "2024", "2026", "OP-T", "OP-F", "CODIR")
    f = synthetic.get("OP-T-2").fields
    assert (synthetic.get("OP-T-2").title, f["objective"]) == (
        "Plateforme en ligne", "Mettre en ligne un outil de réservation pour les usagers")
    assert f["owners"] == "OP-T"
    f = synthetic.get("AB-C-6").fields
    assert f["timing"] == "2026 - 2027 (selon les travaux)"
    assert (synthetic.get("AB-C-6").title, f["objective"]) == ("Accueil", "Ouvrir un guichet unique")
    f = synthetic.get("AB-C-7").fields
    assert f["status"] == "done" and "start" not in f
    f = synthetic.get("FI-1").fields
    assert (f["timing"], f["owners"], f["steering"]) == ("Permanent", "FI", "CODIR")
    assert synthetic.get("2.1.1.1").fields["description"].startswith("Assurer le transport")


def test_synthetic_metadata(synthetic: PlanDraft) -> None:
    d = synthetic
    assert (d.title, d.period_start, d.period_end) == ("Plan stratégique 2024-2029", 2024, 2029)
    assert d.organization == "IRPAS"
    assert d.extra["axes"] == ["Mieux informer les usagers", "Simplifier les démarches",
                               "Rénover les bâtiments"]
    # the numbered list is not taken for headings "1", "2", "3"
    assert not [n for n in d.nodes if n.title == "Rénover les bâtiments"]


def test_synthetic_finalizes() -> None:
    draft = _finalize(parse(Document.from_text("irpas.txt", SYNTHETIC)))
    assert draft.get("OP-T-1").fields["owners"] == ["OP-T"]
    assert draft.to_dict()["plan"]["layout"] == "service_codes"


def test_projects_without_any_heading_get_nodes_from_their_prefix() -> None:
    text = "\n".join([
        "QU-A-1 Réduire les délais Traiter les dossiers en dix jours",
        "",
        "2025 QU-A  CODIR",
        "",
        "qu-a 2 Former les agents",
        "",
        "Permanent QU-A",
        "",
        "QU-B-1 Mesurer la qualité",
        "",
        "2026 QU-B",
        "",
        "Z-1 Audit interne 2024 AUD",
        "",
        "Z-2 Plan d'audit 2025 AUD",
        "",
        "ODD-3 est cité une seule fois : ce n'est pas un projet.",
    ])
    d = parse(Document.from_text("loose.txt", text))
    assert [n.code for n in d.nodes if n.parent is None] == ["QU", "Z"]
    assert [n.code for n in d.children("QU")] == ["QU-A", "QU-B"]
    assert [n.code for n in d.children("QU-A")] == ["QU-A-1", "QU-A-2"]
    assert d.get("QU-A-2").fields["code_as_printed"] == "qu-a 2"
    assert d.get("Z-1").parent == "Z"
    assert "ODD-3" not in d
    assert d.get("QU-A-1").line == 1 and d.get("QU-B-1").line == 9
    warned = {w.code for w in d.warnings}
    assert {"QU", "QU-A", "QU-B", "Z"} <= warned


def test_a_project_under_another_services_heading_stays_there_with_a_warning() -> None:
    text = "\n".join([
        "3.1 La direction des achats", "", "3.1.1 Le service Marchés", "",
        "AC-M-1 Publier les marchés", "", "2024 AC-M", "",
        "3.1.2 Le service Stocks", "",
        "AC-S-1 Compter les stocks", "", "2025 AC-S", "",
        "AC-M-2 Suivre les fournisseurs", "", "Permanent AC-M", "",
    ])
    d = parse(Document.from_text("mixed.txt", text))
    assert d.get("AC-M-2").parent == "3.1.2"
    assert any(w.code == "AC-M-2" and w.line == 15 for w in d.warnings)
    assert "AC-M" not in d  # no node made up: the service has a heading


def test_table_rows_from_a_docx_reader_are_read_by_their_header() -> None:
    header = ("N° Prj.", "Projet", "Objectif (état final souhaité)", "Chef de projet",
              "Supporting enablers", "Steering group", "Timing")
    spec = [
        ("Plan stratégique 2025-2030", "", None),
        ("Direction des services", "Heading 1", None),
        ("Service Accueil", "Heading 2", None),
        ("", "", header),
        ("", "", ("SV-A-1", "Guichet unique", "Un seul point de contact", "SV-A", "SV-I",
                  "CODIR", "2025-2026")),
        ("", "", ("", "", "pour tous les usagers", "", "SV-F", "", "")),
        ("", "", ("sv-a 2", "Charte", "Publier une charte", "SV-A", "", "", "Réalisé")),
        ("Service Informatique", "Heading 2", None),
        ("", "", ("SV-I-1", "Cloud", "Migrer", "SV-I", "", "CODIR", "Permanent")),
    ]
    lines = [Line(i, text or " | ".join(cells or ()), None, style, cells)
             for i, (text, style, cells) in enumerate(spec, start=1)]
    d = parse(Document("plan.docx", lines, "docx"))
    assert d.counts_per_level() == {"Direction": 1, "Service": 2, "Projet": 3}
    assert d.get(d.get("SV-A-2").parent).title == "Service Accueil"
    f = d.get("SV-A-1").fields
    assert f["objective"] == "Un seul point de contact pour tous les usagers"
    assert (f["owners"], f["enablers"], f["steering"], f["start"], f["end"]) == (
        "SV-A", "SV-I\nSV-F", "CODIR", "2025", "2026")
    assert d.get("SV-A-2").fields["status"] == "done"
    assert d.get("SV-A-2").fields["code_as_printed"] == "sv-a 2"
    assert d.get("SV-I-1").line == 9


# -- bad input ---------------------------------------------------------------------------------------


def test_empty_and_unrelated_documents_give_an_empty_draft() -> None:
    for text in ("", "\n\n  \n", "Rien à voir ici.\nLe 3 mai 2022 : réunion.\n"):
        d = parse(Document.from_text("x.txt", text))
        assert d.nodes == [] and d.warnings


def test_garbage_never_raises_anything_but_ingest_error() -> None:
    rnd = random.Random(7)
    pieces = ["DS-S-1", "ab-c 7", "DI-L 2", "2023", "Permanent", "(En", ")", "   CODIR",
              "6.1.1 La direction", "6.1.1.1 X", "No", "DS-H-", "1", "", "Réalisé", "2023-2à24",
              "é", "\t", "-", "DE-R  CODIR", "1. Liste", "Mission :"]
    alphabet = string.printable + "éà–’°\u00a0"
    for i in range(300):
        if i % 2:
            lines = [rnd.choice(pieces) + rnd.choice(["", " ", "  Titre", " Abc 2023   XY"])
                     for _ in range(rnd.randint(0, 40))]
        else:
            lines = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60)))
                     for _ in range(30)]
        doc = Document.from_text("garbage.txt", "\n".join(lines))
        assert 0.0 <= score(doc) <= 1.0
        try:
            parse(doc).to_dict()
        except IngestError:
            pass


@needs_seeds
def test_seed_cut_anywhere_still_parses(seed_lines: list[str]) -> None:
    rnd = random.Random(3)
    for _ in range(40):
        a = rnd.randint(1300, 3300)
        part = seed_lines[a:a + rnd.randint(1, 250)]
        draft = parse(Document.from_text("part.txt", "\n".join(part)))
        codes = [n.code for n in draft.nodes]
        assert len(codes) == len(set(codes))
