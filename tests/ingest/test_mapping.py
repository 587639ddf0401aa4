"""Column mapping: headers → fields by the vocabulary file, by the cells' content, or by an
explicit mapping (a saved profile, a user's correction).  Fictitious bodies only."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation

from jalon.ingest import parse_bytes
from jalon.ingest.mapping import (
    FIELDS,
    field_for,
    level_for,
    normalise_header,
    propose_columns,
    vocabulary,
)
from jalon.ingest.readers import read_bytes

COORDINATOR_HEADER = ["N°", "Objectif / Action", "Service responsable", "Pilote", "Date de fin",
                      "Budget (€)", "Indicateur", "Cible"]
COORDINATOR_ROWS = [
    ["1", "Rompre l'isolement des aînés", "Service seniors", "Mme Alice Fontaine",
     datetime.date(2027, 12, 31), 40000, "Aînés visités", "300"],
    ["1.1", "Créer un réseau de visiteurs bénévoles", "Service seniors", "M. Hugo Leclercq",
     datetime.date(2026, 6, 30), 12500.5, "Bénévoles actifs", "40"],
    ["1.2", "Ouvrir un café-rencontre mensuel", "Service animation", "Mme Ines Baert",
     datetime.date(2026, 9, 30), 3000, "Participants par séance", "25"],
    ["2", "Simplifier l'accès aux aides", "Service social", "M. Omar Benali",
     datetime.date(2028, 12, 31), 0.0, "Délai de traitement", "20 jours"],
    ["2.1", "Mettre en ligne un formulaire unique", "Informatique", "Mme Lea Dumont",
     datetime.date(2027, 3, 31), 18000, "Demandes en ligne", "60 %"],
]


def xlsx(rows, title_rows=(), sheet="Plan", formats=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in title_rows:
        ws.append(row)
    for row in rows:
        ws.append(row)
    for (col, fmt) in (formats or {}).items():
        for r in range(1, ws.max_row + 1):
            ws.cell(r, col).number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def coordinator_xlsx():
    return xlsx([COORDINATOR_HEADER, *COORDINATOR_ROWS],
                title_rows=[["Plan d'action 2026-2028 — CPAS de Fagnolle-sur-Viroin"], []],
                formats={6: '#,##0.00 "€"'})


def test_the_coordinators_spreadsheet_imports_with_its_eight_columns_mapped():
    draft = parse_bytes("plan_cpas.xlsx", coordinator_xlsx())
    fields = [c["field"] for c in draft.columns]
    assert fields == ["code", "title", "departments", "owners", "end", "budget_eur",
                      "indicators", "indicator_target"]
    assert {c["source"] for c in draft.columns} == {"vocabulary"}
    assert draft.columns[3]["samples"] == ["Mme Alice Fontaine", "M. Hugo Leclercq",
                                           "Mme Ines Baert"]
    assert draft.title == "Plan d'action 2026-2028 — CPAS de Fagnolle-sur-Viroin"
    assert (draft.period_start, draft.period_end) == (2026, 2028)
    by_code = {n.code: n for n in draft.nodes}
    assert by_code["1.2"].parent == "1" and by_code["2.1"].parent == "2"
    assert by_code["1.1"].fields["end"] == "2026-06-30"  # a date cell is a date
    assert by_code["1.1"].fields["budget_eur"] == [12500.5]
    assert by_code["2.1"].fields["indicators"] == [
        {"name": "Demandes en ligne", "target": "60 %", "line": 8}]
    assert by_code["1"].fields["owners"] == ["Mme Alice Fontaine"]
    assert not [w for w in draft.warnings if "date" in w.message]
    assert draft.structure == "table: codes"


def test_an_unknown_column_is_kept_as_an_extra_field_and_never_rejects_the_file():
    rows = [["code", "titre", "couleur", "responsable"],
            ["1", "Verdir les cours d'école", "vert", "Mme Zoé Collard"],
            ["1.1", "Planter des haies", "bleu", "M. Tom Noël"]]
    draft = parse_bytes("ecoles.xlsx", xlsx(rows))
    assert [n.fields.get("extra") for n in draft.nodes] == [{"couleur": "vert"},
                                                            {"couleur": "bleu"}]
    col = draft.columns[2]
    assert (col["header"], col["field"], col["source"]) == ("couleur", None, "unknown")
    assert any("couleur" in w.message and w.line == 1 for w in draft.warnings)
    data = json.loads(json.dumps(draft.to_dict()))
    from jalon.ingest.interchange import validate

    validate(data)  # the interchange schema accepts extra fields, columns and structure


def test_an_explicit_mapping_remaps_and_ignores_columns_and_says_so():
    rows = [["Réf.", "Intitulé", "Pilote", "Remarque interne"],
            ["A1", "Réparer les trottoirs", "M. Karim Aziz", "urgent"],
            ["A2", "Éclairer le parc", "Mme Eva Smet", "—"]]
    mapping = {normalise_header("Pilote"): "team", normalise_header("Remarque interne"): ""}
    with translation.override("fr"):  # messages are translated into the active language
        draft = parse_bytes("voirie.xlsx", xlsx(rows), mapping=mapping)
    pilote, remarque = draft.columns[2], draft.columns[3]
    assert (pilote["field"], pilote["source"]) == ("team", "user")
    assert (remarque["field"], remarque["source"]) == (None, "user")
    assert [n.fields.get("team") for n in draft.nodes] == [["M. Karim Aziz"], ["Mme Eva Smet"]]
    assert not any("extra" in n.fields for n in draft.nodes)
    assert any("Remarque interne" in w.message and "ignorée" in w.message
               for w in draft.warnings)
    again = parse_bytes("voirie.xlsx", xlsx(rows), mapping={**mapping, "pilote": "extra"},
                        mapping_source="profile")
    assert again.columns[2]["source"] == "profile"
    assert [n.fields["extra"] for n in again.nodes] == [{"Pilote": "M. Karim Aziz"},
                                                        {"Pilote": "Mme Eva Smet"}]


def test_headers_that_say_nothing_are_mapped_by_the_cells():
    rows = [["", "Quoi", "Colonne C", "Colonne D", "Colonne E"],
            ["1", "Installer des bornes vélo", datetime.date(2026, 5, 1), 0.25, 15000],
            ["2", "Créer une zone 30", datetime.date(2027, 1, 15), 0.8, 42000],
            ["3", "Sécuriser les abords d'écoles", datetime.date(2027, 9, 1), 1, 8000]]
    draft = parse_bytes("mobilite.xlsx", xlsx(rows, formats={4: "0%", 5: '#,##0 "€"'}))
    found = {c["header"]: (c["field"], c["source"]) for c in draft.columns}
    assert found["Colonne C"] == ("end", "content")
    assert found["Colonne D"] == ("progress", "content")
    assert found["Colonne E"] == ("budget_eur", "content")
    assert found["Quoi"][0] == "title"
    zone = next(n for n in draft.nodes if n.title == "Créer une zone 30")
    assert zone.fields["progress"] == 80 and zone.fields["budget_eur"] == [42000.0]


def test_progress_stored_as_a_fraction_without_percent_format_becomes_percent():
    rows = [["Code", "Titre", "Avancement"], ["1", "Rénover la piscine", 0.8],
            ["2", "Agrandir la crèche", 0.35]]
    draft = parse_bytes("infra.xlsx", xlsx(rows))
    assert [n.fields["progress"] for n in draft.nodes] == [80, 35]


def test_normalised_headers_and_vocabulary_lookups():
    assert normalise_header("Budget (€)") == "budget"
    assert normalise_header("  DATE  de FIN ") == "date de fin"
    assert field_for("Budget (€)") == "budget_eur"
    assert field_for("T.AVANCEMENT") == "progress"
    assert field_for("CHEF DE PROJET") == "owners"
    assert field_for("Verantwoordelijke") == "owners"
    assert field_for("Einddatum") == "end"
    assert field_for("Streefwaarde") == "indicator_target"
    assert field_for("Date de fin prévue") == "end"  # a longer header by its leading words
    assert field_for("Mettre en place un registre des risques") is None  # a title, not a label
    assert field_for("Titre du plan") is None  # the plan's, not an item's
    assert level_for("Objectifs opérationnels") == "Objectif opérationnel"
    assert level_for("beleidsdoelstelling") == "Beleidsdoelstelling"
    assert set(vocabulary()["fields"]) <= set(FIELDS)


def test_propose_columns_gives_three_samples_per_column():
    doc = read_bytes("p.csv", b"Titre;Pilote\nA;Mme X Y\nB;M. Z W\nC;Mme Q R\nD;M. S T\n"
)
    columns = propose_columns(doc.lines[0].cells, doc.lines[1:])
    assert columns[0] == {"index": 0, "header": "Titre", "field": "title",
                          "source": "vocabulary", "samples": ["A", "B", "C"]}


def test_dutch_csv_in_windows_1252_with_semicolons():
    text = ("Meerjarenplan 2026-2031 Gemeente Zwalmdonk\n"
            "Code;Omschrijving;Trekker;Einddatum;Raming (€);Streefwaarde\n"
            "SD1;Een groene gemeente;Jens Vermeire;2031;;\n"
            "OD1.1;Meer bomen in de dorpskernen;Sofie Maes;31/12/2028;85.797,61;500 bomen\n"
            "A1.1.1;Aanplanten van straatbomen;Ruben Claes;2027;12.500;250\n")
    draft = parse_bytes("meerjarenplan.csv", text.encode("cp1252"))
    by_code = {n.code: n for n in draft.nodes}
    assert by_code["OD1.1"].parent == "SD1" and by_code["A1.1.1"].parent == "OD1.1"
    assert by_code["OD1.1"].fields["budget_eur"] == [85797.61]
    assert by_code["A1.1.1"].title == "Aanplanten van straatbomen"
    assert draft.title == "Meerjarenplan 2026-2031 Gemeente Zwalmdonk"


@pytest.mark.django_db
def test_dry_run_json_shows_the_mapping_used(tmp_path, capsys):
    path = tmp_path / "plan_cpas.xlsx"
    path.write_bytes(coordinator_xlsx())
    call_command("jalon_import", str(path), "--dry-run", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["structure"] == "table: codes"
    assert [(c["header"], c["field"]) for c in out["columns"]][:2] == [
        ("N°", "code"), ("Objectif / Action", "title")]
