"""LibreOffice and poppler, to check that produced documents open and say what they should."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install "
                    "libreoffice-writer-nogui libreoffice-calc-nogui")
    return found


def has_draw() -> bool:
    """LibreOffice Draw opens PDFs; without it, only Writer's (very slow) PDF import is left."""
    program = Path(os.path.realpath(soffice())).parent
    return (program / "libsdlo.so").exists() or (program / "sdlo.dll").exists()


def soffice_converts(paths: list[Path], tmp_path: Path) -> dict[Path, Path]:
    """Open documents with LibreOffice headless and convert them to PDF; the PDF of each.

    A PDF is opened with Draw when it is installed, else through Writer's PDF import (fine for
    a few pages, minutes for sixty)."""
    program = soffice()
    out = tmp_path / "converted"
    out.mkdir(exist_ok=True)
    profile = tmp_path / "lo-profile"
    results = {}
    pdfs = [p for p in paths if p.suffix == ".pdf"]
    others = [p for p in paths if p.suffix != ".pdf"]
    pdf_options = (["--convert-to", "pdf"] if has_draw() else
                   ["--infilter=writer_pdf_import", "--convert-to", "pdf:writer_pdf_Export"])
    for batch, options in ((pdfs, pdf_options), (others, ["--convert-to", "pdf"])):
        if not batch:
            continue
        sub = out / batch[0].suffix.lstrip(".")
        sub.mkdir(exist_ok=True)
        result = subprocess.run(
            [program, f"-env:UserInstallation=file://{profile}", "--headless", *options,
             "--outdir", str(sub), *map(str, batch)],
            capture_output=True, text=True, timeout=900)
        for path in batch:
            pdf = sub / (path.stem + ".pdf")
            assert pdf.is_file() and pdf.stat().st_size > 0, (
                f"LibreOffice could not open {path.name}: {result.stdout} {result.stderr}")
            results[path] = pdf
    return results


def pdf_is_sound(path: Path) -> int:
    """poppler reads the PDF without a syntax error; its number of pages."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo is not installed: apt-get install poppler-utils")
    result = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60)
    # poppler before 23.x reports a MarkInfo «/Suspects false» (a boolean, as the PDF standard
    # says: Typst writes it) as «wrong type»: not an error of the file
    errors = [line for line in result.stderr.splitlines()
              if "Error" in line and "Suspects object is wrong type (boolean)" not in line]
    assert result.returncode == 0 and not errors, result.stderr
    return int(next(line.split()[-1] for line in result.stdout.splitlines()
                    if line.startswith("Pages:")))


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed: apt-get install poppler-utils")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout
