"""Stored facts equal the reference after any sequence of writes.

docs/architecture.md, Stored facts: ``participant_facts`` holds derived rows.
The reference engine over journeys stays the oracle: each stored fact equals
the reference facts on every day from its ``settled_on``, and a report counted
from the stored groups plus the unsettled participants equals the reference
report, every figure of it (fingerprint, breakdowns, trends, targets, time to
outcome, completeness, the public audience's disclosure). Data is saved,
corrected, re-imported and the programme's rules changed before comparing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from insertion_core import (
    AttendanceRecord,
    Exit,
    FollowUpContact,
    Participant,
    Situation,
    Workspace,
)
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.default_plugins.sql import stored_facts as stored_module
from insertion_core.default_plugins.sql.mapping import child_params, participant_params
from insertion_core.default_plugins.sql.migrate import downgrade, upgrade
from insertion_core.default_plugins.sql.stored_facts import (
    settled_on,
    store_written_facts,
    stored_fact,
)
from insertion_core.default_plugins.sql.tables import metadata
from insertion_core.domain import AttendanceStatus, ExitReason, Journey, Programme
from insertion_core.outcomes import compute_facts, compute_report
from insertion_core.outcomes.breakdowns import DIMENSIONS, YEAR
from insertion_core.outcomes.disclosure import DisclosureError
from insertion_core.outcomes.engine import report_parts
from insertion_core.outcomes.facts import OutcomeFacts
from insertion_core.outcomes.groups import POPULATION_PART, TIMES_PART, FactsGroup, GroupPart
from insertion_core.outcomes.sets import builtin_sets

from ..outcomes import builders
from ..outcomes.sample_site import SAMPLE_SITE, load_sample_site
from ..strategies import journeys as journey_of
from ..strategies import populations, programmes, to_toml
from .pushdown_strategies import report_days, tricky_populations
from .pushdown_support import sql_database, sqlite_plans, stored

__all__ = ["sql_database"]

GENERATED_AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
AS_OF = dt.date(2026, 9, 15)
FACTS = metadata.tables["participant_facts"]
PARTICIPANTS = metadata.tables["participants"]


@attrs.frozen
class Unnamed:
    """A plugin's set that does not say which fact fields it reads: counted fact by fact."""

    name: str = "unnamed"
    definitions_version: str = "1"

    def indicators(self, programme: Programme) -> list[Any]:
        return []

    def relations(self, programme: Programme) -> list[Any]:
        return []

    def contributions(self, programme: Programme, facts: OutcomeFacts) -> list[str]:
        cells = ["unnamed.all"]
        if facts.exit_date is not None and facts.exit_date.day == 1:
            cells.append("unnamed.first_of_month")
        return cells


REGISTRY = {**builtin_sets(), "unnamed": Unnamed()}


@st.composite
def histories(draw: st.DrawFn) -> tuple[Programme, list[list[Journey]]]:
    """A programme and successive imports: later ones correct earlier participants or add new ones."""
    programme = draw(programmes(), label="programme")
    first = draw(tricky_populations(programme), label="first import")
    later = draw(populations(programme, max_size=8), label="corrections")
    corrected = {j.participant_id for j in first[:3]}
    fixes = (
        [
            draw(journey_of(programme, st.just(j.participant_id)))
            for j in first
            if j.participant_id in corrected and draw(st.booleans())
        ]
        if draw(st.booleans())
        else []
    )
    return programme, [first, later + fixes]


def final_journeys(imports: list[list[Journey]]) -> list[Journey]:
    latest: dict[str, Journey] = {}
    for batch in imports:
        for journey in batch:
            latest[journey.participant_id] = journey
    return sorted(latest.values(), key=lambda j: j.participant_id)


def report_json(
    programme: Programme,
    data: Any,
    as_of: dt.date,
    generated_at_of: Any = None,
    **options: Any,
) -> Any:
    """The report's JSON, or the disclosure error's message when it cannot be protected.

    ``generated_at_of``: a report whose generation time to stamp (else a fixed one).
    """
    generated_at = (
        GENERATED_AT
        if generated_at_of is None
        else dt.datetime.fromisoformat(generated_at_of.provenance.generated_at)
    )
    registry = REGISTRY if generated_at_of is None else builtin_sets()
    try:
        found = compute_report(
            programme, data, as_of, indicator_sets=registry, generated_at=generated_at, **options
        )
    except DisclosureError as error:
        return str(error)
    return found.to_json_dict()


