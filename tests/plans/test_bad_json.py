"""Bad JSON gives one line naming the first problem and its path; the database is unchanged."""

import json

import pytest
from django.core.management import call_command

from jalon.plans.models import Node, Organization, Plan

GOOD = {"plan": {"title": "P", "organization": "O"},
        "nodes": [{"code": "1", "parent": None, "title": "Un"},
                  {"code": "1.1", "parent": "1", "title": "Un-un"}]}


def run_import(tmp_path, capsys, text):
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("jalon_import", str(path))
    err = capsys.readouterr().err.strip()
    assert exit_.value.code != 0
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err


@pytest.mark.django_db
@pytest.mark.parametrize("text, expected", [
    ('{"plan": {"title": "P"}, "nodes": [', "JSON"),
    (json.dumps({**GOOD, "nodes": [{"code": "1", "parent": None}]}), "nodes[0]"),
    (json.dumps({**GOOD, "nodes": GOOD["nodes"] + [{"code": "2", "parent": "9",
                                                     "title": "x"}]}), "nodes[2]"),
    (json.dumps({**GOOD, "nodes": GOOD["nodes"] + [{"code": "1", "parent": None,
                                                     "title": "dup"}]}), "nodes[2]"),
    (json.dumps({**GOOD, "nodes": [{"code": "1", "parent": None, "title": "Un",
                                    "fields": {"progress": "beaucoup"}}]}), "progress"),
])
def test_it_names_the_first_problem_and_writes_nothing(tmp_path, capsys, text, expected):
    Organization.objects.create(name="Existing", slug="existing")
    err = run_import(tmp_path, capsys, text)
    assert "plan.json" in err and expected in err
    assert Plan.objects.count() == 0 and Node.objects.count() == 0
    assert Organization.objects.count() == 1
