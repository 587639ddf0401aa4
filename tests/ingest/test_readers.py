"""Readers: bytes → Document (type detection, encodings, PDF, DOCX, XLSX, ODS, CSV, JSON)."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import unicodedata

import docx
import openpyxl
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from jalon.ingest.document import Document
from jalon.ingest.errors import IngestError
from jalon.ingest.readers import detect, max_bytes_from_env, read_bytes, read_path
from samples import SEEDS, pdf_of  # SEEDS: the packaged copies of shared/seeds


# -- helpers ----------------------------------------------------------------------------------
def make_pdf(pages: list[list[tuple[int, int, int, str]]]) -> bytes:
    """A minimal valid PDF: per page, text items (x, y, font size, text) in Helvetica."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    pages_id = add(b"")
    kids = []
    for items in pages:
        ops = []
        for x, y, size, text in items:
            if text.startswith("["):  # a raw TJ array: glyph runs and kerning gaps
                ops.append(b"BT /F1 %d Tf %d %d Td %s TJ ET" % (size, x, y, text.encode()))
                continue
            esc = text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(")
            esc = esc.replace(b")", b"\\)")
            ops.append(b"BT /F1 %d Tf %d %d Td (%s) Tj ET" % (size, x, y, esc))
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources "
                        b"<< /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_id, font, content)))
    objs[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    return pdf_of(objs, root=catalog)


def docx_bytes(document: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# -- text -------------------------------------------------------------------------------------
def test_utf8_with_and_without_bom_and_nfc():
    text = "Plan stratégique\nÉchéance : 2025\n"
    for data in (text.encode(), codecs.BOM_UTF8 + text.encode()):
        doc = read_bytes("plan.txt", data)
        assert doc.kind == "text"
        assert doc.texts() == ["Plan stratégique", "Échéance : 2025"]
        assert [ln.number for ln in doc.lines] == [1, 2]
    decomposed = unicodedata.normalize("NFD", text).encode()
    assert read_bytes("plan.txt", decomposed).texts()[0] == "Plan stratégique"


def test_cp1252_when_c1_bytes_are_printable_characters():
    text = "L’objectif “qualité” coûte 2 500 € – œuvre\nsecond"
    doc = read_bytes("note.txt", text.encode("cp1252"))
    assert doc.texts() == ["L’objectif “qualité” coûte 2 500 € – œuvre", "second"]


def test_latin1_when_no_cp1252_characters():
    doc = read_bytes("note.txt", "Début de l'année\nfin".encode("latin-1"))
    assert doc.texts() == ["Début de l'année", "fin"]
    # 0x81 is undefined in CP1252: the file can only be Latin-1
    doc = read_bytes("note.txt", b"caf\xe9 \x81 ok")
    assert doc.texts()[0].startswith("café")


def test_utf16_with_bom():
    text = "Code\tTitre\n1\tAxe un\n"
    doc = read_bytes("export.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert doc.lines[1].text.startswith("1")


def test_line_numbers_as_in_the_file_crlf_and_form_feeds():
    data = b"a\r\nb\r\n\r\nc\x0cd\ne\n"
    doc = read_bytes("x.txt", data)
    assert doc.texts() == ["a", "b", "", "cd", "e"]
    assert [ln.number for ln in doc.lines] == [1, 2, 3, 4, 5]
    assert [ln.page for ln in doc.lines] == [1, 1, 1, 2, 2]


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seeds_read_as_text_with_the_same_lines(seed):
    doc = read_path(seed)
    assert doc.kind == "text"
    assert doc.name == seed.name
    reference = Document.from_text(seed.name, seed.read_text(encoding="utf-8"))
    assert doc.texts() == reference.texts()
    # the extension does not decide: the same bytes under another name are still text
    assert detect("plan", seed.read_bytes()) == "text"


# -- detection --------------------------------------------------------------------------------
def test_json_detected_by_its_first_character():
    doc = read_bytes("export", b'  {"plan": {"title": "x"},\n "nodes": []}\n')
    assert doc.kind == "json"
    assert len(doc.lines) == 1
    assert doc.lines[0].text.strip().startswith("{")


def test_csv_versus_prose():
    csv_bytes = "code;titre;échéance\n1;Axe un;2025\n1.1;Objectif;2026\n".encode("cp1252")
    assert read_bytes("export.csv", csv_bytes).kind == "csv"
    assert read_bytes("export", csv_bytes).kind == "csv"
    prose = ("Le CPAS, qui compte 400 agents, veut améliorer l'accueil.\n"
             "Il faut, pour cela, revoir les permanences, les horaires, et le reste.\n"
             "Une ligne sans virgule\n")
    assert read_bytes("note.txt", prose.encode()).kind == "text"
    assert read_bytes("note", prose.encode()).kind == "text"


def test_extension_breaks_ties():
    two_columns = b"a,b\nc,d\ne\n"  # consistent enough only for a file called .csv
    assert detect("x.csv", two_columns) == "csv"
    assert detect("x.txt", two_columns) == "text"


def test_tab_separated_txt_export_is_a_table():
    data = b"code\ttitre\tniveau\n1\tAxe\tAxe\n1.1\tOS\tObjectif\n"
    doc = read_bytes("export.txt", data)
    assert doc.kind == "csv"
    assert doc.lines[1].cells == ("1", "Axe", "Axe")


def test_csv_cells_rows_and_line_numbers():
    data = (b'code;titre;description\n\n1;"Axe; un";"sur\ndeux lignes"\n'
            b'2;Axe deux;\n;;\n')
    doc = read_bytes("plan.csv", data)
    assert [ln.number for ln in doc.lines] == [1, 3, 5]
    assert doc.lines[1].cells == ("1", "Axe; un", "sur\ndeux lignes")
    assert doc.lines[1].text == "1 | Axe; un | sur deux lignes"
    assert doc.lines[2].cells == ("2", "Axe deux")


# -- PDF --------------------------------------------------------------------------------------
def test_pdf_lines_pages_and_paragraph_gaps():
    data = make_pdf([
        [(72, 800, 12, "Plan stratégique 2024–2028"), (72, 786, 12, "Axe 1 : “Citoyens” (€)"),
         (72, 740, 12, "C1.1 : une action")],
        [(72, 800, 12, "Deuxième page")],
    ])
    doc = read_bytes("plan.pdf", data)
    assert doc.kind == "pdf"
    assert doc.texts() == ["Plan stratégique 2024–2028", "Axe 1 : “Citoyens” (€)", "",
                           "C1.1 : une action", "Deuxième page"]
    assert [ln.number for ln in doc.lines] == [1, 2, 3, 4, 5]
    assert [ln.page for ln in doc.lines] == [1, 1, 1, 1, 2]


def test_pdf_words_without_space_characters_stay_apart():
    # TeX-style output: no space glyph, a 0.25 em kerning gap between words
    data = make_pdf([[(72, 700, 9, "[(Plan) -250 (de) -250 (gestion) -40 (2024)]")]])
    assert read_bytes("t.pdf", data).texts() == ["Plan de gestion2024"]


def test_pdf_detected_whatever_the_name():
    data = make_pdf([[(72, 800, 12, "x")]])
    assert detect("scan.bin", data) == "pdf"
    assert detect("plan.txt", data) == "pdf"


def test_pdf_reading_order_columns_on_one_row():
    data = make_pdf([[(300, 700, 10, "droite"), (72, 700, 10, "gauche"),
                      (72, 712, 10, "haut")]])
    assert read_bytes("t.pdf", data).texts() == ["haut", "gauche droite"]


# -- DOCX -------------------------------------------------------------------------------------
def test_docx_paragraphs_headings_numbering_and_breaks():
    d = docx.Document()
    d.add_heading("Plan du CPAS", 0)
    d.add_heading("Axe 1", 1)
    d.add_paragraph("Intro")
    d.add_paragraph("premier", style="List Number")
    d.add_paragraph("second", style="List Number")
    d.add_paragraph("puce", style="List Bullet")
    d.styles.add_style("Titre 3", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("Titre français", style="Titre 3")
    p = d.add_paragraph("ligne a")
    p.add_run().add_break()
    p.add_run("ligne b")
    outlined = d.add_paragraph("niveau de plan")
    lvl = OxmlElement("w:outlineLvl")
    lvl.set(qn("w:val"), "1")
    outlined._p.get_or_add_pPr().append(lvl)
    doc = read_bytes("plan.docx", docx_bytes(d))
    assert doc.kind == "docx"
    got = [(ln.number, ln.text, ln.style) for ln in doc.lines]
    assert got == [
        (1, "Plan du CPAS", "title"), (2, "Axe 1", "heading 1"), (3, "Intro", ""),
        (4, "1. premier", ""), (5, "2. second", ""), (6, "• puce", ""),
        (7, "Titre français", "heading 3"), (8, "ligne a", ""), (9, "ligne b", ""),
        (10, "niveau de plan", "heading 2"),
    ]


def test_docx_tables_merged_cells_and_order():
    d = docx.Document()
    d.add_paragraph("avant")
    t = d.add_table(rows=4, cols=3)
    for i, h in enumerate(("Action", "Service", "Échéance")):
        t.cell(0, i).text = h
    merged = t.cell(1, 0).merge(t.cell(1, 1))
    merged.text = "fusion horizontale"
    t.cell(1, 2).merge(t.cell(2, 2)).text = "2025"
    t.cell(2, 0).text = "suite"
    t.cell(2, 1).paragraphs[0].text = "a"
    t.cell(2, 1).add_paragraph("b")
    d.add_paragraph("après")
    doc = read_bytes("t.docx", docx_bytes(d))
    assert doc.texts()[0] == "avant"
    rows = [ln.cells for ln in doc.lines if ln.cells]
    assert rows == [("Action", "Service", "Échéance"),
                    ("fusion horizontale", "", "2025"),
                    ("suite", "a\nb", "")]  # row 4 is empty: skipped
    assert doc.lines[2].text == "fusion horizontale |  | 2025"
    assert doc.texts()[-1] == "après"
    assert [ln.number for ln in doc.lines] == list(range(1, len(doc.lines) + 1))


# -- spreadsheets -----------------------------------------------------------------------------
def test_xlsx_rows_sheets_and_cell_display():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "titre", "avancement", "échéance", "etp"])
    ws.append(["1", "Axe é", 0.75, dt.date(2024, 1, 31), 1.0])
    ws["C2"].number_format = "0%"
    ws["A9"] = "loin"
    ws["B9"] = 2.5
    other = wb.create_sheet("Plan info")
    other.append(["Organisation", "CPAS de Nulle-Part"])
    buf = io.BytesIO()
    wb.save(buf)
    doc = read_bytes("plan.xlsx", buf.getvalue())
    assert doc.kind == "xlsx"
    assert [(ln.number, ln.page) for ln in doc.lines] == [(1, 1), (2, 1), (9, 1), (1, 2)]
    assert doc.lines[1].cells == ("1", "Axe é", "75 %", "2024-01-31", "1")
    assert doc.lines[2].cells == ("loin", "2.5")
    assert doc.lines[3].text == "Organisation | CPAS de Nulle-Part"


def test_ods_rows_repeats_and_covered_cells():
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    def cell(text=None, **kw):
        c = TableCell(**kw)
        if text is not None:
            c.addElement(P(text=text))
        return c

    ods = OpenDocumentSpreadsheet()
    table = Table(name="Plan")
    header = TableRow()
    for h in ("code", "titre", "budget"):
        header.addElement(cell(h))
    header.addElement(cell(numbercolumnsrepeated=16000))
    table.addElement(header)
    table.addElement(TableRow(numberrowsrepeated=3))  # rows 2–4 empty
    row = TableRow()
    row.addElement(cell("1", numbercolumnsspanned=2))
    row.addElement(CoveredTableCell())
    row.addElement(cell("12500", valuetype="float", value="12500"))
    table.addElement(row)
    twice = TableRow(numberrowsrepeated=2)
    twice.addElement(cell("x"))
    table.addElement(twice)
    filler = TableRow(numberrowsrepeated=1048000)
    filler.addElement(cell(numbercolumnsrepeated=1024))
    table.addElement(filler)
    ods.spreadsheet.addElement(table)
    buf = io.BytesIO()
    ods.write(buf)
    doc = read_bytes("plan.ods", buf.getvalue())
    assert doc.kind == "ods"
    assert [(ln.number, ln.cells) for ln in doc.lines] == [
        (1, ("code", "titre", "budget")), (5, ("1", "", "12500")), (6, ("x",)), (7, ("x",))]


# -- paths and limits -------------------------------------------------------------------------
def test_read_path_uses_the_file_name(tmp_path):
    path = tmp_path / "mon plan.txt"
    path.write_bytes(b"Axe 1\nAxe 2\n")
    doc = read_path(path)
    assert doc.name == "mon plan.txt"
    assert doc.texts() == ["Axe 1", "Axe 2"]


def test_size_limit_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("JALON_IMPORT_MAX_BYTES", "10")
    assert max_bytes_from_env() == 10
    with pytest.raises(IngestError, match="trop volumineux"):
        read_bytes("a.txt", b"0123456789AB")
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 11)
    with pytest.raises(IngestError, match="big.txt"):
        read_path(path)
    monkeypatch.setenv("JALON_IMPORT_MAX_BYTES", "nonsense")
    assert max_bytes_from_env() == 20 * 1024 * 1024
    assert read_bytes("a.txt", b"0123456789AB", max_bytes=100).texts() == ["0123456789AB"]
