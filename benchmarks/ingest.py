"""Parse time per document: the five seeds, every document of the import corpus, and synthetic
plans scaled to about 100 pages and 4× that (text, a PDF of that text, Word with heading styles
and tables, Excel),
to show that the structure engine's time grows linearly with the document.

Pure parsing (read + recognise + normalise), no database.
Run: PYTHONPATH=src .venv/bin/python benchmarks/ingest.py  (or `make bench`)
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

from jalon.ingest import parse_bytes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from samples import pdf_of  # noqa: E402

SEEDS = ROOT / "src" / "jalon" / "demo" / "seeds"
CORPUS = ROOT / "tests" / "ingest" / "corpus" / "documents"
LINES_PER_PAGE = 45


def timed(name: str, data: bytes, repeat: int) -> dict:
    times = []
    draft = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        draft = parse_bytes(name, data)
        times.append(time.perf_counter() - t0)
    assert draft is not None
    return {"file": name, "layout": draft.layout, "structure": draft.structure,
            "nodes": len(draft.nodes), "warnings": len(draft.warnings),
            "ms": statistics.median(times) * 1000}


# -- synthetic plans ----------------------------------------------------------------------------
def _actions(pages: int):
    """(os, oo, action) numbers enough for about ``pages`` pages (9 lines per action)."""
    n = max(1, pages * LINES_PER_PAGE // 9)
    for k in range(n):
        yield 1 + k // 40, 1 + (k // 8) % 5, 1 + k % 8


def synthetic_text(pages: int) -> bytes:
    out = [f"Plan stratégique synthétique ({pages} pages)", ""]
    seen: set = set()
    for os_, oo, act in _actions(pages):
        if (os_,) not in seen:
            seen.add((os_,))
            out.append(f"Objectif stratégique {os_} : Une commune exemplaire n°{os_}")
        if (os_, oo) not in seen:
            seen.add((os_, oo))
            out.append(f"Objectif opérationnel {os_}.{oo} – Améliorer le service {oo}")
        out += [f"Action {os_}.{oo}.{act} – Mettre en œuvre la mesure {act}",
                "Pilote : Mme Anne Exemple", "Service : Service du plan",
                "Échéance : T3 2027", "Budget : 12.500 €", "Indicateur : Usagers servis",
                "Cible : 80 %", "Une phrase de description de l'action, assez longue.", ""]
    return "\n".join(out).encode()


def synthetic_pdf(pages: int) -> bytes:
    """The synthetic text as a real PDF: Helvetica 10 pt, headings in bold 12 pt, 45 lines a
    page, page numbers at the foot (the reader must drop them)."""
    lines = synthetic_text(pages).decode().split("\n")
    per_page = LINES_PER_PAGE
    page_streams = []
    for start in range(0, len(lines), per_page):
        ops = []
        for k, text in enumerate(lines[start:start + per_page]):
            heading = text.startswith(("Objectif ", "Action ", "Plan "))
            font, size = ("/F2", 12) if heading else ("/F1", 10)
            esc = (text.encode("cp1252", "replace").replace(b"\\", b"\\\\")
                   .replace(b"(", b"\\(").replace(b")", b"\\)"))
            ops.append(b"BT %s %d Tf 56 %d Td (%s) Tj ET" % (font.encode(), size, 790 - 16 * k,
                                                           esc))
        ops.append(b"BT /F1 8 Tf 290 30 Td (%d) Tj ET" % (len(page_streams) + 1))
        page_streams.append(b"\n".join(ops))
    n = len(page_streams)
    fonts = b"<< /Font << /F1 3 0 R /F2 4 0 R >> >>"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                b" ".join(b"%d 0 R" % (5 + 2 * i) for i in range(n)), n),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
            b"/Encoding /WinAnsiEncoding >>"]
    for i, stream in enumerate(page_streams):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s "
                    b"/Contents %d 0 R >>" % (fonts, 6 + 2 * i))
        objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    return pdf_of(objs)  # the tests' writer of a PDF from its objects (tests/samples.py)


def synthetic_docx(pages: int) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(f"Plan synthétique ({pages} pages)", style="Title")
    table = None
    seen: set = set()
    for os_, oo, act in _actions(pages):
        if (os_,) not in seen:
            seen.add((os_,))
            d.add_paragraph(f"Une commune exemplaire {os_}", style="Heading 1")
        if (os_, oo) not in seen:
            seen.add((os_, oo))
            d.add_paragraph(f"Améliorer le service {os_}-{oo}", style="Heading 2")
            table = d.add_table(rows=1, cols=5)
            for c, h in enumerate(("Action", "Pilote", "Échéance", "Budget", "Cible")):
                table.rows[0].cells[c].text = h
        assert table is not None
        cells = table.add_row().cells
        for c, v in enumerate((f"Mesure {os_}.{oo}.{act}", "M. Exemple", "2027", "1.000 €",
                               "80 %")):
            cells[c].text = v
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def synthetic_xlsx(pages: int) -> bytes:
    import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"Plan synthétique ({pages} pages)"])
    ws.append(["N°", "Objectif / Action", "Service responsable", "Pilote", "Date de fin",
               "Budget (€)", "Indicateur", "Cible"])
    seen: set = set()
    for os_, oo, act in _actions(pages * 4):  # a sheet row is shorter than a text action
        for code in (f"{os_}", f"{os_}.{oo}"):
            if code not in seen:
                seen.add(code)
                ws.append([code, f"Objectif {code}"])
        ws.append([f"{os_}.{oo}.{act}", f"Action {act}", "Service", "Mme Exemple",
                   datetime.date(2027, 6, 30), 1500, "Usagers", "80 %"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> list[dict]:
    rows = [timed(p.name, p.read_bytes(), 3) for p in sorted(SEEDS.glob("*.txt"))]
    if CORPUS.is_dir():
        rows += [timed(p.name, p.read_bytes(), 3) for p in sorted(CORPUS.iterdir())
                 if not p.name.endswith(".json")]
    print(f"{'document':<34} {'layout':<14} {'nodes':>6} {'warn':>5} {'parse ms':>9}  structure")
    for r in rows:
        print(f"{r['file'][:34]:<34} {r['layout']:<14} {r['nodes']:>6} {r['warnings']:>5} "
              f"{r['ms']:>9.1f}  {r['structure'][:40]}")
    print()
    print(f"{'synthetic':<22} {'pages':>6} {'bytes':>9} {'nodes':>6} {'parse ms':>9} "
          f"{'ms/node':>8}")
    scaled = []
    for kind, make in (("text", synthetic_text), ("pdf", synthetic_pdf),
                       ("docx", synthetic_docx), ("xlsx", synthetic_xlsx)):
        for pages in (100, 400):
            data = make(pages)
            r = timed({"text": "synthetic.txt"}.get(kind, f"synthetic.{kind}"), data, 1)
            r.update(kind=kind, pages=pages, bytes=len(data))
            scaled.append(r)
            print(f"{kind:<22} {pages:>6} {len(data):>9} {r['nodes']:>6} {r['ms']:>9.0f} "
                  f"{r['ms'] / max(r['nodes'], 1):>8.2f}")
    for kind in ("text", "pdf", "docx", "xlsx"):
        small, big = [r for r in scaled if r["kind"] == kind]
        print(f"{kind}: 4× the pages → {big['ms'] / small['ms']:.1f}× the time "
              f"({big['nodes'] / max(small['nodes'], 1):.1f}× the nodes)")
    return rows + scaled


if __name__ == "__main__":
    main()
