"""The plain fast path: the canonical CSV files loaded as they are, and one hand-written query.

What a programmer would write without insertion-core: Python's ``csv`` and
``sqlite3`` ``executemany`` into a plain table per file (SQLite), or ``COPY``
through psycopg (PostgreSQL), in one transaction, with no validation; then
one SQL query for the key figures (docs/indicators.md: the population
groups, the outcome classes of the mature participants, their digital
shares and the follow-up response). It is the yardstick insertion-core is
measured against, and, since its figures must equal insertion-core's, a
second check of the key figures on generated data.

Run as a script, it does one step in a process of its own, so that its
time and peak memory are measured like those of an ``insertion`` command:
``plain.py load sqlite DB DIR``, ``plain.py query postgresql URL 2026-06-30 6``
(the day, and the months of the follow-up window). It imports nothing of
insertion-core, so that its start is that of a plain script.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = ["key_figures", "load", "query"]

POSITIVE = ("training", "employment")
#: Plain tables, one per file, with the file's columns; dates as dates where the engine has them.
TABLES = ("participants", "exits", "followups", "attendance")
#: The tables with one row per participant.
KEYED = ("participants", "exits")
#: The files a folder may lack.
OPTIONAL = ("attendance",)
DATES = {"entry_date", "birth_date", "exit_date", "contact_date", "date"}
_BATCH = 10_000


def _column_type(column: str, postgresql: bool) -> str:
    return "date" if postgresql and column in DATES else "text"


def _header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as file:
        return next(csv.reader(file))


def _create(execute: Any, directory: Path, postgresql: bool) -> dict[str, list[str]]:
    """The plain tables, named and shaped after the files; each table's columns."""
    tables = {
        table: _header(directory / f"{table}.csv")
        for table in TABLES
        if table not in OPTIONAL or (directory / f"{table}.csv").exists()
    }
    for table, columns in tables.items():
        execute(f"DROP TABLE IF EXISTS {table}")
        typed = ", ".join(f"{c} {_column_type(c, postgresql)}" for c in columns)
        key = ", PRIMARY KEY (participant_id)" if table in KEYED else ""
        execute(f"CREATE TABLE {table} ({typed}{key})")
    execute("CREATE INDEX followups_participant ON followups (participant_id)")
    return tables


def _batches(path: Path) -> Iterator[list[list[str | None]]]:
    """The file's rows after the header, empty values as NULL, a batch at a time."""
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        next(reader)
        batch: list[list[str | None]] = []
        for row in reader:
            batch.append([value or None for value in row])
            if len(batch) == _BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


def load_sqlite(database: Path, directory: Path) -> None:
    """csv + ``executemany`` into plain SQLite tables, in one transaction."""
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("BEGIN")
        tables = _create(connection.execute, directory, postgresql=False)
        for table, columns in tables.items():
            marks = ", ".join("?" for _ in columns)
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            for batch in _batches(directory / f"{table}.csv"):
                connection.executemany(statement, batch)
        connection.execute("COMMIT")
    finally:
        connection.close()


def _connect_postgresql(url: str) -> Any:
    import psycopg  # only the PostgreSQL path needs it

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://", 1))


def load_postgresql(url: str, directory: Path) -> None:
    """``COPY … FROM STDIN`` of each file into plain PostgreSQL tables, in one transaction."""
    with _connect_postgresql(url) as connection, connection.cursor() as cursor:
        tables = _create(cursor.execute, directory, postgresql=True)
        for table, columns in tables.items():
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv, HEADER true)"
            with (directory / f"{table}.csv").open("rb") as file, cursor.copy(statement) as copy:
                while chunk := file.read(1 << 20):
                    copy.write(chunk)
        cursor.execute("ANALYZE")


