"""Hand-computed examples at every boundary of the outcome rules (docs/indicators.md)."""

from __future__ import annotations

import pytest

from insertion_core.domain.situations import Sector, Situation
from insertion_core.outcomes import Population, compute_facts

from .builders import day, facts, journey, programme

P = programme()


@pytest.mark.parametrize(
    ("as_of", "population"),
    [("2024-07-14", Population.PENDING), ("2024-07-15", Population.MATURE)],
)
def test_window_closes_on_its_end_day(as_of, population):
    j = journey(exit="2024-01-15")
    assert facts(P, j, as_of).population is population


@pytest.mark.parametrize(
    ("contact", "outcome"), [("2024-07-15", "employment"), ("2024-07-16", "none")]
)
def test_observation_on_window_end_day_counts_and_the_day_after_does_not(contact, outcome):
    j = journey(exit="2024-01-15", contacts=((contact, "employment.other"),))
    assert facts(P, j, "2025-01-01").outcome == outcome


@pytest.mark.parametrize(
    ("contact", "outcome"), [("2025-02-28", "employment"), ("2025-03-01", "none")]
)
def test_window_of_an_exit_on_the_31st_ends_on_the_clamped_month_end(contact, outcome):
    j = journey(exit="2024-08-31", contacts=((contact, "employment.digital"),))
    found = facts(P, j, "2025-06-01")
    assert found.outcome == outcome
    assert facts(P, j, "2025-02-27").population is Population.PENDING
    assert facts(P, j, "2025-02-28").population is Population.MATURE


def test_earliest_positive_outcome_wins():
    j = journey(
        exit="2024-08-31",
        contacts=(("2024-11-01", "employment.digital"), ("2024-10-01", "training.other")),
    )
    found = facts(P, j, "2025-06-01")
    assert found.outcome == "training"
    assert found.first_positive == Situation("training", Sector.OTHER)
    assert not found.outcome_digital


@pytest.mark.parametrize(
    ("positive", "outcome"),
    [(("employment", "training"), "employment"), (("training", "employment"), "training")],
)
def test_same_day_tie_goes_to_the_family_listed_first(positive, outcome):
    prog = programme(positive=positive)
    j = journey(
        exit="2024-08-31",
        contacts=(("2024-10-01", "training.digital"), ("2024-10-01", "employment.other")),
    )
    assert facts(prog, j, "2025-06-01").outcome == outcome


def test_same_day_tie_within_a_family_goes_to_digital():
    j = journey(
        exit="2024-08-31",
        contacts=(("2024-10-01", "employment.other"), ("2024-10-01", "employment.digital")),
    )
    found = facts(P, j, "2025-06-01")
    assert found.first_positive == Situation("employment", Sector.DIGITAL)
    assert found.outcome_digital


def test_contact_on_exit_day_competes_with_destination_but_is_no_response():
    j = journey(
        exit="2024-03-01",
        destination="training.other",
        contacts=(("2024-03-01", "employment.digital"),),
    )
    found = facts(P, j, "2025-01-01")
    assert found.outcome == "employment"  # employment listed first in outcomes.positive
    assert found.responded is False
    later = journey(exit="2024-03-01", contacts=(("2024-03-02", "job_search"),))
    assert facts(P, later, "2025-01-01").responded is True


def test_unreachable_contact_is_no_response_and_nothing_is_imputed():
    j = journey(exit="2024-03-01", contacts=(("2024-04-01", "unreachable"),))
    found = facts(P, j, "2025-01-01")
    assert (found.outcome, found.responded, found.first_positive) == ("none", False, None)


def test_dropout_who_later_finds_a_job_stays_a_dropout():
    j = journey(exit="2024-05-02", reason="dropout", contacts=(("2024-09-02", "employment.other"),))
    found = facts(P, j, "2025-01-01")
    assert found.outcome == "dropout"
    assert found.first_positive == Situation("employment")


def test_early_positive_is_classed_by_its_outcome():
    j = journey(exit="2024-05-02", reason="early_positive", destination="employment.other")
    assert facts(P, j, "2025-01-01").outcome == "employment"


def test_neutralised_is_withdrawn_whether_or_not_the_window_closed():
    j = journey(exit="2024-06-03", reason="neutralised", contacts=(("2024-09-01", "employment"),))
    for as_of in ("2024-07-01", "2025-06-01"):
        found = facts(P, j, as_of)
        assert found.population is Population.NEUTRALISED
        assert (found.outcome, found.in_l4, found.in_l6, found.dynamic_exit) == (
            None,
            False,
            False,
            None,
        )
        assert found.checkins == ()


def test_pending_has_no_outcome_class_yet():
    j = journey(exit="2026-10-02", destination="training.digital")
    found = facts(P, j, "2026-11-25")
    assert found.population is Population.PENDING
    assert found.outcome is None
    assert found.dynamic_exit is not None


def test_rows_after_as_of_do_not_exist():
    j = journey(entry="2024-01-02", exit="2024-06-01", contacts=(("2024-07-01", "employment"),))
    assert compute_facts(P, j, day("2024-01-01")) is None
    assert facts(P, j, "2024-05-31").population is Population.IN_PROGRAMME
    assert facts(P, j, "2024-05-31").exit_date is None
    # the contact after as_of is unseen: upon leaving nothing in employment
    early = facts(P, j, "2024-06-30")
    assert early.in_l4 and not early.employment_upon_leaving


def test_extra_positive_family_gets_its_own_class():
    prog = programme(positive=("employment", "training", "civic_service"))
    j = journey(exit="2024-03-01", contacts=(("2024-04-01", "civic_service"),))
    assert facts(prog, j, "2025-01-01").outcome == "civic_service"


def test_age_band_at_entry_and_leap_day_birthdays():
    j = journey(entry="2022-02-28", birth="2004-02-29")
    assert facts(P, j, "2024-01-01").age_at_entry == 17
    assert facts(P, j, "2024-01-01").age_band == "under_18"
    j = journey(entry="2022-03-01", birth="2004-02-29")
    assert facts(P, j, "2024-01-01").age_band == "18_21"
    j = journey(entry="2030-03-01", birth="2004-02-29")
    assert facts(P, j, "2031-01-01").age_band == "26_plus"
    assert facts(P, journey(), "2024-01-03").age_band == "unknown"