@SETTINGS
@given(st.data())
def test_stored_reports_equal_the_reference_after_writes(
    sql_database: SqlStorage, data: st.DataObject
) -> None:
    programme, imports = data.draw(histories())
    changed = data.draw(st.none() | programmes(), label="new rules")
    final = (
        programme
        if changed is None
        else attrs.evolve(programme, followup=changed.followup, outcomes=changed.outcomes)
    )
    journeys = final_journeys(imports)
    as_of = data.draw(report_days(final, journeys), label="as_of")
    basis = data.draw(st.sampled_from(["entry", "exit"]), label="basis")
    start = data.draw(st.none() | st.dates(as_of - dt.timedelta(days=3000), as_of), label="start")
    by = data.draw(st.lists(st.sampled_from([*DIMENSIONS, YEAR]), max_size=2), label="by")
    batch_size = data.draw(st.sampled_from([1, 3, 1000]), label="batch_size")
    sets = data.draw(st.lists(st.sampled_from(list(REGISTRY)), unique=True), label="sets")
    public = data.draw(st.sampled_from([None, 0, 2, 3]), label="public min_cell")
    options: dict[str, Any] = {"basis": basis, "start": start, "sets": sets, "by": by}
    if public is None:
        options["min_cell"] = 0
    else:  # one breakdown at most: disclosure control of many groups takes long
        options.update(audience="public", min_cell=public, by=by[:1])
    with stored(sql_database, programme, imports[0], batch_size) as storage:
        for batch in imports[1:]:
            with storage.unit_of_work() as uow:
                uow.journeys.save_many(programme.id, batch)
                uow.commit()
        if changed is not None:
            with storage.unit_of_work() as uow:
                uow.programmes.save(final, to_toml(final))
                uow.commit()
        with storage.unit_of_work() as uow:
            check_each_stored_fact(uow.session, final, journeys, as_of)
            parts = report_parts(final, basis, sets, by, REGISTRY)
            stream = list(uow.settled_outcome_facts(final, as_of, (basis, start, as_of), parts))
    assert report_json(final, stream, as_of, **options) == report_json(
        final, journeys, as_of, **options
    )


def check_each_stored_fact(
    session: Any, programme: Programme, journeys: list[Journey], as_of: dt.date
) -> None:
    """Every participant has one stored row, whose settled_on and facts the reference confirms."""
    by_id = {j.participant_id: j for j in journeys}
    rows = session.execute(select(FACTS)).mappings().all()
    assert sorted(row["participant_id"] for row in rows) == sorted(by_id)
    for row in rows:
        day = row["settled_on"]
        journey = by_id[row["participant_id"]]
        settled = compute_facts(programme, journey, day)
        assert settled is not None
        assert settled_on(programme, settled) == day
        assert stored_fact(row) == settled
        for later in (day + dt.timedelta(days=1), max(day, as_of), dt.date(2100, 1, 1)):
            assert compute_facts(programme, journey, later) == settled


def test_every_fact_field_is_stored_or_declared_unstored() -> None:
    """A field added to OutcomeFacts needs a column (and a migration) or a declaration."""
    columns = set(FACTS.c.keys())
    for field in attrs.fields(OutcomeFacts):
        if field.name in stored_module.UNSTORED_FIELDS:
            continue
        names = stored_module.STORED_COLUMNS.get(field.name, (field.name,))
        assert set(names) <= columns, f"OutcomeFacts.{field.name} has no column"


