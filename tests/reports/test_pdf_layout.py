"""The council PDF's action table: headers side by side without overlap, no word split inside
(issue 10: «Avancement» ran over «Échéance», «Échéan-ce», «Respons-able»)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape

import pytest

from jalon.plans.models import Person
from jalon.reports.renderers import render

HEADERS = ["Code", "Intitulé", "Statut", "Avancement", "Échéance", "Responsable"]
PADDING_PT = 2 * 1.5 * 72 / 25.4  # the cells' padding on both sides (head.html)


def words(pdf: bytes, tmp_path, page: int) -> list[tuple[str, float, float, float]]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed: apt-get install poppler-utils")
    path = tmp_path / "council.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path),
                          "-"], capture_output=True, text=True, check=True, timeout=60).stdout
    return [(unescape(m[3]), float(m[0]), float(m[2]), float(m[1])) for m in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        out)]


def test_the_action_table_headers_fit_their_columns_unsplit(followed, tmp_path):
    long_name = Person.objects.create(organization=followed.org,
                                      name="Anne-Catherine Vandenbroucke-Delvaux")
    followed.hr_action.owners.add(long_name)
    followed.action.end_text = "31/12/2027"
    followed.action.save()
    pdf = render(followed.plan, "pdf", sections=["cover", "actions"])
    found = words(pdf, tmp_path, page=2)  # the cover is page 1
    texts = [w[0] for w in found]
    for header in HEADERS:
        assert header in texts, f"«{header}» is not one word on the page: {texts[:40]}"
    assert not any(t in texts for t in ("Échéan", "Respons", "Avance", "Échéan-", "Respons-"))
    row = [next(w for w in found if w[0] == h) for h in HEADERS]
    assert len({round(w[3]) for w in row}) == 1, "the headers are not on one line"
    for (name, _x0, x1, _y), (nxt, nx0, _nx1, _ny) in zip(row, row[1:], strict=False):
        # each header's text ends before the next column starts (its padding between them)
        assert x1 + PADDING_PT - 0.5 <= nx0, f"«{name}» runs into «{nxt}»"
    assert "Vandenbroucke-Delvaux" in " ".join(texts).replace("- ", "-")


def test_the_council_pdf_is_tagged_for_screen_readers(followed, tmp_path):
    """PDF/UA-1: a structure tree (headings, tables, reading order), marked content, the
    document's language and title — council documents end up on public websites."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    path = tmp_path / "council.pdf"
    path.write_bytes(render(followed.plan, "pdf", sections=["cover", "actions", "annex"]))
    with path.open("rb") as f:
        catalog = PDFDocument(PDFParser(f)).catalog
        assert resolve1(catalog["MarkInfo"])["Marked"] is True
        assert resolve1(catalog["Lang"]) == b"fr"
        roles, todo = set(), [resolve1(catalog["StructTreeRoot"])]
        while todo:
            element = resolve1(todo.pop())
            if isinstance(element, dict):
                if "S" in element:
                    roles.add(resolve1(element["S"]).name)
                kids = resolve1(element.get("K", []))
                todo.extend(kids if isinstance(kids, list) else [kids])
    assert {"H1", "H2", "H3", "Table", "TH", "TD", "P"} <= roles, roles


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_indicator_table_headers_do_not_overlap(followed, tmp_path, language):
    """Dutch headers are longer («Streefwaarde / norm», «Laatste waarde»): they take two lines
    between words rather than run into the next column, and the table stays on the page."""
    from django.utils import translation

    with translation.override(language):
        pdf = render(followed.plan, "pdf", sections=["cover", "indicators"])
    found = words(pdf, tmp_path, page=2)
    first = min(w[3] for w in found if w[0] in ("Élément", "Element", "Item"))
    header = [w for w in found if first - 1 <= w[3] <= first + 14]
    assert len(header) >= 6
    for line in {round(w[3]) for w in header}:
        row = sorted((w for w in header if round(w[3]) == line), key=lambda w: w[1])
        for (name, _x0, x1, _y), (nxt, nx0, _nx1, _ny) in zip(row, row[1:], strict=False):
            assert x1 <= nx0, f"«{name}» runs into «{nxt}» ({language})"
    assert max(w[2] for w in found) <= 595 - 16 * 72 / 25.4 + 1, "the table leaves the page"


MARKUP = "#strong[x] $x$ *a* _b_ <c> @d \\ ` [ ] #panic(\"no\")"


def test_text_that_looks_like_typst_markup_is_printed_as_written(followed, tmp_path):
    """Titles and descriptions are placed as text: Typst never reads them as markup."""
    followed.action.title = f"Rénover {MARKUP}"
    followed.action.description = f"Décrit {MARKUP}\nseconde ligne"
    followed.action.save()
    pdf = render(followed.plan, "pdf")
    path = tmp_path / "council.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    squashed = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", f"Rénover {MARKUP}") in squashed  # table, annex heading
    assert re.sub(r"\s+", "", f"DESCRIPTION : Décrit {MARKUP}") in squashed


def test_without_the_dejavu_fonts_typst_uses_its_own(followed, tmp_path, monkeypatch):
    from jalon.reports.renderers import pdf as module

    monkeypatch.setattr(module, "FONT_DIR", tmp_path / "no-fonts")
    path = tmp_path / "council.pdf"
    path.write_bytes(render(followed.plan, "pdf", sections=["cover", "actions"]))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True, timeout=60).stdout
    assert "DejaVu" not in fonts and "Libertinus" in fonts
    assert "Rénover" in subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                       text=True, check=True, timeout=60).stdout


def test_a_damaged_logo_leaves_the_document_without_it(followed, tmp_path):
    from jalon.reports.document import Look

    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not an image")
    pdf = render(followed.plan, "pdf", sections=["cover"], look=Look(logo_path=str(logo)))
    assert pdf.startswith(b"%PDF")


def test_empty_titles_still_make_a_tagged_document(followed):
    """PDF/UA-1 refuses an empty heading or document title: the document is made anyway."""
    followed.plan.title = ""
    followed.plan.save()
    followed.action.title = " "
    followed.action.save()
    for sections in (["cover", "summary", "actions"], ["annex"]):
        assert render(followed.plan, "pdf", sections=sections).startswith(b"%PDF")
