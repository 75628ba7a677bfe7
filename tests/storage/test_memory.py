"""What only the in-memory storage promises: private stores, changes published on commit."""

from __future__ import annotations

import datetime as dt

import pytest

from insertion_core.default_plugins.memory import MemoryStorage, get_storage
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import Participant
from insertion_core.domain.programme import loads_programme
from insertion_core.errors import StorageError

from .conftest import programme_toml


def journey(participant_id: str, cohort: str = "c1") -> Journey:
    return Journey(Participant(participant_id, cohort, dt.date(2024, 1, 8)))


def with_programme(storage: MemoryStorage) -> MemoryStorage:
    with storage.unit_of_work() as uow:
        uow.programmes.save(loads_programme(programme_toml("p")), programme_toml("p"))
        uow.commit()
    return storage


def test_each_open_is_a_private_store() -> None:
    first, second = get_storage("memory://shared-name"), get_storage("memory://shared-name")
    assert first is not None and second is not None and first is not second
    with_programme(first)
    with second.unit_of_work() as uow:
        assert uow.programmes.ids() == []
    assert first.url == "memory://shared-name"


def test_only_memory_urls() -> None:
    assert get_storage("sqlite:///x.db") is None
    with pytest.raises(StorageError):
        MemoryStorage("sqlite://")


def test_concurrent_units_of_work_publish_only_what_they_changed() -> None:
    storage = with_programme(MemoryStorage())
    with storage.unit_of_work() as one, storage.unit_of_work() as two:
        assert one.journeys.count("p") == two.journeys.count("p") == 0
        one.journeys.save("p", journey("a"))
        two.journeys.save("p", journey("b"))
        two.journeys.save("p", journey("a", "from-two"))
        two.commit()
        one.commit()  # last commit wins for "a"; "b" from the other one is kept
    with storage.unit_of_work() as uow:
        assert [j.participant_id for j in uow.journeys.iter("p")] == ["a", "b"]
        assert uow.journeys.get("p", "a") == journey("a")


def test_a_unit_of_work_reads_a_stable_copy() -> None:
    storage = with_programme(MemoryStorage())
    with storage.unit_of_work() as reader:
        assert reader.journeys.count("p") == 0
        with storage.unit_of_work() as writer:
            writer.journeys.save("p", journey("a"))
            writer.commit()
        assert reader.journeys.count("p") == 0  # what it read stays as it was
    with storage.unit_of_work() as later:
        assert later.journeys.count("p") == 1
