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
import statistics
import subprocess
import sys
import time
from pathlib import Path

__all__ = [
    "HEADING",
    "TARGET",
    "commands",
    "current_section",
    "measure",
    "section",
    "with_section",
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


def _seconds(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def measure(runs: int) -> dict[str, float]:
    """Median seconds of each command over ``runs`` interleaved runs, after one warm-up each."""
    timed = commands()
    # Bytecode is written, as an installation does: compiling every run would time the compiler.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in timed.values():
        _seconds(command, env)  # the bytecode and the page cache, as on a machine in use
    samples: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(runs):
        for name, command in timed.items():
            samples[name].append(_seconds(command, env))
    return {name: statistics.median(values) for name, values in samples.items()}


def section(medians: dict[str, float], runs: int) -> str:
    """The page's start-up section, from :func:`measure`'s figures."""
    baseline = medians[BASELINE]
    worst = max(seconds / baseline for name, seconds in medians.items() if name != BASELINE)
    verdict = "within" if worst <= TARGET else "over"
    lines = [
        HEADING,
        "",
        "`insertion --version` and `insertion --help` load the installed plugins and",
        "build the command line, and nothing more: SQLAlchemy, alembic, openpyxl, the",
        "domain and the outcome engine load when a command needs them. The target is",
        f"at most {TARGET:g} times the time Python takes to import click and pluggy. Each",
        f"command ran {runs} times as a subprocess, the three interleaved; the medians:",
        "",
        f"| command | median | × `{BASELINE}` |",
        "|---|---:|---:|",
    ]
    for name, seconds in medians.items():
        lines.append(f"| `{name}` | {seconds * 1000:.0f} ms | {seconds / baseline:.2f} |")
    lines += [
        "",
        f"Measured on {dt.date.today().isoformat()} by `benchmarks/run.py --only startup`:"
        f" {verdict} the target ({worst:.2f}×).",
        "",
    ]
    return "\n".join(lines)


def _find(page: str) -> re.Match[str] | None:
    return re.search(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", page, flags=re.M | re.S)


def current_section(page: str) -> str:
    """The start-up section of ``page`` as it is, or ``""``."""
    found = _find(page)
    return found.group(0).rstrip("\n") + "\n" if found else ""


def with_section(page: str, new: str) -> str:
    """``page`` with its start-up section replaced by ``new``, or ``new`` added before Machine."""
    if not new:
        return page
    found = _find(page)
    if found:
        return page[: found.start()] + new + "\n" + page[found.end() :].lstrip("\n")
    machine = re.search(r"^## Machine$", page, flags=re.M)
    at = machine.start() if machine else len(page)
    return page[:at] + new + "\n" + page[at:]
