"""National scale: insertion-core's commands beside the plain fast path, on generated files.

For each size and backend, the canonical CSV files are generated
(:mod:`scale_data`), loaded and queried by the plain fast path
(:mod:`plain`), and run through ``insertion`` command by command: ``init``,
``programme load``, ``import``, ``report`` of every set, ``report --set
key_figures``, ``report --by gender``, ``followups due`` and ``followups
at-risk``. Each step is a process of its own, timed from outside (wall
clock) with its peak resident memory read from the kernel (``os.wait4``),
so the harness measures whatever the command line does today. The key
figures of the plain query must equal insertion-core's, and once, at the
largest size, insertion-core's report is compared with the reference
engine's (:mod:`reference_check`). Each result goes to a callback as soon as
it is measured (:mod:`scale_results` saves it, :mod:`scale_table` shows it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import scale_data  # benchmarks/, on the path when this script runs
from scale_results import Reference, Result
from scale_targets import Step

__all__ = [
    "cells_of_report",
    "measure",
    "measure_all",
    "reference_check",
    "run",
]

HERE = Path(__file__).parent
AS_OF = scale_data.AS_OF.isoformat()
#: Indicator -> the cell it counts, to compare a report with the plain query.
_CELLS = {
    "dropout_rate": "key_figures.class.dropout",
    "training_rate": "key_figures.class.training",
    "employment_rate": "key_figures.class.employment",
    "no_outcome_rate": "key_figures.class.none",
    "remobilisation_rate": "key_figures.remobilised",
    "training_digital_share": "key_figures.digital.training",
    "employment_digital_share": "key_figures.digital.employment",
    "followup_response_rate": "key_figures.responded",
}


#: The environment of a measured command: bytecode written and read, as after an
#: installation (``PYTHONDONTWRITEBYTECODE`` would time the compiler at every start).
INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command: Sequence[str], output: Path | None = None) -> Step:
    """Run ``command`` as a process of its own; fail loudly when it fails."""
    with open(output or os.devnull, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=INSTALLED)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            err.seek(0)
            message = err.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{message}")
    # ru_maxrss is in KiB on Linux
    return Step(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


def cells_of_report(report: dict[str, Any]) -> dict[str, int]:
    """A JSON key-figures report as the counts :func:`plain.key_figures` gives."""
    cells = {f"population.{k}": v for k, v in report["population"].items()}
    indicators = report["indicators"]
    for name, cell in _CELLS.items():
        cells[cell] = indicators[name]["numerator"]
    return cells


def _insertion() -> str:
    script = Path(sys.executable).with_name("insertion")
    if not script.exists():
        raise SystemExit(f"{script} is missing: install insertion-core in this environment first")
    return str(script)


def measure(backend: str, url: str, plain_target: str, directory: Path) -> dict[str, Step]:
    """Run both paths on the files of ``directory``; every step's :class:`Step`."""
    python = [sys.executable, str(HERE / "plain.py")]
    engine = "postgresql" if url.startswith("postgresql") else "sqlite"
    work = Path(tempfile.mkdtemp(dir=directory))
    steps: dict[str, Step] = {}
    steps["plain load"] = run([*python, "load", engine, plain_target, str(directory)])
    answer = work / "plain.json"
    steps["plain query"] = run(
        [*python, "query", engine, plain_target, AS_OF, str(scale_data.MONTHS)], answer
    )
    expected = json.loads(answer.read_text())
    cli = [_insertion(), "--db", url]
    programme = work / "programme.toml"
    programme.write_text(scale_data.PROGRAMME_TOML, encoding="utf-8")
    report = ["report", "--programme", scale_data.PROGRAMME_ID, "--as-of", AS_OF, "--min-cell"]
    report += ["0", "--format", "json"]
    run([*cli, "init"])
    run([*cli, "programme", "load", str(programme)])
    steps["import"] = run([*cli, "import", "--programme", scale_data.PROGRAMME_ID, str(directory)])
    steps["report (all sets)"] = run([*cli, *report])
    key_figures = work / "key_figures.json"
    steps["report --set key_figures"] = run([*cli, *report, "--set", "key_figures"], key_figures)
    steps["report --by gender"] = run([*cli, *report, "--by", "gender"])
    lists = ["--programme", scale_data.PROGRAMME_ID, "--as-of", AS_OF, "--format", "csv"]
    steps["followups due"] = run([*cli, "followups", "due", *lists])
    steps["followups at-risk"] = run([*cli, "followups", "at-risk", *lists])
    found = cells_of_report(json.loads(key_figures.read_text()))
    if found != expected:
        raise SystemExit(
            f"{backend}: insertion-core's key figures differ from the plain query's:\n"
            f"  insertion-core: {found}\n  plain query:    {expected}"
        )
    return steps


def reference_check(url: str, work: Path) -> Reference:
    """Compare insertion-core's report with the reference engine's, in a process of its own."""
    answer = work / "reference.json"
    step = run([sys.executable, str(HERE / "reference_check.py"), url], answer)
    outcome = json.loads(answer.read_text())
    return Reference(outcome["equal"], step.seconds, step.mib, tuple(outcome["differences"]))


@contextmanager
def sqlite_targets(directory: Path) -> Iterator[tuple[str, str]]:
    """insertion-core's database URL and the plain path's database file."""
    yield f"sqlite:///{directory / 'insertion.db'}", str(directory / "plain.db")


@contextmanager
def postgresql_targets(url: str) -> Iterator[tuple[str, str]]:
    """Two fresh schemas of the server, one per path, dropped afterwards."""
    from sqlalchemy import create_engine, make_url

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    schemas = [f"bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with admin.connect() as connection:
        for schema in schemas:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield tuple(  # type: ignore[misc]
            make_url(url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
            for schema in schemas
        )
    finally:
        with admin.connect() as connection:
            for schema in schemas:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def measure_all(
    sizes: Sequence[int],
    backends: dict[str, str | None],
    check_reference_at: int | None,
    done: Callable[[Result], None],
    skip: Callable[[str, int], bool] = lambda backend, size: False,
) -> None:
    """Every size on every backend (name -> server URL, ``None`` for SQLite).

    ``done`` receives each backend's result at each size as soon as it is
    measured, so that it is saved before the next, longer one starts;
    ``skip(backend, size)`` leaves out those already measured.
    """
    checked = False
    for size in sizes:
        todo = {name: url for name, url in backends.items() if not skip(name, size)}
        if not todo:
            print(f"{size:,}: already measured on {', '.join(backends)}", flush=True)
            continue
        with tempfile.TemporaryDirectory(prefix="insertion-scale-") as name:
            directory = Path(name)
            started = time.perf_counter()
            counts = scale_data.write(size, directory)
            seconds = time.perf_counter() - started
            print(f"{size:,}: generated {counts} in {seconds:.1f} s", flush=True)
            for backend, server in todo.items():
                targets = postgresql_targets(server) if server else sqlite_targets(directory)
                reference = None
                with targets as (url, plain_target):
                    steps = measure(backend, url, plain_target, directory)
                    for step, figure in steps.items():
                        print(
                            f"  {backend} {step}: {figure.seconds:.2f} s, {figure.mib:.0f} MiB",
                            flush=True,
                        )
                    if size == check_reference_at and not checked:  # once: it is slow
                        reference = reference_check(url, directory)
                        checked = True
                        print(f"  {backend} reference check: {reference}", flush=True)
                measured = dt.date.today().isoformat()
                load = os.getloadavg()[0]
                done(Result(backend, size, counts, steps, measured, load, reference))
