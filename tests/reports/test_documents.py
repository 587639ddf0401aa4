"""Council documents: every format opens in LibreOffice, the PDF says every action's code and
title, in Belgian formats, with the organization's look and the chosen sections."""

import re
import subprocess
from pathlib import Path

import pytest
from office import has_draw, pdf_is_sound, pdf_text, soffice_converts

from jalon.reports import services
from jalon.reports.document import Look
from jalon.reports.models import ReportSettings
from jalon.reports.renderers import FORMATS, render

FORMAT_NAMES = sorted(FORMATS)


def squash(text: str) -> str:
    """Whitespace and hyphens removed: long titles wrap anywhere in a PDF's text, and
    pdftotext drops a «-» that ends a line (it takes it for a hyphenation)."""
    return re.sub(r"[\s-]+", "", text)


def assert_every_node_is_in(text: str, plan) -> None:
    flat = squash(text)
    missing = [(n.code, n.title) for n in plan.nodes.all()
               if squash(n.code) not in flat or squash(n.title) not in flat]
    assert not missing, f"{len(missing)} items missing from the PDF, e.g. {missing[:3]}"


def produce(obj, fmt: str, tmp_path: Path, **kw) -> Path:
    path = tmp_path / f"report-{fmt}.{fmt}"  # one PDF name per format once converted
    path.write_bytes(render(obj, fmt, **kw))
    return path


def produce_document(doc, tmp_path: Path) -> Path:
    from jalon.reports.renderers import render_document

    path = tmp_path / "document.pdf"
    path.write_bytes(render_document(doc, "pdf"))
    return path


def produce_all(obj, tmp_path: Path) -> dict[str, Path]:
    return {fmt: produce(obj, fmt, tmp_path) for fmt in FORMAT_NAMES}


def test_every_format_of_a_plan_of_the_world_opens_in_libreoffice(followed, tmp_path):
    files = produce_all(followed.plan, tmp_path)
    converted = soffice_converts(list(files.values()), tmp_path)  # the PDF too: 6 pages
    pdf_is_sound(files["pdf"])
    assert_every_node_is_in(pdf_text(files["pdf"]), followed.plan)
    assert_every_node_is_in(pdf_text(converted[files["docx"]]), followed.plan)
    assert "Rénover" in pdf_text(converted[files["pdf"]])
    for fmt in ("xlsx", "ods"):
        assert "Former le personnel" in pdf_text(converted[files[fmt]])


def test_every_format_of_each_demo_plan_opens_in_libreoffice(demo_plan, tmp_path):
    """The five seed documents, imported: the slowest test of the suite (a PDF of 20–70
    pages each, and LibreOffice)."""
    files = produce_all(demo_plan, tmp_path)
    office = [files[fmt] for fmt in ("docx", "xlsx", "ods")]
    converted = soffice_converts(office, tmp_path)
    assert pdf_is_sound(files["pdf"]) > 5
    assert_every_node_is_in(pdf_text(files["pdf"]), demo_plan)
    assert_every_node_is_in(pdf_text(converted[files["docx"]]), demo_plan)
    first = demo_plan.nodes.order_by("depth", "position").first().code
    for fmt in ("xlsx", "ods"):
        assert squash(first) in squash(pdf_text(converted[files[fmt]]))


def test_the_annex_reproduces_the_action_sheets_of_seed_003(seed_plan, tmp_path):
    text = pdf_text(produce(seed_plan, "pdf", tmp_path, sections=["annex"]))
    # (the title is the sheet's heading; empty fields are listed together, under their labels)
    for label in ("DÉBUT", "FIN", "DÉPARTEMENT", "OBJECTIF STRATÉGIQUE",
                  "OBJECTIF OPÉRATIONNEL", "DESCRIPTION", "CONTEXTE", "RISQUE(S)",
                  "CHEF DE PROJET", "ÉQUIPE PROJET", "MANDATAIRE", "PARTENAIRE(S)", "LIVRABLES",
                  "RESSOURCES", "COMMENTAIRE(S)", "T.AVANCEMENT"):
        assert label in text
    assert "1.1.1.1.1 Réalisation d’un marché public" in text
    assert "PHILIPPART GAVIN" in text and "J2P, Eonix" in text and "10 %" in text


def test_the_long_pdf_of_the_seed_plan_opens_in_libreoffice(seed_plan, tmp_path):
    if not has_draw():
        pytest.skip("LibreOffice Draw is not installed (apt-get install libreoffice-draw-nogui):"
                    " Writer's PDF import takes minutes for this 60-page PDF. Its text and "
                    "soundness are checked with poppler in the test above.")
    path = produce(seed_plan, "pdf", tmp_path)
    converted = soffice_converts([path], tmp_path)
    assert "1.1.1.1.1" in pdf_text(converted[path])


def test_the_pdf_uses_belgian_formats(followed, tmp_path):
    e = services.create_evaluation(followed.plan, kind="final",
                                   as_of=__import__("datetime").date(2024, 12, 31))
    text = pdf_text(produce(e, "pdf", tmp_path))
    assert "31/12/2024" in text
    assert "1.234,56 €" in text and "12.000 €" in text and "3.734,56 €" in text
    assert "40 %" in text and "Évaluation finale" in text


def test_an_evaluation_document_carries_its_assessments(followed, tmp_path):
    e = services.create_evaluation(followed.plan, kind="mid_term")
    services.save_assessments(e, overall="Le plan avance bien.",
                              items={"1": "Objectif en bonne voie", "1.1": "Chantier lancé"})
    e.refresh_from_db()
    text = pdf_text(produce(e, "pdf", tmp_path))
    for words in ("Le plan avance bien.", "Objectif en bonne voie", "Chantier lancé",
                  "Évaluation à mi-parcours"):
        assert words in text


