"""Bad input: every refusal is an IngestError whose message is one line naming the file."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalon.ingest.errors import IngestError
from jalon.ingest.parsers import jalon_docx, tabular
from jalon.ingest.readers import read_bytes
from samples import CONTENT_TYPES_DOCX, declare_size, tiny_docx, tiny_pdf, tiny_xlsx, zip_of  # noqa: F401


def refused(name: str, data: bytes, **kw) -> str:
    with pytest.raises(IngestError) as info:
        read_bytes(name, data, **kw)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(name + ":")
    return message


# -- each bad input ---------------------------------------------------------------------------
def test_empty_file():
    assert "fichier vide" in refused("vide.txt", b"")
    assert "fichier vide" in refused("blanc.csv", b"  \n\r\n\t ")


def test_over_the_size_limit():
    assert "trop volumineux" in refused("gros.pdf", b"%PDF-1.4" + b"0" * 2000, max_bytes=1000)


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 8,
    b"\x00\x01\x02\x03" * 100,
    b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200),
    b"\x7fELF\x02\x01\x01" + bytes(300),
])
def test_binary_garbage(data):
    assert "binaire" in refused("image.bin", data)


def test_truncated_pdf():
    data = tiny_pdf()
    assert refused("plan.pdf", data[: len(data) // 2]) == "plan.pdf: PDF tronqué ou illisible"
    assert "PDF tronqué" in refused("plan.pdf", data[:-40])


def test_corrupt_pdf():
    assert "PDF tronqué" in refused("plan.pdf", b"%PDF-1.7\n" + b"garbage " * 50 + b"\n%%EOF\n")
    assert "PDF" in refused("plan.pdf", b"not a pdf at all \x00\x01\x02" * 10)


def test_encrypted_pdf():
    message = refused("secret.pdf", tiny_pdf(encrypt=True))
    assert message == "secret.pdf: PDF chiffré/protégé par mot de passe"


def test_pdf_with_too_many_pages():
    data = tiny_pdf().replace(b"/Count 1 ", b"/Count 999999 ")
    assert refused("annuaire.pdf", data) == ("annuaire.pdf: document trop grand à lire : 999.999 "
                                             "pages, plus que la limite de 2.000 "
                                             "(JALON_IMPORT_MAX_PAGES)")


def test_pdf_without_text():
    data = tiny_pdf("").replace(b"() Tj", b"")
    assert "sans texte" in refused("scan.pdf", data)


def test_zip_bomb_by_ratio():
    bomb = zip_of({"[Content_Types].xml": CONTENT_TYPES_DOCX,
                   "word/document.xml": b"\x00" * (20 * 1024 * 1024)})
    assert "bombe ZIP" in refused("bombe.docx", bomb)


def test_zip_bomb_by_declared_size():
    lying = declare_size(zip_of({"xl/workbook.xml": b"<x/>" * 10}), 300 * 1024 * 1024)
    assert "bombe ZIP" in refused("bombe.xlsx", lying)


def test_zip_bomb_by_entry_count():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(10_001):
            zf.writestr(f"f{i}", b"")
    assert "entrées" in refused("beaucoup.xlsx", buf.getvalue())


def test_corrupt_docx_and_xlsx_and_ods():
    assert "DOCX" in refused("plan.docx", tiny_docx()[:-300])
    assert "XLSX" in refused("plan.xlsx", tiny_xlsx()[:500])
    broken = zip_of({"[Content_Types].xml": CONTENT_TYPES_DOCX,
                     "word/document.xml": b"<w:document><not xml"})
    assert "DOCX" in refused("plan.docx", broken)
    ods = zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                  "content.xml": b"<broken"})
    assert "ODS" in refused("plan.ods", ods)


def test_other_archives_and_old_office_formats():
    assert "ni un DOCX" in refused("photos.zip", zip_of({"a.jpg": b"\xff\xd8\xff"}))
    assert "97-2003" in refused("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert "ODT" in refused("plan.odt", zip_of(
        {"mimetype": b"application/vnd.oasis.opendocument.text"}))


def test_wrong_template_header_names_file_line_and_columns():
    wb = openpyxl.Workbook()
    wb.active.append(["Plan stratégique"])
    wb.active.append(["code", "libellé", "couleur", "poids"])
    wb.active.append(["1", "Axe", "bleu", "3"])
    buf = io.BytesIO()
    wb.save(buf)
    doc = read_bytes("modele.xlsx", buf.getvalue())
    with pytest.raises(IngestError) as info:
        tabular.parse(doc)
    message = str(info.value)
    assert message.startswith("modele.xlsx:2:")
    assert "couleur" in message and "poids" in message and "\n" not in message


def test_parsers_give_few_nodes_on_garbage():
    doc = read_bytes("notes.txt", "rien — ici\n| a | b |\n".encode())
    assert tabular.score(doc) == 0
    assert jalon_docx.score(doc) == 0
    assert jalon_docx.parse(doc).nodes == []
    with pytest.raises(IngestError):
        tabular.parse(doc)


# -- fuzzing ----------------------------------------------------------------------------------
NAMES = st.sampled_from(["x.pdf", "x.docx", "x.xlsx", "x.ods", "x.csv", "x.txt", "x.json", "x"])


def _read_or_refuse(name: str, data: bytes) -> None:
    try:
        doc = read_bytes(name, data)
    except IngestError as err:
        assert "\n" not in str(err)
        assert str(err).startswith(name + ":")
        return
    for parser in (tabular, jalon_docx):
        assert 0.0 <= parser.score(doc) <= 1.0
        try:
            parser.parse(doc)
        except IngestError:
            pass


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES, data=st.binary(max_size=4096))
def test_random_bytes_only_raise_ingest_error(name, data):
    _read_or_refuse(name, data)


VALID = {"x.pdf": tiny_pdf("Axe 1"), "x.docx": tiny_docx(), "x.xlsx": tiny_xlsx()}


@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(VALID)), cut=st.integers(0, 100_000),
       flips=st.lists(st.tuples(st.integers(0, 100_000), st.integers(0, 255)), max_size=8))
def test_damaged_files_only_raise_ingest_error(name, cut, flips):
    data = bytearray(VALID[name])
    for pos, value in flips:
        data[pos % len(data)] = value
    _read_or_refuse(name, bytes(data[: max(cut % (len(data) + 1), 1)]))
