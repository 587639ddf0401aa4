"""The demo's follow-up comes from the documents' own figures; invented data is labelled."""

import pytest

from jalon.demo.followup import INVENTED, add_followup
from jalon.ingest import parse_path
from jalon.plans.loader import load_draft
from jalon.tracking.models import Indicator, Measurement, ProgressUpdate, Target
from samples import SEEDS


@pytest.fixture
def note(db):
    return load_draft(parse_path(SEEDS / "004_04c81f23e8f893f8.txt"))


def test_dated_figures_of_the_note_become_one_monthly_series(note):
    add_followup(note, invent=False)
    dei = Indicator.objects.get(node__plan=note, name="Evolution des DEI – Ville de Bruxelles")
    assert dei.frequency == "monthly"
    values = dict(Measurement.objects.filter(indicator=dei).values_list("period", "value"))
    assert values["2021-12"] == 14669 and values["2022-06"] == 14278
    assert all(m.source.startswith("document, ligne") for m in dei.measurements.all())
    assert not Indicator.objects.filter(node__plan=note, name__endswith="déc-21").exists()


def test_care_home_figures_become_targets_of_the_plan_year(note):
    add_followup(note, invent=False)
    beds = Indicator.objects.filter(node__plan=note, name="Nombre de lits disponibles").first()
    assert Target.objects.get(indicator=beds, period="2023").value == 148


def test_printed_progress_becomes_a_journal_entry_and_invented_data_is_labelled(db):
    plan = load_draft(parse_path(SEEDS / "003_cd862c1becbca89e.txt"))
    add_followup(plan, invent=True)
    printed = ProgressUpdate.objects.filter(node__plan=plan, demo=False)
    assert printed.exists()
    for u in printed:
        assert u.progress == u.node.progress or u.node.updates.first() != u
        assert "document source" in u.text
    invented = ProgressUpdate.objects.filter(node__plan=plan, demo=True)
    assert invented.exists() and all("inventée" in u.text for u in invented)
    assert not Measurement.objects.filter(indicator__node__plan=plan).exclude(
        source=INVENTED).exclude(source__startswith="document").exists()
