"""`jalon import FILE --profile NAME [--org SLUG]` applies a saved import profile; the dry run's
JSON shows the mapping it used."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from import_sheets import HEADER, workbook
from jalon.orgadmin import profiles
from jalon.plans.models import Node, Plan


def columns(**fields):
    return [{"header": h, "field": fields.get(h, "title" if h == "Objectif / Action" else None)}
            for h in HEADER]


@pytest.fixture
def sheet(tmp_path):
    path = tmp_path / "aines.xlsx"
    path.write_bytes(workbook())
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("jalon_import", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_dry_run_json_shows_the_profile_mapping(world, sheet):
    profiles.save_profile(world.org, "Aînés", columns(**{"N°": "code", "Pilote": "team"}))
    data = json.loads(run(sheet, "--profile", "Aînés", "--dry-run", "--json"))
    by_header = {c["header"]: c for c in data["columns"]}
    assert by_header["Pilote"]["field"] == "team"
    assert by_header["Pilote"]["source"] == "profile"
    assert by_header["Couleur"]["field"] is None  # kept as a free field by the profile
    assert by_header["Couleur"]["source"] == "profile"
    action = next(n for n in data["nodes"] if n["code"] == "1.1")
    assert action["fields"]["team"] == ["Agent 1"] and "owners" not in action["fields"]
    assert not Plan.objects.filter(title__startswith="Plan de la Maison").exists()


def test_import_with_a_profile_saves_into_the_profile_organization(world, sheet):
    profiles.save_profile(world.org, "Aînés", columns(**{"N°": "code", "Couleur": ""}))
    out = run(sheet, "--profile", "Aînés")
    assert "profil « Aînés » appliqué" in out
    plan = Plan.objects.get(title="Plan de la Maison des aînés de Hamoir")
    assert plan.organization == world.org
    assert Node.objects.filter(plan=plan).count() == 3


def test_an_unknown_or_ambiguous_profile_is_one_line(world, sheet):
    with pytest.raises(CommandError, match="profil d'import inconnu : Nope"):
        run(sheet, "--profile", "Nope", "--dry-run")
    profiles.save_profile(world.org, "Commun", columns())
    profiles.save_profile(world.other_org, "Commun", columns())
    with pytest.raises(CommandError, match=r"plusieurs organisations \(amay, bree\)"):
        run(sheet, "--profile", "Commun", "--dry-run")
    assert "columns" in json.loads(run(sheet, "--profile", "Commun", "--org", "bree",
                                       "--dry-run", "--json"))
    with pytest.raises(CommandError, match="profil d'import inconnu dans amay : Bree"):
        profiles.save_profile(world.other_org, "Bree", columns())
        run(sheet, "--profile", "Bree", "--org", "amay", "--dry-run")
