"""The storage contract, part two: transactions and a round-trip property, on every backend."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core.domain.journey import Journey
from insertion_core.domain.model import Cohort, PersonalData
from insertion_core.domain.programme import loads_programme

from .conftest import programme_toml
from .strategies import distinct_journeys, personal_data
from .test_contract import FULL, add_programme, minimal

# Transactions


def test_leaving_without_commit_rolls_back(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", FULL)
        uow.personal.save("gonesse", PersonalData("P-001", first_name="Ana"))
        uow.cohorts.save("gonesse", Cohort("x"))
    with storage.unit_of_work() as uow:
        assert uow.journeys.get("gonesse", "P-001") is None
        assert uow.journeys.count("gonesse") == 0
        assert uow.personal.get("gonesse", "P-001") is None
        assert uow.cohorts.list("gonesse") == []


def test_an_exception_rolls_back(storage: Any) -> None:
    add_programme(storage)
    with pytest.raises(RuntimeError), storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", FULL)
        text = programme_toml("new")
        uow.programmes.save(loads_programme(text), text)
        raise RuntimeError("boom")
    with storage.unit_of_work() as uow:
        assert uow.journeys.get("gonesse", "P-001") is None
        assert uow.programmes.ids() == ["gonesse"]


def test_rollback_forgets_only_what_was_not_committed(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", minimal("kept"))
        uow.commit()
        uow.journeys.save("gonesse", minimal("forgotten"))
        uow.journeys.save("gonesse", minimal("kept", "changed"))
        uow.rollback()
        assert uow.journeys.get("gonesse", "forgotten") is None
        assert uow.journeys.get("gonesse", "kept") == minimal("kept")
        uow.journeys.save("gonesse", minimal("after"))
        uow.commit()
    with storage.unit_of_work() as uow:
        assert [j.participant_id for j in uow.journeys.iter("gonesse")] == ["after", "kept"]


def test_uncommitted_work_is_invisible_to_other_units_of_work(storage: Any) -> None:
    add_programme(storage)
    with storage.unit_of_work() as writer:
        writer.journeys.save("gonesse", FULL)
        with storage.unit_of_work(read_only=True) as reader:
            assert reader.journeys.get("gonesse", "P-001") is None
            assert reader.journeys.count("gonesse") == 0
        writer.commit()
    with storage.unit_of_work(read_only=True) as reader:
        assert reader.journeys.get("gonesse", "P-001") == FULL


# Property: whatever journeys go in come out, in order.


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(journeys=distinct_journeys(), personal=st.lists(personal_data, max_size=3))
def test_round_trip_property(
    storage: Any, journeys: list[Journey], personal: list[PersonalData]
) -> None:
    programme_id = f"p-{uuid.uuid4().hex[:10]}"  # a new programme per example: a clean slate
    add_programme(storage, programme_id)
    with storage.unit_of_work() as uow:
        assert uow.journeys.save_many(programme_id, journeys) == len(journeys)
        for value in personal:
            uow.personal.save(programme_id, value)
        uow.commit()
    with storage.unit_of_work() as uow:
        expected = sorted(journeys, key=lambda j: j.participant_id)
        assert list(uow.journeys.iter(programme_id)) == expected
        assert uow.journeys.count(programme_id) == len(journeys)
        for journey in journeys:
            assert uow.journeys.get(programme_id, journey.participant_id) == journey
        latest = {p.participant_id: p for p in personal}
        for participant_id, value in latest.items():
            got = uow.personal.get(programme_id, participant_id)
            assert got == (None if value.is_empty() else value)
