"""The values a file's rows repeat are checked once (a memo per parser), and the memo
changes nothing: every row of a file gives the problems and the staged row it gives
when it is the only row of its file.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core.domain.situations import SituationFamilies
from insertion_core.errors import Problem
from insertion_core.importing import COLUMNS, parsing
from insertion_core.importing.parsing import ParseContext, parse_file
from insertion_core.importing.records import Record
from insertion_core.importing.staging import Staging

TODAY = dt.date(2025, 6, 30)
CONTEXT = ParseContext(TODAY, SituationFamilies())
HEADER = COLUMNS["followups"][:7]  # every column but the note
#: Texts that recur from row to row: good ones, refused ones and personal values.
NIR = "1 85 05 78 006 084 91"
DATES = ["2025-01-15", "15/1/2025", "2025-02-30", "2026-01-01", "15/1/25", "45000", NIR, ""]
SITUATIONS = ["employment", "Training.Digital", "holiday", "employment.space", "a@b.fr", ""]
CONTRACTS = ["cdi", "CDD", "interim", "permanent", "06 12 34 56 78", ""]
MONTHS = ["6", "2,5", "0", "700", "1.0000001", "x", ""]
BOOLS = ["oui", "NO", "1", "maybe", "+33612345678", ""]
CHANNELS = ["phone", "EMAIL", "pigeon", ""]
IDS = ["P1", "P2", "0612345678", "1,23E+11", ""]

rows = st.lists(
    st.tuples(*(st.sampled_from(pool) for pool in (IDS, DATES, SITUATIONS, CONTRACTS))).flatmap(
        lambda head: st.tuples(
            st.just(head),
            st.tuples(*(st.sampled_from(pool) for pool in (MONTHS, BOOLS, CHANNELS))),
        )
    ),
    min_size=1,
    max_size=12,
)


def _parse(folder: Path, name: str, lines: list[tuple[str, ...]]) -> list[list[object]]:
    """Each line's problems (without the line number) and staged row, one list per line."""
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(lines)
    with Staging() as staging:
        parsed = parse_file("followups", path, name, CONTEXT, staging, 0)
        staged: dict[int, Record] = {}
        for first, last in staging.batches(100):
            for records in staging.rows(first, last).values():
                staged.update((record.line, record) for record in records)
    found: list[list[object]] = []
    for line in range(2, len(lines) + 2):
        problems = [_shown(p) for p in parsed.problems if p.line == line]
        record = staged.get(line)
        found.append([problems, None if record is None else _unlined(record)])
    return found


def _shown(problem: Problem) -> tuple[str | None, str]:
    return problem.column, problem.message


def _unlined(record: Record) -> Record:
    return attrs.evolve(record, line=0)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows)
def test_every_row_reads_as_when_it_is_alone(
    tmp_path: Path, pairs: list[tuple[tuple[str, ...], tuple[str, ...]]]
) -> None:
    lines = [head + tail for head, tail in pairs]
    together = _parse(tmp_path, "together.csv", lines)
    alone = [_parse(tmp_path, "alone.csv", [line])[0] for line in lines]
    assert together == alone


def test_a_refused_value_is_refused_on_every_row_that_repeats_it(tmp_path: Path) -> None:
    good = ("P1", "2025-01-15", "employment", "cdi", "6", "oui", "phone")
    phone_as_contract = ("P2", "2025-01-15", "employment", "06 12 34 56 78", "", "", "")
    bad_channel = ("P3", "2025-01-15", "employment", "", "", "", "pigeon")
    lines = [good, phone_as_contract, bad_channel, good, phone_as_contract, bad_channel]
    found = _parse(tmp_path, "f.csv", lines)
    assert found[0] == found[3] and found[0][0] == [] and found[0][1] is not None
    for first, again in ((1, 4), (2, 5)):
        assert found[first] == found[again]
        assert found[first][1] is None and len(found[first][0]) == 1
    assert "a phone number" in found[1][0][0][1]
    assert found[2][0][0][0] == "channel"


def test_past_its_limit_the_memo_stops_growing_and_rows_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        (f"P{n}", f"2025-01-{n:02d}", "employment", "cdi", "6", "oui", "phone") for n in range(1, 9)
    ]
    lines += [("P9", "2025-01-01", "holiday", "", "", "", ""), lines[0]]
    unbounded = _parse(tmp_path, "a.csv", lines)
    monkeypatch.setattr(parsing, "_MEMO_LIMIT", 2)
    assert _parse(tmp_path, "b.csv", lines) == unbounded
