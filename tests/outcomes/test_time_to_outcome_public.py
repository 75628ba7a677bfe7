"""Time to outcome in public reports on generated tiny sites (docs/indicators.md, Time to outcome and disclosure)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from insertion_core.outcomes import engine as engine_module
from insertion_core.outcomes.disclosure import Key, Table, audit
from insertion_core.outcomes.report_table import ReportCells
from insertion_core.outcomes.time_to_outcome import kaplan_meier
from insertion_core.outcomes.time_to_outcome_public import (
    GRID,
    GRID_CELLS,
    grid_counts,
    public_estimate,
)

from .test_disclosure_properties import FAST, SETS, K, _report, sites

KINDS = ("at_risk", "events", "censored")


def _scopes(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = document["time_to_outcome"]
    return [("", found)] + [
        (f"{dim}={group}", body)
        for dim, groups in found["breakdowns"].items()
        for group, body in groups.items()
    ]


@FAST
@given(
    site=sites(),
    sets=st.lists(st.sampled_from(SETS), min_size=1, max_size=2, unique=True),
    by=st.lists(st.sampled_from(["gender", "qpv"]), max_size=1),
)
def test_no_small_grid_count_is_shown_and_the_audit_passes(site, sets, by):
    tables: list[Table] = []
    statuses: list[dict[Key, str]] = []
    build, protect_all = ReportCells.table, engine_module.protect_report

    def table(self: Any, *args: Any) -> Table:
        tables.append(build(self, *args))
        return tables[-1]

    def protect(*args: Any) -> Any:
        found = protect_all(*args)
        statuses.append(found[0])
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ReportCells, "table", table)
        patch.setattr(engine_module, "protect_report", protect)
        public = _report(site, "public", sets=sets, by=by)
    internal = _report(site, "internal", sets=sets, by=by)
    (found,), (status,) = tables, statuses
    assert public["time_to_outcome"]["leavers"] in (internal["time_to_outcome"]["leavers"], None)
    for scope, body in _scopes(public):
        rows = {row["day"]: row for row in body["grid"]}
        assert sorted(rows) == list(GRID)
        for day, row in rows.items():
            for kind in KINDS:
                value = found.values[(scope, f"time_to_outcome.{kind}.{day}")]
                assert row[kind] in (value, None), (scope, day, kind)
                if 0 < value < K:
                    event("a small grid count")
                    assert row[kind] is None and row["status"][kind] == "small"
    scopes = {scope for scope, _ in status}
    withheld = {key for key, s in status.items() if s != "shown"}
    assert audit(found.restricted(scopes), withheld, K) == []


def _counts(times: dict[tuple[int, bool], int]) -> dict[Key, int]:
    return {("", cell): n for cell, n in grid_counts(times).items()}


def test_a_check_day_share_rests_only_on_shown_rows():
    times = {(0, True): 20, (10, True): 2, (40, True): 25, (100, False): 30, (200, False): 12}
    estimate = kaplan_meier(times)
    values = {("", cell): 0 for cell in GRID_CELLS} | _counts(times)
    status = dict.fromkeys(values, "shown")
    status[("", "time_to_outcome.events.1")] = "small"  # the 2 events of days 1 to 30
    found = public_estimate("", estimate, values, status)
    assert found.by_day[30] is None and found.by_day[91] is None and found.by_day[182] is None
    assert (found.median_days, found.median_status) == (None, "withheld")
    body = found.to_json_dict()
    assert body["share_positive_by_day"]["30"]["status"]["share"] == "withheld"
    assert body["grid"][1]["events"] is None
    assert body["grid"][1]["status"]["events"] == "small"
    status[("", "time_to_outcome.events.1")] = "shown"
    status[("", "time_to_outcome.censored.92")] = "withheld"  # days 92 to 182
    found = public_estimate("", estimate, values, status)
    assert found.by_day[30] == estimate.share_on(30)
    assert found.by_day[91] == estimate.share_on(91)
    assert found.by_day[182] is None
    # the median (day 40, F ≥ 0.5) rests on rows before day 92 alone
    assert (found.median_days, found.median_status) == (40, "shown")
    assert found.to_json_dict()["share_positive_by_day"]["30"]["at_risk"] == 67  # t > 30


def test_grid_counts_split_the_leavers_by_row():
    counts = grid_counts({(0, True): 3, (30, False): 2, (31, True): 1, (400, False): 4})
    assert counts["time_to_outcome.leavers"] == 10
    assert counts["time_to_outcome.at_risk.0"] == 10
    assert (counts["time_to_outcome.events.0"], counts["time_to_outcome.at_risk.1"]) == (3, 7)
    assert counts["time_to_outcome.censored.1"] == 2  # day 30 ends the row of days 1 to 30
    assert counts["time_to_outcome.at_risk.31"] == 5
    assert counts["time_to_outcome.events.31"] == 1
    assert counts["time_to_outcome.at_risk.183"] == counts["time_to_outcome.censored.183"] == 4
