"""JSON interchange: export → import into an empty database → export gives the same document."""

import json

import pytest
from django.core.management import call_command

from jalon.ingest.draft import PlanDraft
from jalon.ingest.interchange import dump_json, load_json
from jalon.plans.loader import load_draft, plan_to_draft
from jalon.plans.models import Department, Node, Organization, Person, Plan


def rich_draft() -> PlanDraft:
    d = PlanDraft(title="PST de Theux", kind="pst", organization="CPAS de Theux",
                  period_start=2019, period_end=2024, source="pst.pdf", layout="action_sheets",
                  levels=["Axe", "Objectif", "Action"], adopted_by="Conseil de l'action sociale",
                  adopted_on="2019-09-25", status="adopted", rollup_rule="weighted",
                  amendments=[{"version": "2", "date": "2021-06-30", "decision": "CAS 30/06/2021",
                               "note": "ajout 1.1.3"}])
    d.add("Améliorer le service", code="1", line=3)
    o = d.add("Accueil", code="1.1", parent="1", line=9)
    o.set("description", "Un accueil « humain » — accents, €, œ")
    a = d.add("Rénover le hall", code="1.1.1", parent="1.1", line=12, printed="1.1.1 →")
    for key, value in {
        "start": "09/2019", "end": "2020-21", "departments": ["Travaux", "Service social"],
        "owners": ["Anne Dupont"], "team": ["Bob", "Chloé"], "mandataire": ["Président"],
        "partners": ["Commune / SPW"], "steering": ["CODIR"], "budget_eur": [7500, 6400.5],
        "budget_as_printed": "7500 (mise en œuvre) / 6400,5", "fte": 0.5, "funding": "fonds propres",
        "progress": 35, "status": "in_progress", "risks": ["retard du marché", "coût"],
        "deliverables": ["hall rénové"], "comment": "ok", "domain": "Ins/techn",
        "tags": ["volet interne"], "sdgs": [11], "priority": 1, "weight": 2,
    }.items():
        a.set(key, value, line=13)
    a.add_indicator("Satisfaction", "80 % dans les 5 jours ouvrables / 100 % dans le mois",
                    line=20, norm="80 %", unit="%")
    b = d.add("Sans code", parent="1.1", line=30)  # derived code
    b.set("start", "Continu")
    b.set("links", [{"target": "1.1.1", "kind": "depends", "weight": 0.5}])
    d.add("Typo", code="2", line=40).set("end", "2023-2à24")
    return d.finish()


def wipe():
    Plan.objects.all().delete()
    Person.objects.all().delete()
    Department.objects.all().delete()
    Organization.objects.all().delete()


@pytest.mark.django_db
def test_export_import_export_is_identical():
    plan = load_draft(rich_draft())
    first = dump_json(plan_to_draft(plan))
    wipe()
    again = load_draft(load_json(first, "plan.json"))
    second = dump_json(plan_to_draft(again))
    assert second == first
    data = json.loads(first)
    node = next(n for n in data["nodes"] if n["code"] == "1.1.1")
    assert node["fields"]["budget_eur"] == [7500, 6400.5]
    assert node["fields"]["owners"] == ["Anne Dupont"]
    assert node["fields"]["code_as_printed"] == "1.1.1 →"
    assert next(n for n in data["nodes"] if n["code"] == "1.1.2")["derived_code"] is True


@pytest.mark.django_db
def test_the_cli_round_trips_through_files(tmp_path, capsys):
    path = tmp_path / "plan.json"
    path.write_text(dump_json(rich_draft()), encoding="utf-8")
    call_command("jalon_import", str(path))
    plan = Plan.objects.get()
    out1 = tmp_path / "out1.json"
    call_command("jalon_export", str(plan.pk), "--format", "json", "-o", str(out1))
    wipe()
    call_command("jalon_import", str(out1))
    out2 = tmp_path / "out2.json"
    call_command("jalon_export", str(Plan.objects.get().pk), "-o", str(out2))
    assert out1.read_text(encoding="utf-8") == out2.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_the_stored_node_parses_printed_dates():
    plan = load_draft(rich_draft())
    n = Node.objects.get(plan=plan, code="1.1.1")
    assert (n.start_date.isoformat(), n.end_date.isoformat()) == ("2019-09-01", "2021-12-31")
    assert Node.objects.get(plan=plan, code="1.1.2").open_ended
    typo = Node.objects.get(plan=plan, code="2")
    assert typo.end_text == "2023-2à24" and typo.end_date is None and typo.date_kind == "invalid"
