"""Retention changes no figure: on generated programmes, every report is the same before and after.

Every indicator set, internal audience (exact figures), on the memory storage
and on SQLite, whatever the retention period and the day it is applied.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core import Workspace
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import PersonalData
from insertion_core.domain.programme import Programme
from insertion_core.plugins import get_plugin_manager
from insertion_core.privacy import run_retention

from ..strategies import dates, populations, programmes, to_toml


def with_personal_data(journey: Journey) -> Journey:
    """The journey with a note on every contact and a reason on every attendance record."""
    return attrs.evolve(
        journey,
        contacts=tuple(attrs.evolve(c, note=f"note {i}") for i, c in enumerate(journey.contacts)),
        attendance=tuple(attrs.evolve(a, reason="motif") for a in journey.attendance),
    )


def without_time(document: Any) -> Any:
    """The report document without the moment it was generated (the only thing that may differ)."""
    if isinstance(document, dict):
        return {k: without_time(v) for k, v in document.items() if k != "generated_at"}
    if isinstance(document, list):
        return [without_time(v) for v in document]
    return document


def reports(workspace: Workspace, programme: Programme, as_of: dt.date) -> list[Any]:
    sets = sorted(workspace.hooks.indicator_sets())
    found = []
    for basis in ("entry", "exit"):
        report = workspace.report(
            programme.id, as_of=as_of, basis=basis, sets=sets, audience="internal"
        )
        rendered = workspace.render_report(report, "json")
        assert isinstance(rendered, str)
        found.append(without_time(json.loads(rendered)))
    return found


def check(
    url: str,
    programme: Programme,
    journeys: list[Journey],
    report_day: dt.date,
    retention_day: dt.date,
) -> None:
    pm = get_plugin_manager(load_entry_points=False)
    with Workspace.open(url, plugin_manager=pm, initialise=True) as workspace:
        workspace.save_programme(to_toml(programme))
        with workspace.storage.unit_of_work() as uow:
            for journey in journeys:
                uow.journeys.save(programme.id, with_personal_data(journey))
                uow.personal.save(programme.id, PersonalData(journey.participant_id, "Ana"))
            uow.commit()
        before = reports(workspace, programme, report_day)
        run = run_retention(workspace, programme.id, as_of=retention_day, apply=True)
        assert reports(workspace, programme, report_day) == before
        assert run.counts.participants <= len(journeys)


@pytest.mark.parametrize("url", ["memory://", "sqlite://"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_reports_are_identical_before_and_after_retention(url: str, data: st.DataObject) -> None:
    programme = data.draw(programmes())
    check(
        url,
        programme,
        data.draw(populations(programme, max_size=12)),
        report_day=data.draw(dates()),
        retention_day=data.draw(dates(end=dt.date(2032, 12, 31))),
    )
