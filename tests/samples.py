"""Small sample files built in memory, for the tests of readers and of the import command."""

from __future__ import annotations

import io
import re
import socket
import struct
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest


def pdf_of(objs: list[bytes], trailer_extra: bytes = b"", root: int = 1) -> bytes:
    """A PDF file of these objects (object ``root`` the catalogue), with its cross-reference
    table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, root, trailer_extra, xref)
    return bytes(out)


def tiny_pdf(text: str = "Plan", *, encrypt: bool = False) -> bytes:
    """One page of Helvetica text; ``encrypt`` adds a standard security handler (RC4, R2)
    whose user password is not empty."""
    stream = b"BT /F1 12 Tf 72 800 Td (%s) Tj ET" % text.encode("cp1252")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    trailer_extra = b""
    if encrypt:
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"41" * 32 + b"> /U <"
                    + b"42" * 32 + b"> /P -44 >>")
        trailer_extra = (b" /Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef>"
                         b"<0123456789abcdef0123456789abcdef>]")
    return pdf_of(objs, trailer_extra)


def tiny_docx() -> bytes:
    d = docx.Document()
    d.add_heading("1 — Axe", 1)
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "Échéance"
    t.cell(0, 1).text = "2025"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def tiny_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["code", "titre"])
    wb.active.append(["1", "Axe"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def declare_size(data: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size every central-directory entry declares."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        out[pos + 24:pos + 28] = struct.pack("<I", size)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


CONTENT_TYPES_DOCX = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                      b'package/2006/content-types"><Override PartName="/word/document.xml" '
                      b'ContentType="application/vnd.openxmlformats-officedocument.'
                      b'wordprocessingml.document.main+xml"/></Types>')


# The seed documents, as packaged with the demo (copies of shared/seeds).
SEEDS = Path(__file__).resolve().parents[1] / "src" / "jalon" / "demo" / "seeds"
# a test that reads a seed (the seeds ship with the package, so this skips only in a trimmed copy)
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not present")


# -- big once read, small on disk (bounded parsing) ------------------------------------------
def xlsx_with_formatted_rows(empty_rows: int) -> bytes:
    """A small plan table, then ``empty_rows`` rows whose cell has a style and no value (what
    a «format the whole sheet» leaves behind), written straight into the sheet's XML."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Code", "Titre", "Pilote"])
    ws.append(["1", "Un CPAS accessible", ""])
    ws.append(["1.1", "Ouvrir un guichet unique", "Marie Lambert"])
    ws["A1"].font = openpyxl.styles.Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                rows = "".join(f'<row r="{r}"><c r="A{r}" s="1"/><c r="B{r}" s="1"/></row>'
                               for r in range(4, 4 + empty_rows))
                blob = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:C3"/>', blob)
                blob = blob.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            dst.writestr(info, blob)
    return out.getvalue()


def ods_with_repeated_rows(elements: int, repeat: int) -> bytes:
    """An ODS whose rows say «this row, N times» (``number-rows-repeated``): few elements,
    many rows once read."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Plan")
    header = TableRow()
    for text in ("Code", "Titre"):
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=text))
        header.addElement(cell)
    table.addElement(header)
    for i in range(elements):
        row = TableRow(numberrowsrepeated=repeat)
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=f"Action {i}"))
        row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def pdf_with_pages(pages: int, declared: int | None = None) -> bytes:
    """``pages`` pages sharing one content stream (a few dozen bytes each); ``declared`` is
    the /Count the file claims (a lie when it differs)."""
    stream = b"BT /F1 12 Tf 72 800 Td (Action) Tj ET"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, declared or pages),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
             b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"] * pages
    return pdf_of(objs)


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
