"""Where a participant stands on a day: the status boundaries, the last contact, attempts since."""

from __future__ import annotations

import datetime as dt

from insertion_core import Exit, FollowUpContact, Participant, Situation
from insertion_core.domain import ExitReason, loads_programme
from insertion_core.domain.journey import Journey
from insertion_core.domain.standing import (
    ParticipantStatus,
    attempts_since,
    last_contact,
    participant_status,
)

from .conftest import PROGRAMME_TOML

PROGRAMME = loads_programme(PROGRAMME_TOML)  # follow-up window: 6 months
D = dt.date


def journey(exit_reason: ExitReason | None = None, *contacts: tuple[dt.date, str]) -> Journey:
    exit_ = None
    if exit_reason is not None:
        exit_ = Exit(D(2026, 1, 31), exit_reason, Situation("job_search"))
    return Journey(
        Participant("P1", "C1", D(2025, 9, 1)),
        exit=exit_,
        contacts=tuple(FollowUpContact(day, Situation(family)) for day, family in contacts),
    )


def test_status_on_each_side_of_its_boundaries() -> None:
    open_ = journey()
    assert participant_status(PROGRAMME, open_, D(2025, 8, 31)) is ParticipantStatus.PLANNED
    assert participant_status(PROGRAMME, open_, D(2025, 9, 1)) is ParticipantStatus.IN_PROGRAMME
    left = journey(ExitReason.COMPLETED)
    assert participant_status(PROGRAMME, left, D(2026, 1, 30)) is ParticipantStatus.IN_PROGRAMME
    assert participant_status(PROGRAMME, left, D(2026, 1, 31)) is ParticipantStatus.IN_FOLLOWUP
    # six months after 31 January is 31 July (the last day of a shorter month is kept)
    assert participant_status(PROGRAMME, left, D(2026, 7, 31)) is ParticipantStatus.IN_FOLLOWUP
    assert participant_status(PROGRAMME, left, D(2026, 8, 1)) is ParticipantStatus.CLOSED
    neutralised = journey(ExitReason.NEUTRALISED)
    assert participant_status(PROGRAMME, neutralised, D(2026, 2, 1)) is ParticipantStatus.CLOSED


def test_attempts_since_count_unreachable_contacts_after_the_last_reached_one() -> None:
    calls = journey(
        ExitReason.COMPLETED,
        (D(2026, 2, 10), "unreachable"),
        (D(2026, 3, 1), "employment"),
        (D(2026, 3, 20), "unreachable"),
        (D(2026, 3, 5), "unreachable"),  # the order of the file does not matter
    )
    assert attempts_since(calls, D(2026, 2, 28)) == 1  # nobody reached yet: every attempt counts
    assert attempts_since(calls, D(2026, 3, 1)) == 0
    assert attempts_since(calls, D(2026, 3, 10)) == 1
    assert attempts_since(calls, D(2026, 4, 1)) == 2
    last = last_contact(calls, D(2026, 3, 10))
    assert last is not None and last.contact_date == D(2026, 3, 5)
    assert last_contact(calls, D(2026, 2, 1)) is None
