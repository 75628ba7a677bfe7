"""Workspace.report counts the storage's pushed-down facts when it offers them.

The SQL storages compute the facts without building a journey; the memory
storage, which has no such capability, goes through the reference
implementation. Both give the sample site's report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from insertion_core import Workspace
from insertion_core.default_plugins.sql import SqlJourneyRepository
from insertion_core.outcomes import compute_report
from insertion_core.storage import FactsSource

from ..outcomes.sample_site import SAMPLE_SITE, load_sample_site
from .conftest import Opener

AS_OF = dt.date(2026, 9, 15)


def refuse_journeys(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the report built journeys instead of using the pushed-down facts")


@pytest.mark.parametrize("basis", ["entry", "exit"])
def test_every_storage_reports_the_sample_site_as_the_reference_does(
    open_storage: Opener, monkeypatch: pytest.MonkeyPatch, basis: Any
) -> None:
    programme, journeys = load_sample_site()
    storage = open_storage(batch_size=7)
    workspace = Workspace(storage)
    workspace.save_programme((SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8"))
    with storage.unit_of_work() as uow:
        for journey in journeys:
            uow.journeys.save(programme.id, journey)
        uow.commit()
        pushes_down = isinstance(uow, FactsSource)
    assert pushes_down == (type(storage).__name__ == "SqlStorage")
    if pushes_down:
        monkeypatch.setattr(SqlJourneyRepository, "iter", refuse_journeys)
    report = workspace.report(programme.id, as_of=AS_OF, basis=basis, by=["gender"])
    expected = compute_report(
        programme,
        sorted(journeys, key=lambda j: j.participant_id),
        AS_OF,
        basis=basis,
        by=["gender"],
        generated_at=dt.datetime.fromisoformat(report.provenance.generated_at),
    )
    assert report.to_json_dict() == expected.to_json_dict()
    assert report.population["selected"] != 0
