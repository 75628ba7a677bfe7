"""Hand-computed examples of the ESF+ and dynamic exit rules."""

from __future__ import annotations

import pytest

from insertion_core.outcomes import DynamicExit

from .builders import facts, journey, programme

P = programme()


@pytest.mark.parametrize(("contact", "counted"), [("2024-02-07", True), ("2024-02-08", False)])
def test_upon_leaving_means_within_28_days_of_exit(contact, counted):
    j = journey(exit="2024-01-10", contacts=((contact, "training.other"),))
    found = facts(P, j, "2024-12-31")
    assert found.in_l4
    assert found.training_upon_leaving is counted
    assert found.job_searching_upon_leaving  # the destination, on the exit day


def test_l4_membership_starts_28_days_after_exit():
    j = journey(exit="2024-01-10")
    assert not facts(P, j, "2024-02-06").in_l4
    assert facts(P, j, "2024-02-07").in_l4


def test_several_upon_leaving_numerators_are_not_exclusive():
    j = journey(
        exit="2024-01-10",
        destination="employment.other",
        contacts=(("2024-01-20", "training"), ("2024-01-25", "job_search")),
    )
    found = facts(P, j, "2024-12-31")
    assert found.employment_upon_leaving and found.training_upon_leaving
    assert found.job_searching_upon_leaving


def test_l6_membership_starts_31_days_after_the_six_month_date():
    j = journey(exit="2024-01-31")  # six months: 2024-07-31, + 31 days: 2024-08-31
    assert not facts(P, j, "2024-08-30").in_l6
    assert facts(P, j, "2024-08-31").in_l6


@pytest.mark.parametrize(
    ("contacts", "employed"),
    [
        ((("2024-07-01", "employment"),), True),  # 30 days before
        ((("2024-06-29", "employment"),), False),  # 32 days before: outside
        ((("2024-08-31", "employment"),), True),  # 31 days after: inside
        ((("2024-07-01", "employment"), ("2024-08-20", "job_search")), False),  # nearest wins
        ((("2024-07-21", "job_search"), ("2024-08-10", "employment")), True),  # tie both sides
        ((("2024-07-31", "job_search"), ("2024-07-31", "employment")), True),  # same day
    ],
)
def test_six_months_takes_the_nearest_observations_within_31_days(contacts, employed):
    j = journey(exit="2024-01-31", contacts=contacts)
    assert facts(P, j, "2025-01-01").employment_six_months is employed


def test_six_months_is_six_months_whatever_the_followup_window():
    prog = programme(months=3, checkpoints=(1, 3))
    j = journey(exit="2024-01-31", contacts=(("2024-07-31", "employment"),))
    found = facts(prog, j, "2025-01-01")
    assert found.employment_six_months
    assert found.outcome == "none"  # outside the 3-month window


@pytest.mark.parametrize(
    ("destination", "contract", "months", "qualifying", "kind"),
    [
        ("employment", "cdi", None, None, DynamicExit.DURABLE_EMPLOYMENT),
        ("employment", "self_employed", None, None, DynamicExit.DURABLE_EMPLOYMENT),
        ("employment", "apprenticeship", None, None, DynamicExit.DURABLE_EMPLOYMENT),
        ("employment", "cdd", "6", None, DynamicExit.DURABLE_EMPLOYMENT),
        ("employment", "interim", "6.0", None, DynamicExit.DURABLE_EMPLOYMENT),
        ("employment", "cdd", "5.9", None, DynamicExit.TRANSITION_EMPLOYMENT),
        ("employment", "interim", None, None, DynamicExit.TRANSITION_EMPLOYMENT),
        ("employment", "subsidised", "12", None, DynamicExit.TRANSITION_EMPLOYMENT),
        ("employment", None, None, None, DynamicExit.TRANSITION_EMPLOYMENT),
        ("training", None, None, None, DynamicExit.POSITIVE_EXIT),
        ("training", None, None, True, DynamicExit.POSITIVE_EXIT),
        ("training", None, None, False, DynamicExit.OTHER),
        ("civic_service", None, None, None, DynamicExit.OTHER),
        ("job_search", None, None, None, DynamicExit.OTHER),
    ],
)
def test_dynamic_exit_classes(destination, contract, months, qualifying, kind):
    j = journey(
        exit="2024-01-31",
        reason="dropout",  # whatever the exit reason
        destination=destination,
        contract=contract,
        contract_months=months,
        qualifying=qualifying,
    )
    assert facts(P, j, "2024-03-01").dynamic_exit is kind
