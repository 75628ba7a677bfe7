"""The import's staging store keeps events in order, whether they stayed in memory or not."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs
import pytest

from insertion_core.domain.events import (
    AttendanceRecorded,
    Enrolled,
    Event,
    Exited,
    FollowUpRecorded,
    PhaseStarted,
)
from insertion_core.importing import staging as staging_module
from insertion_core.importing.staging import Staging

DAY = dt.date(2025, 1, 6)


def events(count: int) -> list[Event]:
    """Events of every kind the lifecycle causes, each one distinct."""
    kinds = [
        lambda n: Enrolled("p", f"P{n}", DAY, cohort_id="C1"),
        lambda n: PhaseStarted("p", f"P{n}", DAY, phase_id="accueil"),
        lambda n: Exited("p", f"P{n}", DAY, reason="completed", destination="employment.other"),
        lambda n: FollowUpRecorded("p", f"P{n}", DAY, situation="training.digital"),
        lambda n: AttendanceRecorded("p", f"P{n}", DAY + dt.timedelta(days=n), status="absent"),
    ]
    return [kinds[n % len(kinds)](n) for n in range(count)]


@attrs.frozen
class PluginEvent(FollowUpRecorded):
    """An event the lifecycle does not cause (a plugin's subclass): it goes to disk pickled."""

    name: ClassVar[str] = "followup_recorded"
    channel: str = ""


@pytest.mark.parametrize("per_record", [1, 3, 1_000])
@pytest.mark.parametrize("in_memory", [3, 10, 1_000])
def test_events_come_back_in_the_order_kept_in_chunks(
    monkeypatch: pytest.MonkeyPatch, in_memory: int, per_record: int
) -> None:
    """With 3 kept in memory all go to disk (and back, equal), with 10 some, with 1,000 none;
    on disk, ``per_record`` events to a record."""
    monkeypatch.setattr(staging_module, "_EVENTS_IN_MEMORY", in_memory)
    monkeypatch.setattr(staging_module, "_EVENTS_PER_RECORD", per_record)
    kept = events(23)
    kept[7] = PluginEvent("p", "P7", DAY, situation="training.digital", channel="sms")
    with Staging() as staging:
        for start in range(0, len(kept), 4):
            staging.keep_events(kept[start : start + 4])
        chunks = list(staging.events(5))
    assert all(1 <= len(chunk) <= 5 for chunk in chunks)
    assert [event for chunk in chunks for event in chunk] == kept
    assert [type(event) for chunk in chunks for event in chunk] == [type(e) for e in kept]
    if in_memory == 3:  # all on disk: chunks of 5 across records, whatever a record holds
        assert [len(chunk) for chunk in chunks] == [5, 5, 5, 5, 3]


def test_the_staging_database_keeps_a_bounded_cache_and_sorts_on_disk() -> None:
    with Staging() as staging:
        db = staging._db
        assert db.execute("PRAGMA cache_size").fetchone() == (-2000,)
        assert db.execute("PRAGMA temp_store").fetchone() == (1,)  # FILE
