from decimal import Decimal as Dec

import pytest

from jalon.tracking.rollup import Item, rollup


def test_weights_that_do_not_sum_to_one_are_normalised():
    r = rollup([Item("a", Dec(100), Dec(3)), Item("b", Dec(0), Dec(1))], "weighted")
    assert r.value == Dec("75.00")
    assert [w for _, _, w in r.inputs] == [Dec("0.75"), Dec("0.25")]


def test_plain_mean_ignores_weights():
    r = rollup([Item("a", Dec(100), Dec(3)), Item("b", Dec(0), Dec(1))], "mean")
    assert r.value == Dec("50.00")


def test_stopped_and_lapsed_items_are_excluded_and_listed():
    r = rollup([Item("a", Dec(80)), Item("b", Dec(0), status="stopped"),
                Item("c", Dec(10), status="lapsed"), Item("d", Dec(40))], "mean")
    assert r.value == Dec("60.00")
    assert r.excluded == [("b", "stopped"), ("c", "lapsed")]
    assert "exclus" in r.explain() and "a: 80" in r.explain()


def test_a_manual_override_needs_a_justification():
    with pytest.raises(ValueError):
        rollup([Item("a", Dec(10))], "manual", manual=Dec(60))
    r = rollup([Item("a", Dec(10))], "manual", manual=Dec(60), justification="marché attribué")
    assert r.value == Dec("60.00") and "marché attribué" in r.explain()


def test_an_item_not_started_counts_zero_and_a_done_one_a_hundred():
    r = rollup([Item("a", None, status="not_started"), Item("b", Dec(60)),
                Item("c", None, status="done")], "mean")
    assert r.value == Dec("53.33") and r.assumed == ["a"]


def test_a_first_progress_never_lowers_the_parent():
    before = rollup([Item("a", None), Item("b", Dec(60))], "mean").value
    after = rollup([Item("a", Dec(40)), Item("b", Dec(60))], "mean").value
    assert before == Dec("30.00") and after == Dec("50.00")


def test_nothing_to_count_gives_no_value_rather_than_zero():
    assert rollup([Item("a", Dec(5), status="stopped")], "weighted").value is None
    assert rollup([], "mean").value is None
