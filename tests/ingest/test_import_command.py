"""`jalon import` on bad input: one line naming the file and the problem, exit code non-zero,
nothing written. On good input: the dry run prints the interchange contract."""

import io
import json
import subprocess
import sys
import zipfile

import pytest
from django.core.management import call_command

from jalon.plans.models import Node, Organization, Plan
from samples import SEEDS, declare_size, tiny_docx, tiny_pdf, zip_of


def run(path, *args):
    return subprocess.run([sys.executable, "-m", "jalon.cli", "import", str(path), *args],
                          capture_output=True, text=True, timeout=120)


def docx_bomb() -> bytes:
    data = tiny_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    entries["word/media/huge.bin"] = b"\0" * (20 * 1024 * 1024)  # compresses ~1000:1
    return zip_of(entries)


def encrypted_pdf():
    return tiny_pdf(encrypt=True)


BAD = {
    "vide.txt": lambda: b"",
    "bruit.bin": lambda: bytes(range(256)) * 64,
    "tronque.pdf": lambda: tiny_pdf("PST 2019")[:300],
    "chiffre.pdf": encrypted_pdf,
    "bombe.docx": docx_bomb,
    "declare.docx": lambda: declare_size(tiny_docx(), 3_000_000_000),
    "entete.csv": lambda: b"nom;couleur\nA;rouge\n",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_gives_one_line_and_writes_nothing(tmp_path, name, capsys):
    path = tmp_path / name
    path.write_bytes(BAD[name]())
    Organization.objects.create(name="Existante", slug="existante")
    with pytest.raises(SystemExit) as exit_:
        call_command("jalon_import", str(path))
    err = capsys.readouterr().err.strip()
    assert exit_.value.code == 2
    assert len(err.splitlines()) == 1, err
    assert err.startswith(name + ":") and "Traceback" not in err
    assert Plan.objects.count() == 0 and Node.objects.count() == 0
    assert Organization.objects.count() == 1


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(tmp_path, settings, capsys):
    settings.JALON_IMPORT_MAX_BYTES = 1000
    path = tmp_path / "gros.txt"
    path.write_text("1. Axe\n" * 500, encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("jalon_import", str(path))
    err = capsys.readouterr().err
    assert "gros.txt" in err and "volumineux" in err
    assert Plan.objects.count() == 0


def test_the_real_command_exits_non_zero_without_traceback(tmp_path):
    path = tmp_path / "vide.txt"
    path.write_bytes(b"")
    proc = run(path, "--dry-run")
    assert proc.returncode != 0
    assert proc.stderr.strip().startswith("vide.txt:") and "Traceback" not in proc.stderr


@pytest.mark.django_db
def test_dry_run_json_prints_the_contract_and_writes_nothing(capsys):
    call_command("jalon_import", str(SEEDS / "001_c3f13c68925d32f5.txt"), "--dry-run", "--json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"plan", "nodes", "warnings", "structure"}
    assert out["structure"] == "layout: letter_codes"
    codes = {n["code"] for n in out["nodes"]}
    for node in out["nodes"]:
        assert {"code", "parent", "depth", "title", "line", "fields"} <= set(node)
        assert node["parent"] is None or node["parent"] in codes
        assert isinstance(node["line"], int) and node["line"] >= 1
    assert Plan.objects.count() == 0
