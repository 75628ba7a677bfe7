"""Benchmark the SQL storage: saving journeys, and reports by the reference and pushed-down paths.

``make bench`` runs it through ``tests/with-postgresql.sh``, so PostgreSQL is
measured too when a server is installed; ``INSERTION_TEST_POSTGRESQL_URL``
names the server otherwise. Each backend gets synthetic participants
(:mod:`synthetic`), saved with ``save_many`` in one transaction; then the
same report is computed from journeys rebuilt in Python (the reference
implementation) and from the storage's pushed-down facts, checked equal, and
timed. Peak memory is measured in a second run of each report under
tracemalloc (Python allocations), apart from the timed run it would slow.
Then the start-up time of the command line is measured (:mod:`startup`),
and insertion-core's commands are run beside the plain fast path on 10^4,
10^5 and 10^6 generated participants (:mod:`scale`; ``--sizes`` and
``--backends`` choose). The figures are written to docs/performance.md;
``--only storage``, ``--only startup`` or ``--only scale`` measures one part
and keeps the others' figures. Each national-scale size is saved
(``--results``) and the page written as soon as it is measured, so a long
run that is cut keeps the sizes it finished; ``--resume`` skips them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sqlite3
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import scale  # benchmarks/, on the path when this script runs
import scale_results
import scale_table
import sqlalchemy
import startup
import synthetic
from sqlalchemy import create_engine, make_url, text

from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.domain import Journey
from insertion_core.domain.programme import Programme, loads_programme
from insertion_core.outcomes import OutcomeFacts, compute_report, iter_facts

PG_ENV = "INSERTION_TEST_POSTGRESQL_URL"
OUTPUT = Path(__file__).parents[1] / "docs" / "performance.md"
RESULTS = Path(__file__).with_name("scale_results.json")
#: The hand-written section after the national-scale figures, kept as it is.
NOTES_HEADING = "## Reading the national-scale figures"
GENERATED_AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
BREAKDOWNS = ("gender", "age_band")


def report_of(programme: Programme, data: Iterable[Journey | OutcomeFacts]) -> dict[str, Any]:
    """The whole report (every built-in set, two breakdowns), as JSON data."""
    found = compute_report(
        programme, data, synthetic.AS_OF, by=BREAKDOWNS, min_cell=0, generated_at=GENERATED_AT
    )
    return found.to_json_dict()


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def best(action: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The shortest of ``runs`` timings (the least disturbed by the rest of the machine)."""
    timings = [timed(action) for _ in range(runs)]
    return min(seconds for seconds, _ in timings), timings[0][1]


def peak_mib(action: Callable[[], Any]) -> float:
    """Peak Python allocations while ``action`` runs, in MiB."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(storage: SqlStorage, programme: Programme, count: int, runs: int) -> dict[str, Any]:
    """Save ``count`` synthetic journeys, then time and weigh both report paths."""
    with storage.unit_of_work() as uow:
        uow.programmes.save(programme, synthetic.PROGRAMME_TOML)
        uow.commit()

    def save() -> int:
        with storage.unit_of_work() as uow:
            stored = uow.journeys.save_many(programme.id, synthetic.journeys(count))
            uow.commit()
        return stored

    def reference() -> dict[str, Any]:
        with storage.unit_of_work(read_only=True) as uow:
            return report_of(programme, uow.journeys.iter(programme.id))

    def pushed_down() -> dict[str, Any]:
        with storage.unit_of_work(read_only=True) as uow:
            return report_of(programme, uow.outcome_facts(programme, synthetic.AS_OF))

    def reference_facts() -> int:
        with storage.unit_of_work(read_only=True) as uow:
            journeys = uow.journeys.iter(programme.id)
            return sum(1 for _ in iter_facts(programme, journeys, synthetic.AS_OF))

    def pushed_down_facts() -> int:
        with storage.unit_of_work(read_only=True) as uow:
            return sum(1 for _ in uow.outcome_facts(programme, synthetic.AS_OF))

    save_s, stored = timed(save)
    with storage.unit_of_work() as uow:
        contacts = uow.session.execute(text("SELECT count(*) FROM contacts")).scalar_one()
    reference_s, expected = best(reference, runs)
    pushed_s, found = best(pushed_down, runs)
    if found != expected:
        raise SystemExit("the pushed-down report differs from the reference report")
    return {
        "participants": stored,
        "contacts": contacts,
        "save_s": save_s,
        "reference_facts_s": timed(reference_facts)[0],
        "pushed_facts_s": timed(pushed_down_facts)[0],
        "reference_s": reference_s,
        "pushed_s": pushed_s,
        "reference_mib": peak_mib(reference),
        "pushed_mib": peak_mib(pushed_down),
        "selected": expected["population"]["selected"],
    }


@contextmanager
def sqlite_storage() -> Iterator[SqlStorage]:
    with tempfile.TemporaryDirectory() as directory:
        storage = SqlStorage.open(f"sqlite:///{Path(directory) / 'bench.db'}")
        storage.initialise()
        try:
            yield storage
        finally:
            storage.close()


@contextmanager
def postgresql_storage(url: str) -> Iterator[SqlStorage]:
    """A storage in a fresh schema of the server, dropped afterwards."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    storage = SqlStorage.open(
        make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    )
    try:
        storage.initialise()
        yield storage
    finally:
        storage.close()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def server_version(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar_one()).split()[0]
    finally:
        engine.dispose()


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    memory = "unknown"
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU": cpu,
        "memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "SQLAlchemy": sqlalchemy.__version__,
        "SQLite": sqlite3.sqlite_version,
    }


