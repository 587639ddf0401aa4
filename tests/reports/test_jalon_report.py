"""``jalon_report PLAN --format … [--evaluation ID] -o FILE`` prints its progress."""

import io

import pytest
from django.core.management import CommandError, call_command

from jalon.reports import services


def run(*args) -> str:
    out = io.StringIO()
    call_command("jalon_report", *map(str, args), stdout=out)
    return out.getvalue()


def test_it_writes_the_document_and_prints_progress(followed, tmp_path):
    target = tmp_path / "rapport.docx"
    output = run(followed.plan.pk, "--format", "docx", "-o", target)
    lines = output.splitlines()
    assert lines[0] == "[  1/9] Instantané du plan"
    assert "[  9/9] Écriture du fichier" in lines
    assert target.read_bytes()[:2] == b"PK"


def test_it_renders_an_evaluation_with_chosen_sections(followed, tmp_path):
    e = services.create_evaluation(followed.plan, kind="annual")
    target = tmp_path / "eval.pdf"
    output = run(followed.plan.pk, "--evaluation", e.pk, "-f", "pdf", "--sections",
                 "cover,summary", "-o", target)
    assert "[  4/4]" in output
    assert target.read_bytes()[:5] == b"%PDF-"


def test_it_renders_the_plan_as_it_was(followed, tmp_path):
    target = tmp_path / "x.xlsx"
    run(followed.plan.pk, "--as-of", "31/12/2022", "-f", "xlsx", "-o", target)
    from openpyxl import load_workbook

    ws = load_workbook(target)["Actions"]
    progress = {row[1].value: row[5].value for row in ws.iter_rows(min_row=2)}
    assert progress["1.1"] is None  # its first journal entry is of 2023


@pytest.mark.parametrize("args", [
    (999, "-f", "pdf"),
    ("{plan}", "--evaluation", 999),
    ("{plan}", "--sections", "cover,nope"),
    ("{plan}", "--as-of", "hier"),
])
def test_it_refuses_bad_arguments(followed, tmp_path, args):
    args = [str(a).format(plan=followed.plan.pk) for a in args]
    with pytest.raises(CommandError):
        run(*args, "-o", tmp_path / "x")
