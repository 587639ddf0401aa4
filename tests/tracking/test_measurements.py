"""Measurements: idempotent uploads, all row errors at once, nothing written unless accepted."""

import datetime as dt
from decimal import Decimal

import pytest

from jalon.tracking.models import Indicator, Measurement, MeasurementBatch
from jalon.tracking.services import (
    BulkRejected,
    import_measurements,
    measurement_history,
    record_measurement,
)


@pytest.fixture
def ind(world):
    return Indicator.objects.create(node=world.action, name="Dossiers traités",
                                    frequency="monthly")


def rows(*dicts):
    return [(i + 2, d) for i, d in enumerate(dicts)]  # row 1 is the header


GOOD = rows({"code": "1.1", "indicator": "Dossiers traités", "period": "2020-01", "value": "12"},
            {"code": "1.1", "indicator": "Dossiers traités", "period": "2020-02", "value": "15,5",
             "dim:bureau": "Liège"},
            {"code": "1.1", "indicator": "dossiers traités", "period": "mars 2020", "value": "9"})


def test_the_same_file_uploaded_twice_creates_no_duplicate(world, ind):
    first = import_measurements(world.plan, GOOD)
    assert (first.created, first.updated) == (3, 0)
    second = import_measurements(world.plan, GOOD)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert Measurement.objects.count() == 3
    assert Measurement.objects.get(period="2020-02").dimensions == {"bureau": "Liège"}


def test_a_corrected_value_updates_the_existing_measurement(world, ind):
    record_measurement(ind, "2020-01", 10)
    m, created = record_measurement(ind, "2020-01", 11)
    assert not created and Measurement.objects.get().value == 11


def test_all_row_errors_are_reported_at_once_and_nothing_is_written(world, ind):
    bad = GOOD + rows(
        {"code": "9.9", "indicator": "Inconnu", "period": "2020-01", "value": "1"},
        {"code": "1.1", "indicator": "Dossiers traités", "period": "2031-01", "value": "1"},
        {"code": "1.1", "indicator": "Dossiers traités", "period": "2020-04", "value": "beaucoup"},
        {"code": "1.1", "indicator": "Dossiers traités", "period": "2020-01", "value": "12"},
    )
    bad = [(i + 2, d) for i, (_, d) in enumerate(bad)]
    with pytest.raises(BulkRejected) as exc:
        import_measurements(world.plan, bad)
    errors = exc.value.result.errors
    assert [e.row for e in errors] == [5, 6, 7, 8]
    assert "inconnu" in str(errors[0]) and "hors du plan" in str(errors[1])
    assert "non numérique" in str(errors[2]) and "doublon de la ligne 2" in str(errors[3])
    assert Measurement.objects.count() == 0


def test_valid_rows_are_written_only_when_the_user_accepts_them(world, ind):
    bad = GOOD + rows({"code": "1.1", "indicator": "Dossiers traités", "period": "x",
                       "value": "1"})
    result = import_measurements(world.plan, bad, accept_valid=True)
    assert result.created == 3 and len(result.errors) == 1
    assert Measurement.objects.count() == 3


# -- values as people type them; one audit record per batch --------------------------------

TYPED = rows(*({"code": "1.1", "indicator": "Dossiers traités", "period": p, "value": v,
                "comment": c} for p, v, c in (
    ("2020-01", "81 %", ""), ("2020-02", "81,5", ""), ("2020-03", "1.234,5", ""),
    ("2020-04", "1 234,5", ""), ("2020-05", "n.d.", "panne du logiciel"),
    ("2020-06", "NC", ""), ("2020-07", "-2", ""))))


def test_values_are_read_as_people_type_them_and_missing_ones_keep_their_reason(world, ind):
    result = import_measurements(world.plan, TYPED)
    assert (result.created, result.errors) == (7, [])
    got = {m.period: (m.value, m.missing, m.comment) for m in Measurement.objects.all()}
    assert got["2020-01"][0] == 81 and got["2020-02"][0] == Decimal("81.5")
    assert got["2020-03"][0] == got["2020-04"][0] == Decimal("1234.5")
    assert got["2020-05"] == (None, "not_available", "panne du logiciel")
    assert got["2020-06"] == (None, "not_communicated", "")
    assert got["2020-07"][0] == -2


def test_a_missing_value_does_not_hide_the_last_real_one(world, ind):
    from jalon.tracking.status import plan_indicator_statuses

    import_measurements(world.plan, TYPED)
    status = next(s for s in plan_indicator_statuses(world.plan, dt.date(2020, 8, 1))
                  if s.indicator.pk == ind.pk)
    assert (status.last_period, status.last_value) == ("2020-07", -2)


def test_an_unreadable_value_is_one_row_error_naming_the_accepted_forms(world, ind):
    with pytest.raises(BulkRejected) as exc:
        import_measurements(world.plan, rows({"code": "1.1", "indicator": "Dossiers traités",
                                              "period": "2020-01", "value": "beaucoup"}))
    (error,) = exc.value.result.errors
    assert error.row == 2 and "beaucoup" in error.message and "n.d." in error.message


def test_one_audit_record_per_batch_with_the_replaced_values(world, ind):
    first = import_measurements(world.plan, GOOD, by=world.editor, filename="janvier.csv",
                                channel="upload")
    changed = rows({"code": "1.1", "indicator": "Dossiers traités", "period": "2020-01",
                    "value": "13"})
    second = import_measurements(world.plan, changed, by=world.org_admin, filename="fix.csv")
    assert MeasurementBatch.objects.count() == 2
    assert Measurement.history.count() == 0  # no history row per measurement
    b1, b2 = first.batch, second.batch
    assert (b1.user, b1.filename, b1.rows, b1.created) == (world.editor, "janvier.csv", 3, 3)
    assert (b2.created, b2.updated, b2.unchanged) == (0, 1, 0)
    m = Measurement.objects.get(period="2020-01")
    assert list(b2.replaced.values_list("measurement", "old_value", "old_missing",
                                        "new_value", "new_missing")) == [
        (m.pk, Decimal("12"), "", Decimal("13"), "")]
    assert not b1.replaced.exists()
    assert m.value == 13 and m.batch == b1 and m.entered_by == world.editor
    history = measurement_history(m)
    assert [(e["kind"], e["user"], e["batch"]) for e in history] == [
        ("+", world.editor, b1), ("~", world.org_admin, b2)]
    assert (history[0]["value"], history[1]["old"], history[1]["value"]) == (12, 12, 13)


def test_a_bulk_write_bumps_the_plan_revision_once(world, ind):
    from jalon.plans.models import Plan

    before = Plan.objects.get(pk=world.plan.pk).revision
    import_measurements(world.plan, GOOD)
    after = Plan.objects.get(pk=world.plan.pk)
    assert after.revision == before + 1 and after.last_modified is not None
    import_measurements(world.plan, GOOD)  # nothing changed: no bump
    assert Plan.objects.get(pk=world.plan.pk).revision == before + 1


def test_the_statuses_found_through_the_plans_node_ids_are_the_same(world, ind):
    """The dashboard passes the plan's node ids (an index read instead of a scan of every
    organization's indicators): the same indicators, values and targets, none of another plan."""
    from jalon.plans.models import Node
    from jalon.tracking.models import Target
    from jalon.tracking.status import plan_indicator_statuses

    import_measurements(world.plan, TYPED)
    Target.objects.create(indicator=ind, period="2020", value=Decimal("50"))
    Indicator.objects.create(node=world.other_node, name="Ailleurs", frequency="monthly")
    day = dt.date(2020, 8, 1)
    ids = list(Node.objects.filter(plan=world.plan).values_list("id", flat=True))
    by_join = plan_indicator_statuses(world.plan, day)
    by_ids = plan_indicator_statuses(world.plan, day, ids)
    assert [(s.indicator.pk, s.status, s.last_value, s.target, s.stale) for s in by_ids] == \
        [(s.indicator.pk, s.status, s.last_value, s.target, s.stale) for s in by_join]
    assert {s.indicator.name for s in by_ids} == {"Dossiers traités"}
    assert next(s for s in by_ids if s.indicator.pk == ind.pk).target == 50