def markdown(
    results: list[tuple[str, dict[str, Any]]], info: dict[str, str], seconds: float, runs: int
) -> str:
    """docs/performance.md."""
    lines = [
        "# Performance",
        "",
        "Figures measured by `make bench` (`benchmarks/run.py`); re-run it to update this page.",
        f"Measured on {dt.date.today().isoformat()}, in {seconds:.0f} s.",
        "",
        "Each backend gets synthetic participants (`benchmarks/synthetic.py`: 85% exited,",
        "up to five follow-up contacts and four attendance rows each), saved with",
        "`save_many` in one transaction. The same report (every built-in indicator set,",
        f"broken down by {' and '.join(BREAKDOWNS)}, as of {synthetic.AS_OF}) is then",
        "computed twice: from journeys rebuilt in Python and counted by the reference",
        "implementation, and from the storage's pushed-down SQL facts. The two reports",
        'are checked equal before any figure is written. "Facts" times only stream',
        'the per-participant facts, the part the two paths do differently; "report"',
        f"times add the counting, shared by both, and are the best of {runs} runs. Peak",
        "memory is the peak of Python allocations (tracemalloc) during the report, in",
        "a separate untimed run. The smaller SQLite run shows it does not grow with the",
        "number of participants: both paths stream in batches.",
        "",
        "| backend | participants | contacts | save_many | facts, reference "
        "| facts, pushed down | report, reference | report, pushed down "
        "| peak memory, reference | peak memory, pushed down |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, r in results:
        lines.append(
            f"| {backend} | {r['participants']:,} | {r['contacts']:,} | {r['save_s']:.1f} s "
            f"| {r['reference_facts_s']:.2f} s | {r['pushed_facts_s']:.2f} s "
            f"| {r['reference_s']:.2f} s | {r['pushed_s']:.2f} s "
            f"| {r['reference_mib']:.1f} MiB | {r['pushed_mib']:.1f} MiB |"
        )
    lines += ["", "## Machine", ""]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    lines += [
        "",
        "## Reproduce",
        "",
        "```sh",
        "make bench",
        "# or, with your own sizes or server:",
        ".venv/bin/python benchmarks/run.py --participants 20000 --postgresql-participants 20000",
        ".venv/bin/python benchmarks/run.py --only startup  # the start-up time alone",
        ".venv/bin/python benchmarks/run.py --only scale --sizes 10000 --backends sqlite",
        'make bench BENCH_ARGS="--only scale --sizes 1000000"  # one size; the saved ones are kept',
        f"{PG_ENV}=postgresql+psycopg://user@host/db .venv/bin/python benchmarks/run.py",
        "```",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20_000, help="on SQLite")
    parser.add_argument("--postgresql-participants", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=2, help="timed runs of each report")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--no-write", action="store_true", help="print, do not write the page")
    parser.add_argument(
        "--only",
        choices=("storage", "startup", "scale"),
        help="measure one part; the page keeps the other parts' sections as they were",
    )
    parser.add_argument("--startup-runs", type=int, default=21, help="runs of each command")
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=(10_000, 100_000, 1_000_000),
        help="participants generated for the national-scale part, e.g. 10000,100000",
    )
    parser.add_argument(
        "--backends",
        type=lambda text: text.split(","),
        default=["sqlite", "postgresql"],
        help="sqlite, postgresql or both (comma-separated); PostgreSQL needs " + PG_ENV,
    )
    parser.add_argument(
        "--reference-at",
        type=int,
        default=None,
        help="size at which the report is checked against the reference engine "
        "(default the largest; 0: never)",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        help="the saved national-scale figures, kept between runs",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="national scale: skip the sizes and backends already in --results",
    )
    args = parser.parse_args()
    previous = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    page = storage_page(args) if args.only in (None, "storage") else previous
    if args.only in (None, "startup"):
        medians = startup.measure(args.startup_runs)
        for name, timing in medians.items():
            print(f"{name}: {timing.wall * 1000:.0f} ms elapsed, {timing.cpu * 1000:.0f} ms CPU")
        page = startup.with_section(page, startup.section(medians, args.startup_runs))
    else:
        page = startup.with_section(page, startup.current_section(previous))
    page = carry_over(page, previous)
    if args.only not in (None, "scale"):
        publish(args, page)
        return
    different = measure_scale(args, page)
    if different:
        raise SystemExit(different)


