"""A plan with follow-up data: journal, indicators with targets and values, budget lines."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

SEED_003 = Path(__file__).resolve().parents[2] / "src/jalon/demo/seeds/003_cd862c1becbca89e.txt"


@pytest.fixture
def followed(world):
    """World's plan A with: progress in the journal, an indicator with a target and three
    yearly values, budget lines on two years, an owner and a risk on «1.1»."""
    from jalon.plans.models import Person
    from jalon.tracking.models import BudgetLine, Indicator, Target
    from jalon.tracking.services import post_update, record_measurement

    w = world
    w.action.risks = ["Retard du chantier"]
    w.action.comment = "Marché attribué"
    w.action.save()
    w.action.owners.add(Person.objects.create(organization=w.org, name="Anne Chef"))
    post_update(w.action, date=dt.date(2023, 6, 30), progress=40, status="in_progress")
    post_update(w.hr_action, date=dt.date(2023, 6, 30), progress=10, status="in_progress")
    w.indicator = Indicator.objects.create(node=w.action, name="Délai moyen d'accueil",
                                           unit="min", direction="down")
    Target.objects.create(indicator=w.indicator, period="2023", value=Decimal("15"))
    for period, value in (("2021", 30), ("2022", 22), ("2023", 14)):
        record_measurement(w.indicator, period, value)
    BudgetLine.objects.create(node=w.action, year=2023, planned=Decimal("12000"),
                              committed=Decimal("8000"), spent=Decimal("1234.56"))
    BudgetLine.objects.create(node=w.action, year=2024, planned=Decimal("5000"))
    BudgetLine.objects.create(node=w.hr_action, year=2023, planned=Decimal("3000"),
                              spent=Decimal("2500"))
    return w


@pytest.fixture
def seed_plan(db):
    """The CPAS de Binche plan (seed 003) through the importer."""
    from jalon.ingest import parse_path
    from jalon.plans.loader import load_draft

    return load_draft(parse_path(SEED_003))


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
    assert result.returncode == 0 and "Error" not in result.stderr, result.stderr
    return int(next(line.split()[-1] for line in result.stdout.splitlines()
                    if line.startswith("Pages:")))


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed: apt-get install poppler-utils")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout
