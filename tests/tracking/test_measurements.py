"""Measurements: idempotent uploads, all row errors at once, nothing written unless accepted."""

import pytest

from jalon.tracking.models import Indicator, Measurement
from jalon.tracking.services import BulkRejected, import_measurements, record_measurement


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
