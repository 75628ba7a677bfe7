"""Retention (docs/personal-data.md, Retention): personal data erased from its erasure day on,
the pseudonymous journey kept, a dry run changing nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from unittest.mock import Mock

import attrs
import pytest

from insertion_core import Workspace
from insertion_core.default_plugins.memory import MemoryStorage
from insertion_core.domain.codes import AttendanceStatus
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import AttendanceRecord, Participant
from insertion_core.domain.programme import loads_programme
from insertion_core.errors import ConfigError, NotFoundError
from insertion_core.plugins import get_plugin_manager
from insertion_core.privacy import RetentionCounts, erasure_day, run_retention
from insertion_core.privacy.retention import without_free_text

from .conftest import PROGRAMME, D, journey, personal, store

ON_THE_DAY = D(2026, 12, 30)  # 24 months after the last contact, 2024-12-30


def stored(workspace: Workspace, participant_id: str = "ZQX-4711") -> tuple[Journey, object]:
    with workspace.storage.unit_of_work(read_only=True) as uow:
        found = uow.journeys.get("site", participant_id)
        assert found is not None
        return found, uow.personal.get("site", participant_id)


def test_the_erasure_day_follows_the_last_contact_when_it_is_later() -> None:
    programme = loads_programme(PROGRAMME)
    assert erasure_day(programme, journey(last_contact=D(2024, 12, 30))) == D(2026, 12, 30)


def test_the_erasure_day_follows_the_end_of_follow_up_when_it_is_later() -> None:
    programme = loads_programme(PROGRAMME)
    # exit 2024-06-28 + 6 months of follow-up = 2024-12-28, after the contact of 2024-08-01
    assert erasure_day(programme, journey(last_contact=D(2024, 8, 1))) == D(2026, 12, 28)


def test_an_attendance_record_after_the_exit_counts_as_a_contact() -> None:
    programme = loads_programme(PROGRAMME)
    late = attrs.evolve(
        journey(), attendance=(AttendanceRecord(D(2025, 2, 3), AttendanceStatus.PRESENT),)
    )
    assert erasure_day(programme, late) == D(2027, 2, 3)


def test_the_programme_sets_the_number_of_months() -> None:
    programme = loads_programme(PROGRAMME + "\n[privacy]\nretention_months = 6\n")
    assert programme.privacy.retention_months == 6
    assert erasure_day(programme, journey()) == D(2025, 6, 30)
    assert loads_programme(PROGRAMME).privacy.retention_months == 24  # the default


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            'retention_months = "24"',
            "<programme>: privacy.retention_months: expected a whole number of months from 1 "
            "to 120, got '24'",
        ),
        (
            "retention_month = 24",
            "<programme>: privacy.retention_month: unknown key (known keys here: retention_months)",
        ),
    ],
)
def test_a_bad_retention_setting_is_refused_naming_the_key(table: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        loads_programme(PROGRAMME + f"\n[privacy]\n{table}\n")
    assert str(caught.value) == message


def test_no_exit_means_follow_up_has_not_ended_and_nothing_is_due() -> None:
    programme = loads_programme(PROGRAMME)
    assert erasure_day(programme, Journey(Participant("A", "c", D(2016, 1, 4)))) is None


@pytest.mark.parametrize(
    ("as_of", "erased"),
    [
        (ON_THE_DAY - dt.timedelta(days=1), False),
        (ON_THE_DAY, True),
        (ON_THE_DAY + dt.timedelta(days=1), True),
    ],
)
def test_personal_data_is_kept_until_the_day_before_and_erased_from_the_day(
    site: Workspace, as_of: dt.date, erased: bool
) -> None:
    store(site, journey())
    run = run_retention(site, "site", as_of=as_of, apply=True)
    after, kept = stored(site)
    if erased:
        assert run.counts == RetentionCounts(1, 1, 1, 1)
        assert kept is None
        assert after == without_free_text(journey())
        assert [c.note for c in after.contacts] == [None, None]
        assert [a.reason for a in after.attendance] == [None, None]
    else:
        assert run.counts == RetentionCounts()
        assert kept == personal()
        assert after == journey()


def test_a_dry_run_counts_and_changes_nothing(site: Workspace) -> None:
    store(site, journey("A"), journey("B"), journey("C", last_contact=D(2025, 6, 2)))
    store(site, journey("D"), names=False)
    store(site, Journey(Participant("E", "2024-A", D(2024, 1, 8))))  # still in the programme
    before = list(site.journeys("site"))
    run = run_retention(site, "site", as_of=ON_THE_DAY, apply=False)
    assert run.applied is False
    assert run.counts == RetentionCounts(
        participants=3, personal_records=2, contact_notes=3, absence_reasons=3
    )
    assert run.awaiting_exit == 1
    assert list(site.journeys("site")) == before
    assert all(stored(site, pid)[1] == personal(pid) for pid in ("A", "B", "C", "E"))
    assert run.to_json_dict() == {
        "programme": "site",
        "as_of": "2026-12-30",
        "retention_months": 24,
        "applied": False,
        "participants": 3,
        "personal_records": 2,
        "contact_notes": 3,
        "absence_reasons": 3,
        "awaiting_exit": 1,
    }


def test_applying_erases_only_what_is_past_its_day_and_a_second_run_finds_nothing(
    site: Workspace,
) -> None:
    store(site, journey("A"), journey("C", last_contact=D(2025, 6, 2)))
    first = run_retention(site, "site", as_of=ON_THE_DAY, apply=True)
    assert first.counts == RetentionCounts(1, 1, 1, 1)
    assert stored(site, "A")[1] is None
    assert stored(site, "C") == (journey("C", last_contact=D(2025, 6, 2)), personal("C"))
    again = run_retention(site, "site", as_of=ON_THE_DAY, apply=True)
    assert again.counts == RetentionCounts()


def test_retention_of_an_unknown_programme_is_refused(site: Workspace) -> None:
    with pytest.raises(NotFoundError, match="no programme 'nowhere'"):
        run_retention(site, "nowhere", apply=False)


class _StaleStream:
    """A unit of work whose stream of journeys is older than what ``get`` reads: as when another
    transaction changed a participant between the stream's read and the rewrite."""

    def __init__(self, uow: Any, stale: Journey) -> None:
        self._uow = uow
        self._stale = stale

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)

    def __enter__(self) -> _StaleStream:
        self._uow.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._uow.__exit__(*exc)

    @property
    def journeys(self) -> Any:
        uow, stale = self._uow, self._stale

        class Journeys:
            def iter(self, programme_id: str) -> Iterator[Journey]:
                for one in uow.journeys.iter(programme_id):
                    yield stale if one.participant_id == stale.participant_id else one

            def __getattr__(self, name: str) -> Any:
                return getattr(uow.journeys, name)

        return Journeys()


def test_a_journey_changed_since_the_stream_read_it_is_left_for_the_next_run() -> None:
    storage = MemoryStorage()
    workspace = Workspace(storage, get_plugin_manager(load_entry_points=False))
    workspace.save_programme(PROGRAMME)
    newer = attrs.evolve(journey(), contacts=(*journey().contacts[:1],))
    store(workspace, newer)
    stale_storage = Mock(wraps=storage)
    stale_storage.unit_of_work = lambda read_only=False: _StaleStream(
        storage.unit_of_work(read_only=read_only), journey()
    )
    run_retention(Workspace(stale_storage, workspace.pm), "site", as_of=ON_THE_DAY, apply=True)
    after, kept = stored(workspace)
    assert after == newer  # not overwritten with the stale journey's rewrite
    assert kept is None  # the personal data went all the same
    run_retention(workspace, "site", as_of=ON_THE_DAY, apply=True)
    assert stored(workspace)[0] == without_free_text(newer)
