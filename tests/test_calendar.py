"""add_months, age_on and Window: the calendar arithmetic every definition relies on."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insertion_core.domain import Window, add_months, age_on
from insertion_core.domain.calendar import last_day_of_month

from .strategies import dates

D = dt.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 8, 31), 6, D(2025, 2, 28)),  # the example of docs/indicators.md
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # clamped to a leap day
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 1, 31), 3, D(2024, 4, 30)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 5, 31), -3, D(2024, 2, 29)),
        (D(2025, 3, 31), -13, D(2024, 2, 29)),
        (D(2024, 1, 15), -1, D(2023, 12, 15)),
        (D(2024, 12, 31), 1, D(2025, 1, 31)),
        (D(2024, 11, 30), 1, D(2024, 12, 30)),
        (D(2024, 6, 15), 0, D(2024, 6, 15)),
        (D(2024, 6, 15), 24, D(2026, 6, 15)),
    ],
)
def test_add_months_examples(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_last_day_of_month() -> None:
    assert [last_day_of_month(2024, m) for m in (1, 2, 4, 12)] == [31, 29, 30, 31]
    assert last_day_of_month(2023, 2) == 28
    assert last_day_of_month(1900, 2) == 28
    assert last_day_of_month(2000, 2) == 29


@given(dates(), st.integers(-60, 60), st.integers(-60, 60))
def test_add_months_is_monotone(day: dt.date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert add_months(day, low) <= add_months(day, high)


@given(dates(), dates(), st.integers(-60, 60))
def test_add_months_keeps_day_order(a: dt.date, b: dt.date, months: int) -> None:
    first, second = sorted((a, b))
    assert add_months(first, months) <= add_months(second, months)


@given(dates(), st.integers(-60, 60))
def test_add_months_keeps_the_day_when_it_exists(day: dt.date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    last = last_day_of_month(moved.year, moved.month)
    if day.day <= last:
        assert moved.day == day.day
    else:
        assert moved.day == last


@given(dates(), st.integers(-60, 60))
def test_add_months_and_back_never_overshoots(day: dt.date, months: int) -> None:
    assert add_months(add_months(day, months), -months) <= day


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (D(2000, 6, 15), D(2016, 6, 14), 15),
        (D(2000, 6, 15), D(2016, 6, 15), 16),
        (D(2000, 6, 15), D(2016, 6, 16), 16),
        (D(2008, 2, 29), D(2024, 2, 28), 15),
        (D(2008, 2, 29), D(2024, 2, 29), 16),
        (D(2008, 2, 29), D(2025, 2, 28), 16),  # common year: the birthday is 1 March
        (D(2007, 2, 28), D(2025, 2, 28), 18),
        (D(2008, 2, 29), D(2026, 2, 28), 17),
        (D(2008, 2, 29), D(2026, 3, 1), 18),
        (D(2000, 1, 1), D(2000, 1, 1), 0),
    ],
)
def test_age_on(birth: dt.date, on: dt.date, age: int) -> None:
    assert age_on(birth, on) == age


@given(dates(), st.integers(1, 80))
def test_age_on_a_birthday(birth: dt.date, years: int) -> None:
    on = add_months(birth, 12 * years)
    # born on 29 February: in a common year add_months gives 28 February, the age comes on 1 March
    clamped = (birth.month, birth.day) == (2, 29) and on.day == 28
    assert age_on(birth, on) == (years - 1 if clamped else years)
    assert age_on(birth, on + dt.timedelta(days=1)) == years
    assert age_on(birth, on - dt.timedelta(days=1)) == years - 1


def test_window_contains_both_ends() -> None:
    window = Window(D(2024, 1, 1), D(2024, 1, 31))
    assert D(2024, 1, 1) in window
    assert D(2024, 1, 31) in window
    assert D(2024, 1, 15) in window
    assert D(2023, 12, 31) not in window
    assert D(2024, 2, 1) not in window
    assert "2024-01-15" not in window
    assert Window(D(2024, 1, 1), D(2024, 1, 1)).start == D(2024, 1, 1)


def test_window_refuses_an_end_before_its_start() -> None:
    with pytest.raises(
        ValueError, match=r"^window ends \(2024-01-01\) before it starts \(2024-01-02\)$"
    ):
        Window(D(2024, 1, 2), D(2024, 1, 1))


def test_window_months_after_clamps_like_add_months() -> None:
    assert Window.months_after(D(2024, 8, 31), 6) == Window(D(2024, 8, 31), D(2025, 2, 28))


@given(dates(), st.integers(0, 36))
def test_window_months_after_holds_its_ends(start: dt.date, months: int) -> None:
    window = Window.months_after(start, months)
    assert start in window
    assert add_months(start, months) in window
    assert window.end + dt.timedelta(days=1) not in window
    assert start - dt.timedelta(days=1) not in window
