"""Formula payloads in titles and indicators stay text in every spreadsheet we write: LibreOffice
opens the XLSX, the ODS and the CSV files and shows the payload, not a result.  One file per
format holds every payload (LibreOffice is slow); each file is converted once."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from office import soffice

PAYLOADS = ['=HYPERLINK("http://evil.example","Click me")', "=1+1", "+SUM(A1)", "-2+3",
            "@cmd", "\t=1+2", "\r=1+3"]


@pytest.fixture
def hostile(world):
    from jalon.plans.models import Node
    from jalon.tracking.models import Indicator
    from jalon.tracking.services import record_measurement

    w = world
    w.plan.title = PAYLOADS[0]
    w.plan.published = True
    w.plan.save()
    for i, payload in enumerate(PAYLOADS):
        node = Node.objects.create(plan=w.plan, parent=w.root, depth=1, position=10 + i,
                                   code=f"9.{i}", title=payload)
        ind = Indicator.objects.create(node=node, name=payload, unit="%")
        record_measurement(ind, "2023", -5)  # a negative number written as a number
    return w


def as_csv_cells(path: Path, tmp_path: Path) -> list[str]:
    """Every cell of every sheet, as LibreOffice shows it once opened and saved as CSV."""
    out = tmp_path / f"out-{path.suffix[1:]}"
    out.mkdir()
    options = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    infilter = ["--infilter=CSV:44,34,76,1"] if path.suffix == ".csv" else []
    subprocess.run([soffice(), f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                    *infilter, "--convert-to", options, "--outdir", str(out), str(path)],
                   capture_output=True, text=True, timeout=300, check=True)
    cells = []
    files = sorted(out.glob("*.csv"))
    assert files, f"LibreOffice converted nothing from {path.name}"
    for f in files:
        with f.open(encoding="utf-8", newline="") as fh:
            cells += [c for row in csv.reader(fh) for c in row]
    return cells


def assert_inert(cells: list[str], payloads=PAYLOADS) -> None:
    for payload in payloads:
        visible = payload.lstrip("\t\r")
        assert any(visible in c for c in cells), (payload, [c for c in cells if c][:40])
    # a formula that ran shows its result (2, 1, Click me…) instead of its text
    assert "Click me" not in [c.strip() for c in cells]


def download(client: Client, url: str, path: Path) -> Path:
    r = client.get(url, follow=True)  # the worker's job, then its file
    assert r.status_code == 200, url
    path.write_bytes(b"".join(r.streaming_content) if r.streaming else r.content)
    return path


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_council_report_keeps_payloads_as_text(hostile, tmp_path, fmt):
    client = Client()
    client.force_login(hostile.org_admin)
    path = download(client, f"/plans/{hostile.plan.pk}/report.{fmt}", tmp_path / f"r.{fmt}")
    cells = as_csv_cells(path, tmp_path)
    assert_inert(cells)
    assert any(c.strip() in ("-5", "-5,00", "-5.00") for c in cells)  # numbers stay numbers


def test_csv_files_keep_payloads_as_text(hostile, tmp_path):
    """Open data (anonymous) and the measurement template, in one CSV for LibreOffice."""
    admin = Client()
    admin.force_login(hostile.org_admin)
    opendata = Client().get(f"/public/amay/{hostile.plan.pk}/data.csv").content.decode()
    template = admin.get(f"/plans/{hostile.plan.pk}/measurements/template.csv")
    rows = list(csv.reader(opendata.splitlines()))
    rows += list(csv.reader(template.content.decode("utf-8-sig").splitlines(), delimiter=";"))
    path = tmp_path / "all.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert_inert(as_csv_cells(path, tmp_path))


def test_the_interchange_export_keeps_payloads_as_text():
    """``jalon export``: CSV text cells begin with the quote; XLSX cells are typed as text (the
    interchange must read back identically, so no quote there)."""
    import io

    from openpyxl import load_workbook

    from jalon.ingest.draft import NodeDraft, PlanDraft
    from jalon.ingest.writers import draft_to_csv, draft_to_xlsx

    draft = PlanDraft(title="=1+1", nodes=[
        NodeDraft(code="1", title="=HYPERLINK(\"http://evil.example\",\"x\")")])
    text = draft_to_csv(draft)
    assert "'=HYPERLINK" in text
    wb = load_workbook(io.BytesIO(draft_to_xlsx(draft)))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value]
    assert all(c.data_type == "s" for c in cells if str(c.value).startswith("="))
