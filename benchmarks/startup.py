"""How long ``insertion --version`` and ``insertion --help`` take, against importing click and pluggy.

Every command loads the installed plugins and builds the command line before
it runs, so these two are the floor of every command. The target is at most
twice the time of ``python -c "import click, pluggy"`` on the same machine.
Each command runs as a subprocess, the three interleaved so that the rest of
the machine disturbs them alike; the median of the runs is kept.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

from scale import INSTALLED  # benchmarks/, on the path when this script runs

__all__ = [
    "HEADING",
    "TARGET",
    "Timing",
    "commands",
    "current_section",
    "measure",
    "section",
    "with_section",
    "worst_ratio",
]

HEADING = "## Start-up time"
#: At most this many times the time of importing click and pluggy.
TARGET = 2.0
BASELINE = "python -c 'import click, pluggy'"


def commands() -> dict[str, list[str]]:
    """What is timed, by the name shown on the page: the baseline first."""
    script = Path(sys.executable).with_name("insertion")
    if not script.exists():
        raise SystemExit(f"{script} is missing: install insertion-core in this environment first")
    return {
        BASELINE: [sys.executable, "-c", "import click, pluggy"],
        "insertion --version": [str(script), "--version"],
        "insertion --help": [str(script), "--help"],
    }


class Timing(NamedTuple):
    """One command's median elapsed (wall-clock) and CPU (user + system) seconds."""

    wall: float
    cpu: float


def _timed(command: list[str], env: dict[str, str]) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def measure(runs: int) -> dict[str, Timing]:
    """Median times of each command over ``runs`` interleaved runs, after one warm-up each."""
    timed = commands()
    env = INSTALLED
    for command in timed.values():
        _timed(command, env)  # the bytecode and the page cache, as on a machine in use
    samples: dict[str, list[Timing]] = {name: [] for name in timed}
    for _ in range(runs):
        for name, command in timed.items():
            samples[name].append(_timed(command, env))
    return {
        name: Timing(
            statistics.median(t.wall for t in values), statistics.median(t.cpu for t in values)
        )
        for name, values in samples.items()
    }


def worst_ratio(medians: dict[str, Timing]) -> float:
    """The larger ratio of a command's time to the baseline's, elapsed or CPU."""
    base = medians[BASELINE]
    return max(
        max(t.wall / base.wall, t.cpu / base.cpu) for n, t in medians.items() if n != BASELINE
    )


def section(medians: dict[str, Timing], runs: int) -> str:
    """The page's start-up section, from :func:`measure`'s figures."""
    base = medians[BASELINE]
    worst = worst_ratio(medians)
    verdict = "within" if worst <= TARGET else "over"
    lines = [
        HEADING,
        "",
        "`insertion --version` and `insertion --help` load the installed plugins and",
        "build the command line, and nothing more: SQLAlchemy, alembic, openpyxl, the",
        "domain and the outcome engine load when a command needs them. The target is",
        f"at most {TARGET:g} times the time Python takes to import click and pluggy. Each",
        f"command ran {runs} times as a subprocess, the three interleaved, with its",
        "bytecode compiled as after an installation; the medians of the elapsed time and",
        "of the CPU time (user and system), the latter less disturbed by a busy machine:",
        "",
        "| command | elapsed | × baseline | CPU | × baseline |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, t in medians.items():
        lines.append(
            f"| `{name}` | {t.wall * 1000:.0f} ms | {t.wall / base.wall:.2f} "
            f"| {t.cpu * 1000:.0f} ms | {t.cpu / base.cpu:.2f} |"
        )
    lines += [
        "",
        f"The baseline is `{BASELINE}`. Measured on {dt.date.today().isoformat()} by",
        f"`benchmarks/run.py --only startup`, the load average then {_load()}:"
        f" {verdict} the target (at worst {worst:.2f}×).",
        "",
    ]
    return "\n".join(lines)


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def _find(page: str, heading: str) -> re.Match[str] | None:
    return re.search(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", page, flags=re.M | re.S)


def current_section(page: str, heading: str = HEADING) -> str:
    """The section ``heading`` (start-up by default) of ``page`` as it is, or ``""``."""
    found = _find(page, heading)
    return found.group(0).rstrip("\n") + "\n" if found else ""


def with_section(page: str, new: str, heading: str = HEADING) -> str:
    """``page`` with its section ``heading`` replaced by ``new``, or ``new`` added before Machine."""
    if not new:
        return page
    found = _find(page, heading)
    if found:
        return page[: found.start()] + new + "\n" + page[found.end() :].lstrip("\n")
    machine = re.search(r"^## Machine$", page, flags=re.M)
    at = machine.start() if machine else len(page)
    return page[:at] + new + "\n" + page[at:]
