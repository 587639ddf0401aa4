"""Bounded parsing: a crafted file cannot hold a worker forever. Lines, cells, PDF pages and
seconds are limited (JALON_IMPORT_MAX_LINES, _MAX_CELLS, _MAX_PAGES, _TIME_LIMIT); the refusal is
one line naming the limit, and nothing is parsed past it. Files are generated here, small on
disk."""

from __future__ import annotations

import openpyxl
import pytest

from jalon.ingest import parse_bytes
from jalon.ingest.errors import IngestError
from jalon.ingest.readers import Limits, read_bytes
from jalon.ingest.readers.limits import limits_from_env
from samples import ods_with_repeated_rows, pdf_with_pages, xlsx_with_formatted_rows


def refusal(name: str, data: bytes, **limits) -> str:
    with pytest.raises(IngestError) as err:
        read_bytes(name, data, limits=Limits(**limits))
    message = str(err.value)
    assert "\n" not in message
    return message


def test_the_limits_come_from_the_environment(monkeypatch):
    assert limits_from_env() == Limits(200_000, 2_000_000, 2000, 60.0)
    monkeypatch.setenv("JALON_IMPORT_MAX_LINES", "5000")
    monkeypatch.setenv("JALON_IMPORT_MAX_PAGES", "0")  # not a limit: the default stays
    monkeypatch.setenv("JALON_IMPORT_TIME_LIMIT", "2.5")
    monkeypatch.setenv("JALON_IMPORT_MAX_CELLS", "beaucoup")
    assert limits_from_env() == Limits(5000, 2_000_000, 2000, 2.5)


def test_a_sheet_of_formatted_empty_rows_is_refused_before_it_is_loaded(monkeypatch):
    data = xlsx_with_formatted_rows(30_000)
    assert len(data) < 300_000  # small on disk, 30.000 rows once read

    def never(*args, **kwargs):  # the refusal comes from counting the XML, not from loading it
        raise AssertionError("openpyxl loaded a sheet over the limit")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    assert refusal("plan.xlsx", data, lines=10_000) == (
        "plan.xlsx: document trop grand à lire : plus de 10.000 lignes "
        "(limite JALON_IMPORT_MAX_LINES)")
    assert refusal("plan.xlsx", data, cells=20_000) == (
        "plan.xlsx: document trop grand à lire : plus de 20.000 cellules "
        "(limite JALON_IMPORT_MAX_CELLS)")


def test_the_same_sheet_under_the_limits_imports_its_table():
    draft = parse_bytes("plan.xlsx", xlsx_with_formatted_rows(3000))
    assert [(n.code, n.title, n.parent) for n in draft.nodes] == [
        ("1", "Un CPAS accessible", None), ("1.1", "Ouvrir un guichet unique", "1")]


def test_repeated_ods_rows_count_as_the_rows_they_stand_for(monkeypatch):
    data = ods_with_repeated_rows(elements=20, repeat=1000)  # 20.000 rows read (1.000 × 20)
    assert refusal("plan.ods", data, lines=5000) == (
        "plan.ods: document trop grand à lire : plus de 5.000 lignes "
        "(limite JALON_IMPORT_MAX_LINES)")
    monkeypatch.setenv("JALON_IMPORT_MAX_LINES", "5000")  # the setting, as the web reads it
    with pytest.raises(IngestError, match="JALON_IMPORT_MAX_LINES"):
        parse_bytes("plan.ods", data)


def test_a_pdf_with_too_many_pages_is_refused_even_when_its_page_count_lies():
    honest = pdf_with_pages(60)
    assert refusal("plan.pdf", honest, pages=50) == (
        "plan.pdf: document trop grand à lire : 60 pages, plus que la limite de 50 "
        "(JALON_IMPORT_MAX_PAGES)")
    liar = pdf_with_pages(60, declared=1)
    assert refusal("plan.pdf", liar, pages=50) == (
        "plan.pdf: document trop grand à lire : 51 pages, plus que la limite de 50 "
        "(JALON_IMPORT_MAX_PAGES)")
    assert len(read_bytes("plan.pdf", honest, limits=Limits(pages=60)).lines) >= 60


def test_reading_stops_at_the_time_limit():
    data = pdf_with_pages(400)
    assert len(data) < 100_000
    assert refusal("plan.pdf", data, seconds=0.05) == (
        "plan.pdf: document trop grand à lire : lecture arrêtée après 0,05 s "
        "(limite JALON_IMPORT_TIME_LIMIT)")


def test_a_long_text_file_is_refused_by_its_line_count():
    data = b"1. Axe\n" + b"-\n" * 12_000
    assert refusal("plan.txt", data, lines=10_000).endswith(
        "plus de 10.000 lignes (limite JALON_IMPORT_MAX_LINES)")