def _sql(postgresql: bool, months: int) -> str:
    """The key-figures query; only dates and the split of a code differ between engines."""
    if postgresql:
        window_end = f"(e.exit_date + interval '{months} months')::date"
        family = "split_part(lower({0}), '.', 1)"
        digital = "split_part(lower({0}), '.', 2) = 'digital'"
        as_of = "%(as_of)s::date"
    else:  # SQLite's '+N months' overflows into the next month: clamp to the month's end
        window_end = (
            f"min(date(e.exit_date, '+{months} months'), "
            f"date(e.exit_date, 'start of month', '+{months + 1} months', '-1 day'))"
        )
        family = (
            "CASE WHEN instr({0}, '.') > 0 THEN lower(substr({0}, 1, instr({0}, '.') - 1)) "
            "ELSE lower({0}) END"
        )
        digital = "lower({0}) LIKE '%.digital'"
        as_of = ":as_of"
    rank = "CASE {0} " + " ".join(f"WHEN '{f}' THEN {i}" for i, f in enumerate(POSITIVE)) + " END"
    return f"""
WITH selected AS (
  SELECT p.participant_id, e.exit_date, e.exit_reason, {window_end} AS window_end
  FROM participants p LEFT JOIN exits e
    ON e.participant_id = p.participant_id AND e.exit_date <= {as_of}
  WHERE p.entry_date <= {as_of}
), grouped AS (
  SELECT participant_id, exit_date, exit_reason, window_end,
    CASE WHEN exit_date IS NULL THEN 'in_programme'
         WHEN exit_reason = 'neutralised' THEN 'neutralised'
         WHEN window_end > {as_of} THEN 'pending'
         ELSE 'mature' END AS population
  FROM selected
), observations AS (
  SELECT participant_id, exit_date AS day, {family.format("destination")} AS family,
         {digital.format("destination")} AS digital
  FROM exits
  UNION ALL
  SELECT participant_id, contact_date, {family.format("situation")},
         {digital.format("situation")}
  FROM followups
), positive AS (
  SELECT g.participant_id, o.family, o.digital,
         row_number() OVER (PARTITION BY g.participant_id
                            ORDER BY o.day, {rank.format("o.family")}, o.digital DESC) AS n
  FROM grouped g JOIN observations o ON o.participant_id = g.participant_id
  WHERE g.population = 'mature' AND g.exit_reason <> 'dropout'
    AND o.family IN ({", ".join(f"'{f}'" for f in POSITIVE)})
    AND o.day BETWEEN g.exit_date AND g.window_end
)
SELECT g.population,
  CASE WHEN g.population <> 'mature' THEN NULL
       WHEN g.exit_reason = 'dropout' THEN 'dropout'
       ELSE coalesce(f.family, 'none') END AS outcome,
  coalesce(f.digital, false) AS digital,
  g.population = 'mature' AND EXISTS (
    SELECT 1 FROM followups c
    WHERE c.participant_id = g.participant_id
      AND c.contact_date > g.exit_date AND c.contact_date <= g.window_end
      AND {family.format("c.situation")} <> 'unreachable') AS responded,
  count(*) AS participants
FROM grouped g LEFT JOIN positive f ON f.participant_id = g.participant_id AND f.n = 1
GROUP BY 1, 2, 3, 4
"""


def key_figures(rows: Sequence[Sequence[Any]]) -> dict[str, int]:
    """The query's rows as counts named like insertion-core's cells (see ``cells_of_report``)."""
    counts: dict[str, int] = {}

    def add(name: str, n: int) -> None:
        counts[name] = counts.get(name, 0) + n

    for population, outcome, digital, responded, n in rows:
        add("population.selected", n)
        add(f"population.{population}", n)
        if outcome is None:
            continue
        add(f"key_figures.class.{outcome}", n)
        if outcome not in ("dropout", "none"):
            add("key_figures.remobilised", n)
            if digital:
                add(f"key_figures.digital.{outcome}", n)
        if responded:
            add("key_figures.responded", n)
    return counts


def query_sqlite(database: Path, as_of: dt.date, months: int) -> dict[str, int]:
    """The key figures of the plain SQLite tables, as of ``as_of``."""
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute(
            _sql(postgresql=False, months=months), {"as_of": as_of.isoformat()}
        )
        return key_figures(rows.fetchall())
    finally:
        connection.close()


def query_postgresql(url: str, as_of: dt.date, months: int) -> dict[str, int]:
    """The key figures of the plain PostgreSQL tables, as of ``as_of``."""
    with _connect_postgresql(url) as connection, connection.cursor() as cursor:
        cursor.execute(_sql(postgresql=True, months=months), {"as_of": as_of})
        return key_figures(cursor.fetchall())


def load(backend: str, target: str, directory: Path) -> None:
    """Load ``directory`` into ``target`` (a file for SQLite, a URL for PostgreSQL)."""
    if backend == "sqlite":
        load_sqlite(Path(target), directory)
    else:
        load_postgresql(target, directory)


def query(backend: str, target: str, as_of: dt.date, months: int) -> dict[str, int]:
    """The key figures of ``target`` (a file for SQLite, a URL for PostgreSQL).

    ``months`` is the programme's follow-up window, ``followup.months``.
    """
    if backend == "sqlite":
        return query_sqlite(Path(target), as_of, months)
    return query_postgresql(target, as_of, months)


def main(argv: list[str]) -> None:
    step, backend, target, *rest = argv
    if step == "load":
        load(backend, target, Path(rest[0]))
    else:
        as_of, months = dt.date.fromisoformat(rest[0]), int(rest[1])
        print(json.dumps(query(backend, target, as_of, months), sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
