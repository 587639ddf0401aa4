"""Writers (XLSX, ODS, CSV, DOCX) and their round trip through the readers and parsers."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from typing import Any

import docx
import openpyxl
import pytest

from jalon.ingest import writers
from jalon.ingest.draft import PlanDraft
from jalon.ingest.fields import finalize
from jalon.ingest.parsers import jalon_docx, tabular
from jalon.ingest.readers import read_bytes


def synthetic_draft() -> PlanDraft:
    """Depth 4, every field kind, separators inside values, accents, odd characters."""
    d = PlanDraft(title="Plan stratégique — Office des Œuvres", kind="strategic",
                  organization="Office d'Ételbeek", period_start=2024, period_end=2029,
                  levels=["Axe", "Objectif stratégique", "Objectif opérationnel", "Action"],
                  language="fr", source="plan-office.pdf", extra={"adopté": "2024-03-01"})
    axe = d.add("Un service public proche", code="1", line=3)
    axe.set("description", "Première phrase.\nSeconde / avec une barre ; et un point-virgule")
    axe.set("domain", "Social")
    os_ = d.add("Accueillir mieux", code="1.1", parent="1", line=8)
    os_.set("owners", ["Dupont (DG / DF)", "Martin"])
    os_.set("departments", ["Finances", "Ressources humaines"])
    os_.set("steering", ["Comité de direction"])
    os_.set("start", "09/2024")
    os_.set("end", "T+4 ans")
    oo = d.add("Réduire l'attente", code="1.1.1", parent="1.1", line=12)
    oo.set("budget_eur", [12500.0, 3000.5])
    oo.set("budget_as_printed", "12 500 € / 3 000,50 €")
    oo.set("fte", 1.5)
    oo.set("progress", 75)
    oo.set("funding", "Subside régional")
    oo.add_indicator("Taux de réponse: courriers; e-mails", "80 % dans les 5 jours / 100 % "
                     "dans le mois")
    oo.add_indicator("Satisfaction", None)
    oo.add_indicator("Délai moyen", "≤ 10 jours ouvrables")
    act = d.add("Former les agents = SUM(A1)", code="1.1.1.1", parent="1.1.1", line=20)
    act.set("deliverables", ["rapport annuel / mi-parcours", "tableau de bord"])
    act.set("risks", ["retard du marché public", "rotation du personnel"])
    act.set("deadline", "2025")
    act.set("comment", "=SUM(A1) n'est pas une formule")
    act.set("team", ["Cellule formation"])
    act.set("mandataire", ["Présidente"])
    act.set("partners", ["Forem", "Région wallonne"])
    act.set("status", "en cours")
    act.set("budget_eur", [5000000.0])
    act.set("budget_as_printed", "5 M€")
    act.set("enablers", ["Informatique"])
    act.set("tags", ["ODD 3", "ODD 10"])
    act.set("timing", "2023-2028")
    act.set("context", "Contexte « budgétaire »")
    act.set("objective", "État final souhaité")
    d.add("Action importée", code="DI-L-2", parent="1.1.1", line=25, printed="DI-L 2")
    d.add("Un service durable", code="2", line=30)
    d.add("Action à code dérivé", parent="2", line=31)
    return finalize(d)


def comparable(draft: PlanDraft) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    data = finalize(draft).to_dict()
    plan = {k: v for k, v in data["plan"].items() if k not in ("layout", "source")}
    nodes = []
    for n in data["nodes"]:
        fields = {k: v for k, v in n["fields"].items() if k != "indicators"}
        indicators = [(i["name"], i["target"]) for i in n["fields"].get("indicators", [])]
        nodes.append((n["code"], n["parent"], n["depth"], n["title"], n["level"], fields,
                      indicators))
    return plan, nodes


def test_synthetic_draft_is_what_it_claims():
    plan, nodes = comparable(synthetic_draft())
    assert max(n[2] for n in nodes) == 3  # depth 4
    assert nodes[2][5]["budget_eur"] == [12500.0, 3000.5]


@pytest.mark.parametrize("name, write", [
    ("plan.xlsx", writers.draft_to_xlsx),
    ("plan.ods", writers.draft_to_ods),
    ("plan.docx", writers.draft_to_docx),
])
def test_round_trip_keeps_the_plan(name, write):
    original = synthetic_draft()
    doc = read_bytes(name, write(original))
    parser = jalon_docx if doc.kind == "docx" else tabular
    other = tabular if parser is jalon_docx else jalon_docx
    assert parser.score(doc) >= 0.9 > other.score(doc) + 0.5
    parsed = parser.parse(doc)
    assert parsed.layout == parser.NAME
    assert parsed.warnings == []
    assert comparable(parsed) == comparable(original)
    assert all(n.line for n in parsed.nodes)


def test_csv_round_trip_keeps_the_nodes():
    original = synthetic_draft()
    text = writers.draft_to_csv(original)
    doc = read_bytes("plan.csv", text.encode("utf-8-sig"))
    parsed = tabular.parse(doc)
    assert comparable(parsed)[1] == comparable(original)[1]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["code", "parent", "niveau", "titre"]
    assert len(rows) == len(original.nodes) + 1


def test_xlsx_layout():
    data = writers.draft_to_xlsx(synthetic_draft())
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Plan", "Plan info"]
    plan = wb["Plan"]
    header = [c.value for c in plan[1]]
    assert header[: len(tabular.TEMPLATE_COLUMNS)] == tabular.TEMPLATE_COLUMNS
    assert "domaine" in header and "étiquettes" in header  # optional columns in use
    comment = header.index("commentaire") + 1
    assert plan.cell(row=5, column=comment).data_type == "s"  # "=SUM(…)" stays text
    info = {r[0]: r[1] for r in wb["Plan info"].iter_rows(min_row=2, values_only=True)}
    assert info["Organisation"] == "Office d'Ételbeek"
    assert info["Niveaux"] == "Axe / Objectif stratégique / Objectif opérationnel / Action"


def test_docx_layout():
    data = writers.draft_to_docx(synthetic_draft())
    document = docx.Document(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert headings[0] == ("Title", "Plan stratégique — Office des Œuvres")
    assert ("Heading 1", "1 — Un service public proche") in headings
    assert ("Heading 4", "1.1.1.1 — Former les agents = SUM(A1)") in headings
    labels = {row.cells[0].text for t in document.tables for row in t.rows}
    assert {"Échéance", "Responsables", "Budget (EUR)", "Indicateurs", "Organisation"} <= labels


def test_docx_deeper_than_word_headings():
    d = PlanDraft(title="Profond")
    parent = None
    for i in range(12):
        parent = d.add(f"niveau {i + 1}", code="N" + str(i), parent=parent).code
    d.add("retour en haut", code="TOP")
    doc = read_bytes("deep.docx", writers.draft_to_docx(d))
    parsed = jalon_docx.parse(doc)
    assert [(n.code, n.parent) for n in parsed.nodes] == [
        (n.code, n.parent) for n in d.finish().nodes]


def test_empty_draft_writes_valid_files():
    empty = PlanDraft()
    for name, write in [("e.xlsx", writers.draft_to_xlsx), ("e.ods", writers.draft_to_ods),
                        ("e.docx", writers.draft_to_docx)]:
        doc = read_bytes(name, write(empty))
        assert doc.lines
    assert writers.draft_to_csv(empty).startswith("code;parent;niveau;titre")


def test_control_characters_do_not_break_the_files():
    d = PlanDraft(title="=x\x07y")
    d.add("titre\x0b avec \x01 contrôle", code="1").set("comment", "a\x00b")
    for name, write in [("c.xlsx", writers.draft_to_xlsx), ("c.ods", writers.draft_to_ods),
                        ("c.docx", writers.draft_to_docx)]:
        doc = read_bytes(name, write(d))
        parser = jalon_docx if doc.kind == "docx" else tabular
        parsed = parser.parse(doc)
        assert parsed.title == "=xy"  # not a formula either
        node = parsed.nodes[0]
        assert node.title == "titre avec contrôle"
        assert node.fields["comment"] == "ab"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("suffix, write", [("xlsx", writers.draft_to_xlsx),
                                           ("ods", writers.draft_to_ods),
                                           ("docx", writers.draft_to_docx)])
def test_libreoffice_opens_the_files(tmp_path, suffix, write):
    source = tmp_path / f"plan.{suffix}"
    source.write_bytes(write(synthetic_draft()))
    target = "pdf"
    # its own profile: two LibreOffice runs sharing one (pytest -n 2) make the second fail
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--headless", "--convert-to", target, "--outdir", str(tmp_path),
                    str(source)], check=True, timeout=180, capture_output=True)
    assert (tmp_path / f"plan.{target}").stat().st_size > 1000
