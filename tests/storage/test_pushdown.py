"""The pushed-down outcome facts equal the reference ones, on SQLite and PostgreSQL.

docs/architecture.md, Data flow: two implementations of the facts, and hypothesis
checks they agree on generated data. Facts are compared participant by
participant, then the reports computed from each stream are compared whole.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.domain import Journey, Programme
from insertion_core.outcomes import compute_report, iter_facts

from ..strategies import populations, programmes
from .pushdown_strategies import report_days, tricky_populations
from .pushdown_support import sql_database, stored

__all__ = ["sql_database"]

GENERATED_AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check_agreement(
    database: SqlStorage,
    programme: Programme,
    journeys: list[Journey],
    as_of: dt.date,
    batch_size: int,
) -> None:
    """Facts from SQL == facts from the reference for every participant, and equal reports."""
    ordered = sorted(journeys, key=lambda j: j.participant_id)
    expected = list(iter_facts(programme, ordered, as_of))
    with (
        stored(database, programme, journeys, batch_size) as storage,
        storage.unit_of_work() as uow,
    ):
        pushed = list(uow.outcome_facts(programme, as_of))
    assert [f.participant_id for f in pushed] == [f.participant_id for f in expected]
    for mine, reference in zip(pushed, expected, strict=True):
        assert mine == reference
    for basis in ("entry", "exit"):
        by = ("gender", "age_band")
        reports = [
            compute_report(
                programme, data, as_of, basis=basis, by=by, min_cell=0, generated_at=GENERATED_AT
            ).to_json_dict()
            for data in (pushed, ordered)
        ]
        assert reports[0] == reports[1]


@SETTINGS
@given(st.data())
def test_pushed_down_facts_equal_the_reference_on_boundary_dates(
    sql_database: SqlStorage, data: st.DataObject
) -> None:
    programme = data.draw(programmes(), label="programme")
    journeys = data.draw(tricky_populations(programme), label="journeys")
    as_of = data.draw(report_days(programme, journeys), label="as_of")
    batch_size = data.draw(st.sampled_from([1, 2, 5, 1000]), label="batch_size")
    check_agreement(sql_database, programme, journeys, as_of, batch_size)


@SETTINGS
@given(st.data())
def test_pushed_down_facts_equal_the_reference_on_generated_populations(
    sql_database: SqlStorage, data: st.DataObject
) -> None:
    programme = data.draw(programmes(), label="programme")
    journeys = data.draw(populations(programme, max_size=20), label="journeys")
    as_of = data.draw(report_days(programme, journeys), label="as_of")
    check_agreement(sql_database, programme, journeys, as_of, 4)
