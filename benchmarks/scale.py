"""National scale: insertion-core's commands beside the plain fast path, on generated files.

For each size and backend, the canonical CSV files are generated
(:mod:`scale_data`), loaded and queried by the plain fast path
(:mod:`plain`), and run through ``insertion`` command by command: ``init``,
``programme load``, ``import``, ``report --set key_figures``, ``report`` of
every set, ``report --by gender`` and ``followups due``. Each step is a
process of its own, timed from outside (wall clock) with its peak resident
memory read from the kernel (``os.wait4``), so the harness measures whatever
the command line does today. Every figure is also given as a ratio to the
plain path, and per participant, to show how cost grows with the size. The
key figures of the plain query must equal insertion-core's, and once, at
the largest size checked, ``Workspace.report`` must equal the report the
reference engine computes from the journeys.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import scale_data  # benchmarks/, on the path when this script runs

__all__ = [
    "HEADING",
    "Step",
    "cells_of_report",
    "measure",
    "section",
]

HEADING = "## National scale"
HERE = Path(__file__).parent
AS_OF = scale_data.AS_OF.isoformat()
#: The issue's targets at 10^6 participants.
IMPORT_TARGET = 1.5  # × the plain load
IMPORT_RSS_TARGET = 300  # MiB
KEY_FIGURES_TARGET = 0.1  # × the plain query; first milestone 0.5×
BREAKDOWN_TARGET = 2.0  # × the report without breakdown
DUE_TARGET = 1.0  # seconds
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


class Step(NamedTuple):
    """One step: its wall-clock seconds and peak resident memory in MiB.

    A step is one process, except an import split in ``commands`` processes.
    """

    seconds: float
    mib: float
    commands: int = 1


def import_parts(directory: Path, work: Path, limit: int | None = None) -> tuple[Path, list[Path]]:
    """The folder to import, and followups files to import after it, if any.

    A file holds at most ``MAX_ROWS`` rows (Excel's limit, the importer's too),
    or ``limit``. When followups.csv holds more, the folder to import is ``work/import``
    without it, and its rows come in parts that each hold whole participants'
    contacts (importing a participant's contacts replaces them all).
    """
    from insertion_core.importing.rows import MAX_ROWS

    limit = limit or MAX_ROWS
    source = directory / "followups.csv"
    with source.open(newline="", encoding="utf-8") as file:
        lines = sum(1 for _ in file)
    if lines <= limit:
        return directory, []
    folder = work / "import"
    folder.mkdir()
    for name in ("participants.csv", "exits.csv"):
        os.link(directory / name, folder / name)
    parts: list[Path] = []
    with source.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file)
        header = next(reader)
        out: Any = None
        rows = 0
        last = ""
        for row in reader:
            # a participant's contacts stay in one part: stop a few rows short
            if out is None or (rows >= limit - 10 and row[0] != last):
                if out is not None:
                    out.close()
                parts.append(work / f"followups-{len(parts) + 1}.csv")
                out = parts[-1].open("w", newline="", encoding="utf-8")
                writer = csv.writer(out)
                writer.writerow(header)
                rows = 0
            writer.writerow(row)
            rows += 1
            last = row[0]
        out.close()
    return folder, parts


def run(command: Sequence[str], output: Path | None = None) -> Step:
    """Run ``command`` as a process of its own; fail loudly when it fails."""
    with open(output or os.devnull, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            err.seek(0)
            message = err.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{message}")
    return Step(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


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


def measure(backend: str, url: str, plain_target: str, directory: Path) -> dict[str, Any]:
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
    importing = ["import", "--programme", scale_data.PROGRAMME_ID]
    folder, parts = import_parts(directory, work)
    imports = [run([*cli, *importing, str(folder)])]
    imports += [run([*cli, *importing, "--kind", "followups", str(p)]) for p in parts]
    steps["import"] = Step(sum(s.seconds for s in imports), max(s.mib for s in imports))
    if parts:
        steps["import"] = steps["import"]._replace(commands=len(imports))
    key_figures = work / "key_figures.json"
    steps["report --set key_figures"] = run([*cli, *report, "--set", "key_figures"], key_figures)
    steps["report (all sets)"] = run([*cli, *report])
    steps["report --by gender"] = run([*cli, *report, "--by", "gender"])
    due = ["followups", "due", "--programme", scale_data.PROGRAMME_ID, "--as-of", AS_OF]
    steps["followups due"] = run([*cli, *due, "--format", "csv"])
    found = cells_of_report(json.loads(key_figures.read_text()))
    if found != expected:
        raise SystemExit(
            f"{backend}: insertion-core's key figures differ from the plain query's:\n"
            f"  insertion-core: {found}\n  plain query:    {expected}"
        )
    return {"steps": steps, "mature": expected["population.mature"]}


def reference_check(url: str) -> float:
    """Check ``Workspace.report`` equals the reference engine's report; seconds it took."""
    from insertion_core.outcomes import compute_report
    from insertion_core.workspace import Workspace

    start = time.perf_counter()
    with Workspace.open(url) as workspace:
        programme = workspace.programme(scale_data.PROGRAMME_ID)
        found = workspace.report(programme.id, as_of=scale_data.AS_OF, by=("gender",), min_cell=0)
        expected = compute_report(
            programme,
            workspace.journeys(programme.id),
            scale_data.AS_OF,
            by=("gender",),
            min_cell=0,
            indicator_sets=workspace.hooks.indicator_sets(),
            generated_at=dt.datetime.fromisoformat(found.provenance.generated_at),
        )
    if found.to_json_dict() != expected.to_json_dict():
        raise SystemExit("Workspace.report differs from the reference engine's report")
    return time.perf_counter() - start


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
    sizes: Sequence[int], backends: dict[str, str | None], check_reference_at: int | None
) -> list[dict[str, Any]]:
    """Every size on every backend (name -> server URL, ``None`` for SQLite)."""
    results: list[dict[str, Any]] = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="insertion-scale-") as name:
            directory = Path(name)
            started = time.perf_counter()
            counts = scale_data.write(size, directory)
            seconds = time.perf_counter() - started
            print(f"{size:,}: generated {counts} in {seconds:.1f} s", flush=True)
            for backend, server in backends.items():
                targets = postgresql_targets(server) if server else sqlite_targets(directory)
                with targets as (url, plain_target):
                    result = measure(backend, url, plain_target, directory)
                    if size == check_reference_at and not any("reference_s" in r for r in results):
                        result["reference_s"] = reference_check(url)  # once: it is slow
                result.update(backend=backend, size=size, counts=counts)
                results.append(result)
                for step, figure in result["steps"].items():
                    print(
                        f"  {backend} {step}: {figure.seconds:.2f} s, {figure.mib:.0f} MiB",
                        flush=True,
                    )
    return results


