"""Each tricky rule of docs/indicators.md, hand-computed, through the pushed-down SQL facts.

Every example also checks the SQL facts against the reference ones; the
explicit expectations make sure both are right, not just equal.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.domain import Journey, Programme, Sector, Situation
from insertion_core.outcomes import CheckinStatus, DynamicExit, OutcomeFacts, Population, iter_facts

from ..outcomes.builders import day, journey, programme
from .pushdown_support import sql_database, stored

__all__ = ["sql_database"]

PROGRAMME = programme(months=6, checkpoints=(1, 3, 6), grace_days=7, overdue_days=14)


def pushed(
    database: SqlStorage,
    journeys: list[Journey],
    as_of: str,
    prog: Programme = PROGRAMME,
    sql: str | None = None,
) -> list[OutcomeFacts]:
    """The SQL facts on ``as_of`` (after running ``sql`` on the stored rows), checked against
    the reference when no ``sql`` changed the rows."""
    with stored(database, prog, journeys) as storage, storage.unit_of_work() as uow:
        if sql is not None:
            uow.session.execute(text(sql))
        found = list(uow.outcome_facts(prog, day(as_of)))
    expected = list(iter_facts(prog, sorted(journeys, key=lambda j: j.participant_id), day(as_of)))
    assert found == expected
    return found


def one(database: SqlStorage, as_of: str, **fields: Any) -> OutcomeFacts:
    """The SQL facts of one journey built from ``fields``."""
    (found,) = pushed(database, [journey(**fields)], as_of)
    return found


def test_the_window_ends_on_the_clamped_month_end(sql_database: SqlStorage) -> None:
    # 2024-08-31 + 6 months = 2025-02-28; 2023-08-31 + 6 months = 2024-02-29.
    exit_ = {"exit": "2024-08-31", "destination": "job_search"}
    assert one(sql_database, "2025-02-27", **exit_).population is Population.PENDING
    assert one(sql_database, "2025-02-28", **exit_).population is Population.MATURE
    leap = {"exit": "2023-08-31", "destination": "job_search"}
    assert one(sql_database, "2024-02-28", **leap).population is Population.PENDING
    assert one(sql_database, "2024-02-29", **leap).population is Population.MATURE


def test_a_contact_on_the_window_end_counts_and_the_day_after_does_not(
    sql_database: SqlStorage,
) -> None:
    last = one(
        sql_database, "2025-06-01", exit="2024-08-31", contacts=(("2025-02-28", "training"),)
    )
    assert (last.outcome, last.responded) == ("training", True)
    after = one(
        sql_database, "2025-06-01", exit="2024-08-31", contacts=(("2025-03-01", "training"),)
    )
    assert (after.outcome, after.responded) == ("none", False)


def test_same_day_the_first_listed_family_wins_then_digital(sql_database: SqlStorage) -> None:
    family = one(
        sql_database,
        "2025-06-01",
        exit="2024-01-10",
        destination="training.digital",
        contacts=(("2024-01-10", "employment"),),
    )
    assert family.first_positive == Situation("employment", Sector.OTHER)
    sector = one(
        sql_database,
        "2025-06-01",
        exit="2024-01-10",
        destination="employment",
        contacts=(("2024-01-10", "employment.digital"),),
    )
    assert sector.first_positive == Situation("employment", Sector.DIGITAL)
    earlier = one(
        sql_database,
        "2025-06-01",
        exit="2024-01-10",
        contacts=(("2024-02-01", "training"), ("2024-02-02", "employment.digital")),
    )
    assert earlier.first_positive == Situation("training", Sector.OTHER)


def test_a_dropout_stays_a_dropout_and_keeps_its_first_positive(sql_database: SqlStorage) -> None:
    found = one(
        sql_database,
        "2025-06-01",
        exit="2024-01-10",
        reason="dropout",
        contacts=(("2024-03-01", "employment.digital"),),
    )
    assert found.outcome == "dropout"
    assert found.first_positive == Situation("employment", Sector.DIGITAL)


def test_the_exit_interview_and_unreachable_contacts_are_not_responses(
    sql_database: SqlStorage,
) -> None:
    contacts = (("2024-01-10", "employment"), ("2024-03-01", "unreachable"))
    found = one(sql_database, "2025-06-01", exit="2024-01-10", contacts=contacts)
    assert (found.outcome, found.responded) == ("employment", False)


def test_upon_leaving_is_28_days_and_l4_closes_on_the_28th(sql_database: SqlStorage) -> None:
    contacts = (("2024-02-07", "job_search"), ("2024-02-08", "training"))
    on_28th = one(sql_database, "2024-02-07", exit="2024-01-10", contacts=contacts)
    assert (on_28th.in_l4, on_28th.job_searching_upon_leaving) == (True, True)
    assert on_28th.training_upon_leaving is False
    before = one(sql_database, "2024-02-06", exit="2024-01-10", contacts=contacts)
    assert (before.in_l4, before.job_searching_upon_leaving) == (False, False)


@pytest.mark.parametrize(
    ("contacts", "expected"),
    [
        # Six months after 2024-08-31 is 2025-02-28.
        ((("2025-01-28", "employment"),), True),  # 31 days before
        ((("2025-01-27", "employment"),), False),  # 32 days before
        ((("2025-03-31", "employment"),), True),  # 31 days after
        ((("2025-02-27", "job_search"), ("2025-03-01", "employment")), True),  # a tie
        ((("2025-02-27", "job_search"), ("2025-03-02", "employment")), False),  # farther
    ],
)
def test_employment_six_months_is_the_nearest_observation(
    sql_database: SqlStorage, contacts: tuple[tuple[str, str], ...], expected: bool
) -> None:
    found = one(sql_database, "2025-04-30", exit="2024-08-31", contacts=contacts)
    assert (found.in_l6, found.employment_six_months) == (True, expected)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"contract": "cdd", "contract_months": "6"}, DynamicExit.DURABLE_EMPLOYMENT),
        ({"contract": "interim", "contract_months": "5.9"}, DynamicExit.TRANSITION_EMPLOYMENT),
        ({"contract": "apprenticeship"}, DynamicExit.DURABLE_EMPLOYMENT),
        ({}, DynamicExit.TRANSITION_EMPLOYMENT),
        ({"destination": "training", "qualifying": False}, DynamicExit.OTHER),
        ({"destination": "training"}, DynamicExit.POSITIVE_EXIT),
        ({"destination": "civic_service"}, DynamicExit.OTHER),
    ],
)
def test_the_dynamic_exit_class(
    sql_database: SqlStorage, fields: dict[str, Any], expected: DynamicExit
) -> None:
    fields = {"destination": "employment", **fields}
    assert one(sql_database, "2024-02-01", exit="2024-01-10", **fields).dynamic_exit is expected


def test_checkin_ranges_and_assessment(sql_database: SqlStorage) -> None:
    # Exit 2024-01-31: due 2024-02-29 (1 month), 2024-04-30 (3), 2024-07-31 (6); grace 7, late 14.
    contacts = (
        ("2024-02-22", "unreachable"),  # due − 7: on time, not reached
        ("2024-05-08", "employment"),  # due + 8: late
        ("2024-08-22", "employment"),  # due + 22: after the late range
    )
    found = one(sql_database, "2024-08-07", exit="2024-01-31", contacts=contacts)
    statuses = [(c.status, c.reached, c.assessed) for c in found.checkins]
    assert statuses == [
        (CheckinStatus.ON_TIME, False, True),
        (CheckinStatus.LATE, False, True),
        (CheckinStatus.MISSING, False, False),  # due + 7 is not before as_of
    ]


def test_rows_after_as_of_do_not_exist(sql_database: SqlStorage) -> None:
    journeys = [
        journey("A", entry="2024-03-01"),
        journey("B", entry="2024-01-02", exit="2024-03-01"),
        journey("C", exit="2024-01-10", contacts=(("2024-02-20", "employment"),)),
    ]
    found = pushed(sql_database, journeys, "2024-02-19")
    assert [f.participant_id for f in found] == ["B", "C"]
    assert (found[0].population, found[0].exit_date) == (Population.IN_PROGRAMME, None)
    assert found[1].checkins[0].status is CheckinStatus.MISSING


def test_a_neutralised_participant_has_no_outcome_facts(sql_database: SqlStorage) -> None:
    found = one(sql_database, "2025-01-01", exit="2024-01-10", reason="neutralised")
    assert found.population is Population.NEUTRALISED
    assert (found.dynamic_exit, found.checkins, found.in_l4) == (None, (), False)


def test_situation_codes_are_compared_in_lower_case(sql_database: SqlStorage) -> None:
    stored_upper = "UPDATE contacts SET situation_family = upper(situation_family)"
    found = pushed(
        sql_database,
        [journey(exit="2024-01-10", contacts=(("2024-03-01", "employment"),))],
        "2025-01-01",
        sql=stored_upper,
    )
    assert found[0].outcome == "employment"
    assert found[0].first_positive == Situation("employment")


def test_a_programme_family_listed_first_wins_a_tie(sql_database: SqlStorage) -> None:
    own = programme(positive=("own_business", "employment"), families=("own_business",))
    j = journey(
        exit="2024-01-10", destination="employment", contacts=(("2024-01-10", "own_business"),)
    )
    (found,) = pushed(sql_database, [j], "2025-01-01", prog=own)
    assert found.outcome == "own_business"