def test_sections_can_be_chosen(followed, tmp_path):
    text = pdf_text(produce(followed.plan, "pdf", tmp_path, sections=["cover", "budget"]))
    assert "Budget" in text and "PST Amay" in text
    assert "CHEF DE PROJET" not in text and "Tableau des actions" not in text
    with pytest.raises(ValueError):
        render(followed.plan, "pdf", sections=["nope"])


def test_the_organizations_look_is_used(followed, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), "#aa3300").save(logo)
    from jalon.reports.renderers import prepare
    from jalon.reports.renderers.pdf import council_data

    doc = prepare(followed.plan, look=Look(color="#aa3300", logo_path=str(logo),
                                           footer="Conseil du 12/03/2025"))
    data = council_data(doc)
    assert (data["color"], data["logo"], data["logo_kind"]) == ("#aa3300", "logo.png", "png")
    assert "Conseil du 12/03/2025" in data["footer"]
    path = produce_document(doc, tmp_path)
    assert "Conseil du 12/03/2025" in pdf_text(path)
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                            check=True, timeout=60).stdout
    assert re.search(r"\b120\s+40\b", images), "the logo is not in the PDF"
    for fmt in FORMAT_NAMES:  # every format accepts a logo
        assert render(followed.plan, fmt, look=doc.look)


def test_the_look_and_sections_come_from_the_organizations_settings(followed, tmp_path):
    ReportSettings.objects.create(organization=followed.org, primary_color="#123456",
                                  footer="Pied de page maison", sections=["cover", "actions"])
    from jalon.reports.renderers import prepare
    from jalon.reports.renderers.pdf import council_data

    doc = prepare(followed.plan)
    assert doc.sections == ["cover", "actions"]
    data = council_data(doc)
    assert data["color"] == "#123456" and "Pied de page maison" in data["footer"]
    assert [s["kind"] for s in data["sections"]] == ["cover", "actions"]


def test_a_hostile_colour_never_reaches_the_template(followed):
    from jalon.reports.renderers import prepare
    from jalon.reports.renderers.pdf import DEFAULT_COLOR, council_data

    doc = prepare(followed.plan, look=Look(color='red") #panic("x'))
    assert council_data(doc)["color"] == DEFAULT_COLOR


def test_progress_is_reported_up_to_the_end(followed):
    for fmt in FORMAT_NAMES:
        steps: list[tuple[int, int]] = []
        render(followed.plan, fmt,
               progress=lambda done, total, label, steps=steps: steps.append((done, total)))
        assert steps[0][0] == 1 and steps[-1][0] == steps[-1][1]
        assert [d for d, _ in steps] == list(range(1, steps[-1][1] + 1))
        assert len(steps) == 9  # snapshot, 5 sections, annex in 2 slices, writing


def test_one_sheet_per_page_is_an_organizations_choice(followed, tmp_path):
    flowing = pdf_is_sound(produce(followed.plan, "pdf", tmp_path, sections=["annex"]))
    ReportSettings.objects.create(organization=followed.org, sheet_per_page=True)
    paged = pdf_is_sound(produce(followed.plan, "pdf", tmp_path, sections=["annex"]))
    assert (flowing, paged) == (1, 2)


def test_the_summary_counts_what_its_total_counts(followed, tmp_path):
    """«Statut des actions» lists the actions by status, and its «Total» is their sum (not
    the count of every level above a total of actions)."""
    import docx

    table = next(t for t in docx.Document(produce(followed.plan, "docx", tmp_path)).tables
                 if t.rows[0].cells[0].text == "Statut des actions")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    *by_status, (label, total) = rows
    assert label == "Total" and int(total) == 2  # the two actions of plan A
    assert sum(int(n) for _, n in by_status) == int(total)


def test_the_council_document_writes_periods_as_people_do(followed, tmp_path):
    """The indicator's latest value and its trend say «T1 2024», not the stored «2024-Q1»."""
    from jalon.tracking.services import record_measurement

    record_measurement(followed.indicator, "2024-Q1", 12)
    text = squash(pdf_text(produce(followed.plan, "pdf", tmp_path)))
    assert "T12024" in text and "2024Q1" not in text  # (squashed)


def test_an_objectives_line_is_the_same_in_pdf_and_docx_and_punctuated_per_language(
        followed, tmp_path):
    """The line under each objective («Axe · avancement 25 % · 2 actions · En cours : 2») is
    prepared once: the PDF and the DOCX print the same words, «: » in Dutch, « : » in French."""
    import docx
    from django.utils import translation

    from jalon.reports.document import build_document
    from jalon.reports.renderers.pdf import council_data
    from jalon.reports.snapshot import take_snapshot

    for language, sep in (("fr", " : "), ("nl", ": ")):
        (tmp_path / language).mkdir()
        with translation.override(language):
            doc = build_document(take_snapshot(followed.plan))
            line = doc.objectives[0]["line"]
            summary = next(s for s in council_data(doc)["sections"] if s["kind"] == "summary")
            assert summary["objectives"][0]["line"] == line
            paragraphs = [p.text for p in docx.Document(
                produce(followed.plan, "docx", tmp_path / language)).paragraphs]
        assert line in paragraphs
        assert f"{sep}2" in line and (language == "fr" or " : " not in line)
