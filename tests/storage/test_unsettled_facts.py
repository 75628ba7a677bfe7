"""The participants not settled on a report's day: found through the settled index, read by row id.

docs/architecture.md, Stored facts. A report counts the settled participants
from ``participant_facts`` groups and computes the others; those are the rows
whose ``settled_on`` is after as_of, read from the ``(programme_id,
settled_on)`` index, and their participant rows are looked up by row id. A
participant without a stored row (none should lack one) is still computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.default_plugins.sql.facts import SqlOutcomeFacts
from insertion_core.default_plugins.sql.tables import metadata
from insertion_core.domain import Programme
from insertion_core.outcomes import OutcomeFacts
from insertion_core.outcomes.breakdowns import YEAR
from insertion_core.outcomes.engine import report_parts
from insertion_core.outcomes.groups import FactsGroup
from insertion_core.outcomes.sets import builtin_sets

from ..outcomes.sample_site import SAMPLE_SITE, load_sample_site
from .pushdown_support import sql_database, sqlite_plans, stored
from .test_stored_facts import AS_OF, report_json, sample_site_reference

__all__ = ["sql_database"]

FACTS = metadata.tables["participant_facts"]
PARTICIPANTS = metadata.tables["participants"]


@contextmanager
def _sample_site(database: SqlStorage) -> Iterator[tuple[Programme, SqlStorage]]:
    """The sample site stored, its journeys written seven at a time."""
    programme, journeys = load_sample_site()
    source = (SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8")
    with stored(database, programme, journeys, batch_size=7, source=source) as storage:
        yield programme, storage


def _facts_stream(storage: SqlStorage, programme: Programme) -> list[FactsGroup | OutcomeFacts]:
    with storage.unit_of_work() as uow:
        parts = report_parts(programme, "exit", None, ["cohort", YEAR], builtin_sets())
        return list(uow.settled_outcome_facts(programme, AS_OF, ("exit", None, AS_OF), parts))


def test_the_unsettled_participants_are_those_settled_after_as_of(
    sql_database: SqlStorage,
) -> None:
    with _sample_site(sql_database) as (programme, storage):
        stream = _facts_stream(storage, programme)
        with storage.unit_of_work() as uow:
            later = uow.session.scalars(
                select(PARTICIPANTS.c.participant_id)
                .join(FACTS, FACTS.c.participant_ref == PARTICIPANTS.c.id)
                .where(FACTS.c.settled_on > AS_OF, PARTICIPANTS.c.entry_date <= AS_OF)
            ).all()
            every = {f.participant_id: f for f in uow.outcome_facts(programme, AS_OF)}
    unsettled = [item for item in stream if isinstance(item, OutcomeFacts)]
    assert sorted(f.participant_id for f in unsettled) == sorted(later)
    assert unsettled, "the sample site has participants not settled on AS_OF"
    assert all(every[f.participant_id] == f for f in unsettled)
    expected = sample_site_reference("exit", "internal", ("cohort", YEAR))
    assert report_json(programme, stream, AS_OF, basis="exit", by=["cohort", YEAR]) == expected


def test_a_participant_without_a_stored_row_is_computed_all_the_same(
    sql_database: SqlStorage,
) -> None:
    with _sample_site(sql_database) as (programme, storage):
        with storage.unit_of_work() as uow:
            settled = select(FACTS.c.participant_ref).where(FACTS.c.settled_on <= AS_OF)
            dropped = uow.session.scalars(settled.limit(3)).all()
            uow.session.execute(delete(FACTS).where(FACTS.c.participant_ref.in_(dropped)))
            uow.commit()
        stream = _facts_stream(storage, programme)
    unsettled = [item for item in stream if isinstance(item, OutcomeFacts)]
    assert len(dropped) == 3
    assert len(unsettled) > 3
    expected = sample_site_reference("exit", "internal", ("cohort", YEAR))
    assert report_json(programme, stream, AS_OF, basis="exit", by=["cohort", YEAR]) == expected


def test_unsettled_pages_read_the_settled_index_and_the_participants_by_row_id(
    tmp_path: Path,
) -> None:
    """Without statistics SQLite would walk the programme's participant index for each page."""
    programme, _ = load_sample_site()

    def run(session: Session) -> None:
        facts = SqlOutcomeFacts(session, 5000)
        assert list(facts.iter(programme, AS_OF, unsettled_only=True)) == []
        refs = facts._unsettled_refs(programme, AS_OF)
        assert refs is not None
        refs.extend(range(1, 5001))  # a page as large as a report reads
        assert list(facts._unsettled(programme, AS_OF, refs)) == []

    plans = sqlite_plans(str(tmp_path / "plan.db"), run)
    index = "ix_participant_facts_programme_settled (programme_id=? AND settled_on>?)"
    by_id = [p for p in plans if "SEARCH participants USING INTEGER PRIMARY KEY" in p]
    assert any(index in p for p in plans)
    assert by_id
    assert not any("sqlite_autoindex_participants" in p for p in by_id)


def test_the_unsettled_participants_skip_those_entered_after_as_of(
    sql_database: SqlStorage,
) -> None:
    early = AS_OF - dt.timedelta(days=400)
    with _sample_site(sql_database) as (programme, storage), storage.unit_of_work() as uow:
        found = list(SqlOutcomeFacts(uow.session, 5).iter(programme, early, unsettled_only=True))
        entered = uow.session.scalars(
            select(PARTICIPANTS.c.participant_id).where(PARTICIPANTS.c.entry_date > early)
        ).all()
    assert entered, "the sample site has participants entered after the early day"
    assert not {f.participant_id for f in found} & set(entered)
    assert all(f.entry_date <= early for f in found)