def test_a_declared_unstored_field_makes_reports_count_fact_by_fact(
    sql_database: SqlStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme, journeys = load_sample_site()
    source = (SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8")
    monkeypatch.setattr(stored_module, "UNSTORED_FIELDS", frozenset({"days_to_positive"}))
    parts = report_parts(programme, None, None, (), builtin_sets())
    with (
        stored(sql_database, programme, journeys, source=source) as storage,
        storage.unit_of_work() as uow,
    ):
        stream = list(uow.settled_outcome_facts(programme, AS_OF, ("exit", None, AS_OF), parts))
    assert stream and not any(isinstance(item, FactsGroup) for item in stream)
    assert report_json(programme, stream, AS_OF) == report_json(programme, journeys, AS_OF)


def test_a_group_selected_for_another_period_is_refused() -> None:
    programme, journeys = load_sample_site()
    facts = compute_facts(programme, journeys[0], AS_OF)
    assert facts is not None
    group = FactsGroup(POPULATION_PART, facts, 2, "exit", None, AS_OF)
    with pytest.raises(ValueError, match=r"a group selected on exit None\.\.2026-09-15 cannot be"):
        compute_report(programme, [group], AS_OF, basis="entry", generated_at=GENERATED_AT)


def test_a_group_of_a_set_the_report_does_not_count_is_refused() -> None:
    programme, journeys = load_sample_site()
    facts = compute_facts(programme, journeys[0], AS_OF)
    assert facts is not None
    group = FactsGroup("esf_plus", facts, 2, "exit", None, AS_OF)
    with pytest.raises(ValueError, match="a group of set 'esf_plus' in a report without that set"):
        compute_report(
            programme, [group], AS_OF, basis="exit", sets=["key_figures"], generated_at=GENERATED_AT
        )


def test_a_time_to_outcome_group_without_a_leaver_time_is_refused() -> None:
    programme, journeys = load_sample_site()
    facts = compute_facts(programme, journeys[0], AS_OF)
    assert facts is not None
    group = FactsGroup(TIMES_PART, facts, 2, "exit", None, AS_OF)
    with pytest.raises(ValueError, match="a group of the time-to-outcome part without its leaver"):
        compute_report(programme, [group], AS_OF, basis="exit", generated_at=GENERATED_AT)


@pytest.mark.parametrize("basis", ["entry", "exit"])
def test_the_sample_site_report_counts_stored_groups_and_equals_the_reference(
    sql_database: SqlStorage, basis: Any
) -> None:
    programme, journeys = load_sample_site()
    source = (SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8")
    with (
        stored(sql_database, programme, journeys, source=source) as storage,
        storage.unit_of_work() as uow,
    ):
        parts = report_parts(programme, basis, None, ["cohort", YEAR], builtin_sets())
        stream = list(uow.settled_outcome_facts(programme, AS_OF, (basis, None, AS_OF), parts))
    groups = [item for item in stream if isinstance(item, FactsGroup)]
    population = [g for g in groups if g.part == POPULATION_PART]
    unsettled = [item for item in stream if not isinstance(item, FactsGroup)]
    assert sum(g.count for g in population) > len(unsettled)
    assert len(population) < sum(g.count for g in population)
    # A public report with many breakdown groups takes disclosure control long: one breakdown.
    for audience, by in (("internal", ("cohort", YEAR)), ("public", (YEAR,))):
        options = {"basis": basis, "by": list(by), "audience": audience}
        assert report_json(programme, stream, AS_OF, **options) == sample_site_reference(
            basis, audience, by
        )


@functools.cache
def sample_site_reference(basis: Any, audience: str, by: tuple[str, ...]) -> Any:
    """The reference report of the sample site, as JSON: computed once for both SQL backends.

    The public one takes seconds (disclosure control), and it does not depend on
    the backend whose stored groups are compared with it.
    """
    programme, journeys = load_sample_site()
    options = {"basis": basis, "by": list(by), "audience": audience}
    return report_json(programme, journeys, AS_OF, **options)


def test_report_parts_group_each_set_on_what_it_reads() -> None:
    programme, _ = load_sample_site()
    parts = report_parts(programme, "exit", ["key_figures", "unnamed"], ["gender", YEAR], REGISTRY)
    assert [(p.part, p.fields) for p in parts] == [
        (POPULATION_PART, ("population", "gender", "exit_year")),
        (TIMES_PART, ("population", "gender", "exit_year")),
        (
            "key_figures",
            ("population", "gender", "exit_year", "outcome", "first_positive", "responded"),
        ),
        ("unnamed", None),
    ]


def test_the_upgrade_to_stored_facts_derives_the_rows_of_data_stored_before(
    tmp_path: Path,
) -> None:
    programme, journeys = load_sample_site()
    storage = SqlStorage.open(f"sqlite:///{tmp_path / 'old.db'}")
    storage.initialise()
    workspace = Workspace(storage)
    workspace.save_programme((SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8"))
    with storage.engine.begin() as connection:
        downgrade(connection, "0004")
        assert "participant_facts" not in inspect(connection).get_table_names()
    with storage.engine.begin() as connection:  # data written by a version before stored facts
        for ref, journey in enumerate(journeys, start=1):
            connection.execute(
                PARTICIPANTS.insert(),
                {**participant_params(programme.id, journey.participant), "id": ref, "version": 1},
            )
            children = child_params([(ref, journey)])
            for table, rows in zip(
                (
                    "phases",
                    "exits",
                    "contacts",
                    "contact_notes",
                    "attendance",
                    "attendance_reasons",
                ),
                (
                    children.phases,
                    children.exits,
                    children.contacts,
                    children.notes,
                    children.attendance,
                    children.reasons,
                ),
                strict=True,
            ):
                if rows:
                    connection.execute(metadata.tables[table].insert(), rows)
        upgrade(connection)
    with storage.engine.connect() as connection:
        stored_rows = connection.execute(select(func.count()).select_from(FACTS)).scalar()
    assert stored_rows == len(journeys)
    report = workspace.report(programme.id, as_of=AS_OF, by=["gender"])
    expected_report = compute_report(
        programme,
        journeys,
        AS_OF,
        by=["gender"],
        generated_at=dt.datetime.fromisoformat(report.provenance.generated_at),
    )
    assert report.to_json_dict() == expected_report.to_json_dict()
    storage.close()


def test_every_workspace_write_keeps_stored_reports_equal_to_the_reference(
    sql_database: SqlStorage,
) -> None:
    """Enrol, phase, exit, follow-up, attendance and a programme change, each then reported."""
    programme, journeys = load_sample_site()
    source = (SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8")
    entry = dt.date(2025, 9, 1)
    newcomer = Participant("Z900", journeys[0].participant.cohort_id, entry)
    gone = journeys[0].participant.participant_id
    writes: list[Callable[[Workspace], object]] = [
        lambda w: w.enrol(programme.id, newcomer),
        lambda w: w.start_next_phase(programme.id, "Z900", entry + dt.timedelta(days=30)),
        lambda w: w.record_attendance(
            programme.id, "Z900", AttendanceRecord(entry, AttendanceStatus.ABSENT)
        ),
        lambda w: w.record_exit(
            programme.id,
            "Z900",
            Exit(dt.date(2025, 12, 1), ExitReason.COMPLETED, Situation("training")),
        ),
        lambda w: w.record_followup(
            programme.id, "Z900", FollowUpContact(dt.date(2026, 1, 5), Situation("employment"))
        ),
        lambda w: w.save_programme(source.replace("grace_days = 10", "grace_days = 20", 1)),
    ]
    with stored(sql_database, programme, journeys, source=source) as storage:
        workspace = Workspace(storage)
        for write in writes:
            write(workspace)
            current = workspace.programme(programme.id)
            every = list(workspace.journeys(programme.id))
            assert any(j.participant_id == gone for j in every)
            for by in ((), ("gender", YEAR)):
                mine = workspace.report(programme.id, as_of=AS_OF, by=by, min_cell=0)
                assert mine.to_json_dict() == report_json(
                    current, every, AS_OF, by=by, min_cell=0, generated_at_of=mine
                )


def test_settled_groups_scan_the_stored_facts_on_sqlite_instead_of_the_settled_index(
    tmp_path: Path,
) -> None:
    """Most rows are settled by a report's day: a scan beats one index look-up per row."""
    programme, _ = load_sample_site()
    parts = report_parts(programme, "exit", None, ["gender"], builtin_sets())

    def run(session: Any) -> None:
        groups = stored_module.settled_groups(
            session, programme, AS_OF, ("exit", None, AS_OF), parts
        )
        assert list(groups) == []

    plans = sqlite_plans(str(tmp_path / "plan.db"), run)
    assert 1 <= len(plans) < len(parts)  # the combined scan counts several parts at once
    for details in plans:
        assert "SCAN participant_facts" in details
        assert "ix_participant_facts_programme_settled" not in details


@pytest.mark.parametrize("basis", ["entry", "exit"])
@pytest.mark.parametrize("by", [(), ("gender",), ("cohort", YEAR)])
def test_the_combined_scan_and_its_fallback_give_the_groups_of_one_query_per_part(
    sql_database: SqlStorage, basis: Any, by: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parts summed from one combined query, the fallback when it has too many groups
    (the limit of 1 group), and one query per part (limit 0) give the same groups."""
    programme, journeys = load_sample_site()
    source = (SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8")
    parts = report_parts(programme, basis, None, list(by), builtin_sets())
    settled_groups = stored_module.settled_groups
    read = stored_module._dicts
    found: dict[int, tuple[Counter[FactsGroup], int]] = {}
    with stored(sql_database, programme, journeys, source=source) as storage:
        queries: list[int] = []

        def counted(session: Any, query: Any) -> Any:
            queries.append(1)
            return read(session, query)

        monkeypatch.setattr(stored_module, "_dicts", counted)
        for limit in (stored_module.COMBINED_GROUPS, 1, 0):
            queries.clear()
            monkeypatch.setattr(
                stored_module,
                "settled_groups",
                functools.partial(settled_groups, combined_limit=limit),
            )
            with storage.unit_of_work() as uow:
                stream = uow.settled_outcome_facts(programme, AS_OF, (basis, None, AS_OF), parts)
                groups = Counter(item for item in stream if isinstance(item, FactsGroup))
            found[limit] = (groups, len(queries))
    combined, fallback, per_part = found[stored_module.COMBINED_GROUPS], found[1], found[0]
    assert {g.part for g in per_part[0]} >= {POPULATION_PART, TIMES_PART}
    assert combined[0] == per_part[0]
    assert fallback[0] == per_part[0]
    assert combined[1] < per_part[1] < fallback[1]


def test_a_part_grouping_on_a_field_of_many_values_is_not_combined() -> None:
    """Ages multiply the other parts' groups: that set keeps a query of its own."""
    programme, _ = load_sample_site()
    parts = report_parts(programme, "entry", None, [], builtin_sets())
    combined = stored_module._combinable(parts)
    assert [p.part for p in combined][:2] == [POPULATION_PART, TIMES_PART]
    alone = [p for p in parts if p not in combined]
    assert alone
    assert all(set(p.fields or ()) & {"age_at_entry", "checkins"} for p in alone)
    population = GroupPart(POPULATION_PART, ("population", "gender"))
    assert stored_module._combinable([population]) == []
    assert stored_module._combinable([population, GroupPart("ages", ("age_at_entry",))]) == []


def test_the_combined_query_has_more_working_memory_on_postgresql_then_gives_it_back(
    sql_database: SqlStorage,
) -> None:
    """PostgreSQL hashes the combined groups only with more than its default 4 MB: set for
    that query only, then the transaction's setting again; SQLite has no such setting."""
    with Session(sql_database.engine) as session:
        if sql_database.engine.dialect.name != "postgresql":
            with stored_module._hash_memory(session):
                assert not session.in_transaction()
            return
        session.execute(text("SET LOCAL work_mem = '5MB'"))
        with stored_module._hash_memory(session):
            assert session.scalar(text("SHOW work_mem")) == "64MB"
        assert session.scalar(text("SHOW work_mem")) == "5MB"


def test_written_fact_rows_name_their_columns_in_the_tables_order() -> None:
    """The bulk insert hands the driver tuples only when a row's keys are in the table's
    order; otherwise it falls back to SQLAlchemy's per-row parameters (same rows, slower)."""
    prog = builders.programme()
    journeys = [
        builders.journey("P1", exit="2024-03-01", contacts=(("2024-04-01", "employment"),)),
        builders.journey("P2", exit="2024-03-01", reason="neutralised"),
        builders.journey("P3", gender="F"),
    ]
    written: list[tuple[str, list[dict[str, Any]]]] = []
    store_written_facts(
        prog, enumerate(journeys, start=1), lambda table, rows: written.append((table.name, rows))
    )
    ((name, rows),) = written
    table_order = [column.name for column in metadata.tables[name].columns]
    for row in rows:
        assert list(row) == [column for column in table_order if column in row]
