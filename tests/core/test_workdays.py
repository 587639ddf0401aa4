import datetime as dt

import pytest

from jalon.core.workdays import (
    add_working_days,
    annual_evaluation_due,
    is_working_day,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize("holiday", [D(2025, 4, 21), D(2025, 5, 1), D(2025, 7, 21),
                                     D(2025, 11, 11), D(2025, 12, 25), D(2026, 1, 1)])
def test_belgian_public_holidays_are_not_working_days(holiday):
    assert not is_working_day(holiday)


def test_it_skips_easter_monday():
    # Thursday 17/04/2025 + 2 working days: Fri 18 (Good Friday is worked in Belgium), Tue 22
    assert add_working_days(D(2025, 4, 17), 2) == D(2025, 4, 22)


def test_it_skips_may_day_and_the_weekend():
    # Wed 30/04/2025 + 1: Fri 2 May (1 May is a holiday); + 2: Mon 5 May
    assert add_working_days(D(2025, 4, 30), 1) == D(2025, 5, 2)
    assert add_working_days(D(2025, 4, 30), 2) == D(2025, 5, 5)


def test_fifteen_working_days_across_the_national_holiday():
    # From Mon 7/7/2025: 15 working days, 21 July (Mon) excluded → Tue 29 July
    assert add_working_days(D(2025, 7, 7), 15) == D(2025, 7, 29)


def test_a_concertation_then_a_report_across_armistice():
    concertation = add_working_days(D(2025, 10, 27), 15)  # 1/11 is a Saturday; 11/11 a Tuesday
    assert concertation == D(2025, 11, 18)
    assert add_working_days(concertation, 15) == D(2025, 12, 9)


def test_counting_back_and_between():
    assert add_working_days(D(2025, 5, 2), -1) == D(2025, 4, 30)
    assert working_days_between(D(2025, 7, 18), D(2025, 7, 22)) == 1  # Fri → Tue over 21/7


def test_the_annual_evaluation_is_due_on_31_march_or_the_next_working_day():
    assert annual_evaluation_due(2024) == D(2025, 3, 31)  # a Monday
    assert annual_evaluation_due(2025) == D(2026, 3, 31)  # a Tuesday
    assert annual_evaluation_due(2026) == D(2027, 3, 31)  # Wednesday
    assert annual_evaluation_due(2019) == D(2020, 3, 31)
    # 31/03/2029 is Easter Saturday: next working day after Easter Monday 2/4
    assert annual_evaluation_due(2028) == D(2029, 4, 3)
