import re, subprocess, time
from pathlib import Path
import pytest
from jalon.ingest import parse_path
from jalon.plans.loader import load_draft
from jalon.reports.renderers import render
SEEDS = Path("src/jalon/demo/seeds")
@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_five(db, name, tmp_path):
    plan = load_draft(parse_path(SEEDS / name))
    out = {}
    for fmt in ("pdf", "docx", "xlsx", "ods"):
        t = time.time(); data = render(plan, fmt); p = tmp_path / f"r-{fmt}.{fmt}"; p.write_bytes(data); out[fmt] = round(time.time() - t, 1)
    txt = subprocess.run(["pdftotext", str(tmp_path / "r-pdf.pdf"), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", txt)
    miss = [n.code for n in plan.nodes.all() if re.sub(r"\s+", "", n.code) not in flat or re.sub(r"\s+", "", n.title) not in flat]
    r = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/p", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "c"), *[str(tmp_path / f"r-{f}.{f}") for f in ("docx", "xlsx", "ods")]], capture_output=True, text=True)
    conv = sorted(p.name for p in (tmp_path / "c").glob("*.pdf"))
    with open("/tmp/five.log", "a") as f:
        print(name, plan.nodes.count(), out, "missing", len(miss), miss[:3], conv, file=f)
    assert not miss and len(conv) == 3