def carry_over(page: str, previous: str) -> str:
    """``page`` with the national-scale section and its hand-written notes of ``previous``.

    The storage part writes a new page from scratch: the sections it does not
    measure are taken from the page as it was, so that none is lost.
    """
    for heading in (scale_table.HEADING, NOTES_HEADING):
        page = startup.with_section(page, startup.current_section(previous, heading), heading)
    return page


def publish(args: argparse.Namespace, page: str) -> None:
    """Write ``page`` to ``--output``, or print it with ``--no-write``."""
    if args.no_write:
        print(page)
    else:
        args.output.write_text(page, encoding="utf-8")
        print(f"wrote {args.output}", flush=True)


def measure_scale(args: argparse.Namespace, page: str) -> str:
    """Measure the national scale, saving each size and writing the page as it is measured.

    Returns what differed from the reference engine, if anything did.
    """
    saved = scale_results.load(args.results)
    measured = {r.key for r in saved}
    different = ""

    def done(result: scale_results.Result) -> None:
        nonlocal saved, page, different
        saved = scale_results.merge(saved, result)
        if result.reference and not result.reference.equal:
            different = (
                f"{result.backend}, {result.size:,}: insertion-core's report differs from the "
                "reference engine's in " + ", ".join(result.reference.differences)
            )
        if not args.no_write:
            scale_results.save(args.results, saved)
        page = startup.with_section(page, scale_table.section(saved), scale_table.HEADING)
        publish(args, page)

    backends = _backends(args.backends, os.environ.get(PG_ENV))
    check_at = args.sizes[-1] if args.reference_at is None else args.reference_at
    scale.measure_all(
        args.sizes,
        backends,
        check_at or None,
        done,
        skip=lambda backend, size: args.resume and (backend, size) in measured,
    )
    if saved:  # also when every size was skipped: the section shows the saved figures
        page = startup.with_section(page, scale_table.section(saved), scale_table.HEADING)
    publish(args, page)
    return different


def _sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(sorted(int(size.replace("_", "")) for size in text.split(",")))
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"expected sizes above 0, e.g. 10000,100000; got {text}")
    return sizes


def _backends(names: list[str], url: str | None) -> dict[str, str | None]:
    """``--backends`` as shown name -> server URL (``None`` for SQLite)."""
    backends: dict[str, str | None] = {}
    for name in names:
        if name == "sqlite":
            backends["SQLite"] = None
        elif name == "postgresql" and url:
            backends["PostgreSQL"] = url
        elif name == "postgresql":
            print(f"{PG_ENV} is not set: PostgreSQL not measured at scale", file=sys.stderr)
        else:
            raise SystemExit(f"--backends: unknown backend {name!r}; sqlite or postgresql")
    return backends


def storage_page(args: argparse.Namespace) -> str:
    """The page with the storage figures, measured now."""
    started = time.perf_counter()
    programme = loads_programme(synthetic.PROGRAMME_TOML)
    info = machine()
    results: list[tuple[str, dict[str, Any]]] = []
    # A tenth of the participants first: memory should not grow with the population.
    for count in (args.participants // 10, args.participants):
        with sqlite_storage() as storage:
            results.append(("SQLite (file)", measure(storage, programme, count, args.runs)))
            print(*results[-1], flush=True)
    url = os.environ.get(PG_ENV)
    if url:
        info["PostgreSQL"] = server_version(url)
        with postgresql_storage(url) as storage:
            count = args.postgresql_participants
            results.append(("PostgreSQL", measure(storage, programme, count, args.runs)))
            print(*results[-1], flush=True)
    else:
        print(f"{PG_ENV} is not set: PostgreSQL not measured", file=sys.stderr)
    return markdown(results, info, time.perf_counter() - started, args.runs)


if __name__ == "__main__":
    main()
