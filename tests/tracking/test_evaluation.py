import datetime as dt
from decimal import Decimal as Dec

from jalon.core.values import parse_norm
from jalon.tracking.evaluation import evaluate_norm, evaluate_value, is_stale

TWO_TIER = parse_norm("80 % dans les 5 jours ouvrables / 100 % dans le mois")


def test_a_two_tier_norm_is_met_only_when_both_tiers_are():
    assert [t.value for t in TWO_TIER.tiers] == [80, 100]
    assert evaluate_norm(TWO_TIER, [Dec(85), Dec(100)]) == "met"
    assert evaluate_norm(TWO_TIER, [Dec(85), Dec(97)]) == "close"
    assert evaluate_norm(TWO_TIER, [Dec(60), Dec(100)]) == "missed"
    assert evaluate_norm(TWO_TIER, [None, None]) == "no_data"


def test_a_norm_to_define_or_for_monitoring_has_no_status():
    assert evaluate_norm(parse_norm("Norme à définir"), [Dec(50)]) == "no_norm"
    assert evaluate_norm(parse_norm("xx jours"), [Dec(50)]) == "no_norm"


def test_a_single_norm_and_directions():
    assert evaluate_norm(parse_norm("94 %"), [Dec("94.0")]) == "met"
    assert evaluate_value(Dec(12), Dec(10), "down") == "missed"
    assert evaluate_value(Dec("10.4"), Dec(10), "down") == "close"
    assert evaluate_value(Dec(5), None, "band", low=4, high=6) == "met"
    assert evaluate_value(None, Dec(10)) == "no_data"


def test_staleness_depends_on_the_frequency():
    today = dt.date(2026, 11, 23)
    last = dt.date(2026, 9, 30)
    assert is_stale("monthly", last, today)  # 54 days > 31 + 15
    assert not is_stale("quarterly", last, today)
    assert not is_stale("yearly", dt.date(2025, 12, 31), today)
    assert is_stale("yearly", dt.date(2024, 12, 31), today)
    assert not is_stale("irregular", None, today)
    assert is_stale("monthly", None, today, since=dt.date(2026, 1, 1))