def _ratio(result: dict[str, Any], step: str) -> float:
    steps = result["steps"]
    base = steps["plain load" if step == "import" else "plain query"].seconds
    return float(steps[step].seconds / base)


_ROWS = (
    "import",
    "report --set key_figures",
    "report (all sets)",
    "report --by gender",
    "followups due",
)


def section(results: list[dict[str, Any]], note: str) -> str:
    """The page's national-scale section."""
    sizes = sorted({r["size"] for r in results})
    lines = [
        HEADING,
        "",
        "Generated participants in the canonical CSV files (`benchmarks/scale_data.py`:",
        "about 93% exited, 2.4 follow-up contacts per participant near the 1-, 3- and",
        "6-month check-ins, real codes, a fixed seed), written row by row. In the same",
        "run, the plain fast path (`benchmarks/plain.py`) loads them with Python's csv",
        "and `sqlite3` `executemany` (SQLite) or `COPY` through psycopg (PostgreSQL)",
        "into three plain tables, and computes the key figures with one hand-written",
        "SQL query; insertion-core runs `init`, `programme load`, `import`, then",
        "`report --set key_figures`, `report` of every set, `report --by gender` and",
        f"`followups due`, all as of {AS_OF}. Every step is a process of its own: its",
        "elapsed time from outside, its peak resident memory (RSS) from the kernel.",
        "The import is given as a ratio to the plain load, the reports and the due",
        "list to the plain query. Before any figure is written, the plain query's",
        "population and key-figure counts are checked equal to insertion-core's.",
        "A file holds at most 1,048,576 rows (Excel's limit, which the importer",
        "keeps): from about 430,000 participants on, followups.csv holds more, so",
        "insertion-core imports the folder without it, then its rows in parts of",
        "whole participants, each with `import --kind followups`, a process (and a",
        "transaction) each; the table then says how many commands the import took.",
        "",
        "| backend | participants | exits | contacts | step | time | peak RSS "
        "| × plain | ms per participant |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        counts, steps = r["counts"], r["steps"]
        shown = f"| {r['backend']} | {counts.participants:,} | {counts.exits:,} "
        shown += f"| {counts.contacts:,} "
        for step in ("plain load", "plain query", *_ROWS):
            figure = steps[step]
            ratio = "1" if step.startswith("plain") else f"{_ratio(r, step):.1f}"
            name = f"{step} ({figure.commands} commands)" if figure.commands > 1 else step
            lines.append(
                f"{shown}| {name} | {figure.seconds:.2f} s | {figure.mib:.0f} MiB | {ratio} "
                f"| {figure.seconds * 1000 / counts.participants:.3f} |"
            )
            shown = "| | | | "
    lines += ["", note, ""]
    if len(sizes) > 1:
        lines += _growth(results, sizes)
    checked = [r for r in results if "reference_s" in r]
    for r in checked:
        lines += [
            f"At {r['size']:,} participants on {r['backend']}, `Workspace.report` (every set,",
            "by gender) was checked equal to the report the reference engine computes from",
            f"the stored journeys ({r['reference_s']:.0f} s for both).",
            "",
        ]
    lines += _targets(results)
    return "\n".join(lines)


def _growth(results: list[dict[str, Any]], sizes: list[int]) -> list[str]:
    """Milliseconds per participant at each size: flat when cost grows linearly."""
    lines = [
        "Cost per participant at each size, in milliseconds; the last column divides",
        "the largest size's by the smallest's (1.0: the cost grows linearly):",
        "",
        "| backend | step | " + " | ".join(f"{size:,}" for size in sizes) + " | growth |",
        "|---|---|" + "---:|" * (len(sizes) + 1),
    ]
    for backend in dict.fromkeys(r["backend"] for r in results):
        by_size = {r["size"]: r for r in results if r["backend"] == backend}
        for step in ("plain load", "plain query", *_ROWS):
            per = [
                by_size[size]["steps"][step].seconds * 1000 / size if size in by_size else None
                for size in sizes
            ]
            cells = " | ".join("" if p is None else f"{p:.3f}" for p in per)
            known = [p for p in per if p is not None]
            growth = f"{known[-1] / known[0]:.2f}" if len(known) > 1 else ""
            lines.append(f"| {backend} | {step} | {cells} | {growth} |")
    lines.append("")
    return lines


def _targets(results: list[dict[str, Any]]) -> list[str]:
    """The issue's targets (at 10^6), and how far each backend's largest size is from each."""
    largest = {
        r["backend"]: max(x["size"] for x in results if x["backend"] == r["backend"])
        for r in results
    }
    lines = [
        "### Targets",
        "",
        "The targets are set at 1,000,000 participants; here, how far the largest size",
        "measured on each backend is from each:",
        "",
        "| backend | participants | figure | target | measured | verdict |",
        "|---|---:|---|---|---:|---|",
    ]
    for r in results:
        if r["size"] != largest[r["backend"]]:
            continue
        steps = r["steps"]
        by = steps["report --by gender"].seconds / steps["report (all sets)"].seconds
        rows = [
            ("import time", f"≤ {IMPORT_TARGET}× the plain load", _ratio(r, "import"), "×"),
            ("import peak RSS", f"< {IMPORT_RSS_TARGET} MiB", steps["import"].mib, " MiB"),
            (
                "key-figures report",
                f"≤ {KEY_FIGURES_TARGET}× the plain query (first milestone 0.5×)",
                _ratio(r, "report --set key_figures"),
                "×",
            ),
            ("`--by gender` report", f"≤ {BREAKDOWN_TARGET}× the report without it", by, "×"),
            ("`followups due`", f"< {DUE_TARGET:g} s", steps["followups due"].seconds, " s"),
        ]
        limits = (IMPORT_TARGET, IMPORT_RSS_TARGET, KEY_FIGURES_TARGET, BREAKDOWN_TARGET)
        for (figure, target, value, unit), limit in zip(rows, (*limits, DUE_TARGET), strict=True):
            verdict = "met" if value <= limit else f"{value / limit:.1f}× over"
            lines.append(
                f"| {r['backend']} | {r['size']:,} | {figure} | {target} | {value:.1f}{unit} "
                f"| {verdict} |"
            )
    lines.append("")
    return lines
