"""The national-scale section of docs/performance.md, written from the saved figures.

Pure functions of :class:`~scale_results.Result` (no timing here), so that
the tests check the tables' shape from given figures: one row per step with
its time, peak RSS, ratio to the plain path and target; a linearity line per
step; the outcome of the check against the reference engine.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from scale_data import AS_OF
from scale_results import Result
from scale_targets import PLAIN_STEPS, STEPS, judge, ratio, rss_ratio

__all__ = ["HEADING", "growth", "reference_lines", "section", "table"]

HEADING = "## National scale"

METHOD = f"""\
`make bench` generates participants in the canonical CSV files
(`benchmarks/scale_data.py`: about 93% exited, 2.4 follow-up contacts per
participant near the 1-, 3- and 6-month check-ins, a few absences of those
still in the programme, real codes, a fixed seed), written row by row, at
10,000, 100,000 and 1,000,000 participants. In the same run, the plain fast
path (`benchmarks/plain.py`) loads them with Python's csv and `sqlite3`
`executemany` (SQLite) or `COPY` through psycopg (PostgreSQL) into a plain
table per file, one transaction, and computes the key figures with one
hand-written SQL query. insertion-core runs `init`, `programme load`,
`import`, then `report` of every set, `report --set key_figures`,
`report --by gender`, `followups due` and `followups at-risk`, all as of
{AS_OF.isoformat()}. Every step is a process of its own: its elapsed time
from outside, its CPU time (user and system) and peak resident memory (RSS)
from the kernel (`wait4`): on a shared machine the CPU time is the steadier figure.
"× plain" divides the import's time by the plain load's, the others' by the
plain query's; "RSS × plain" does the same with the peak RSS. Before a
size's figures are kept, the plain query's population and key-figure counts
are checked equal to insertion-core's.

The targets are issue 10's, set at 1,000,000 participants (smaller sizes are
judged by the same limits, as a preview): the import within 1.5× the plain
load and under 300 MB of RSS (286 MiB); the key-figures report within 0.5× the plain
query (first milestone), then 0.1×; a breakdown (`--by gender`) within 2× the
same report without it; `followups due` and `at-risk` under 1 second.

Each step is one command: the import reads the four files, followups.csv
(about 2.4 million rows at 1,000,000 participants) included, in one
transaction; a CSV file has no row limit.

Each size is saved (`benchmarks/scale_results.json`) and this section
written again as soon as it is measured, so a run that is cut keeps the sizes
it finished; `--sizes 1000000` measures one size and keeps the others,
`--resume` skips the sizes already saved."""


def table(results: Sequence[Result]) -> list[str]:
    """One row per step of each backend and size: time, CPU, RSS, both × plain, per participant,
    target."""
    lines = [
        "| backend | participants | exits | contacts | step | time | CPU | peak RSS | × plain "
        "| RSS × plain | ms per participant | target | verdict |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        shown = f"| {r.backend} | {r.counts.participants:,} | {r.counts.exits:,} "
        shown += f"| {r.counts.contacts:,} "
        for step in (*PLAIN_STEPS, *STEPS):
            figure = r.steps.get(step)
            if figure is None:
                continue  # not measured in the run that saved this size
            times = "1 | 1" if step in PLAIN_STEPS else f"{ratio(r.steps, step):.2f}"
            times += "" if step in PLAIN_STEPS else f" | {rss_ratio(r.steps, step):.2f}"
            target, verdict = judge(step, r.steps)
            cpu = "—" if figure.cpu is None else f"{figure.cpu:.2f} s"
            lines.append(
                f"{shown}| {step} | {figure.seconds:.2f} s | {cpu} | {figure.mib:.0f} MiB "
                f"| {times} | {figure.seconds * 1000 / r.size:.4f} | {target} | {verdict} |"
            )
            shown = "| | | | "
    return lines


def growth(results: Sequence[Result]) -> list[str]:
    """A linearity line per step: ms per participant at each size, and the growth between sizes.

    The growth divides a size's cost per participant by the previous size's:
    1.0 means the cost grows in proportion to the participants.
    """
    sizes = sorted({r.size for r in results})
    steps = [s for s in (*PLAIN_STEPS, *STEPS) if any(s in r.steps for r in results)]
    pairs = list(itertools.pairwise(sizes))
    lines = [
        "| backend | step | "
        + " | ".join(f"{size:,}" for size in sizes)
        + "".join(f" | growth {a:,} → {b:,}" for a, b in pairs)
        + " |",
        "|---|---|" + "---:|" * (len(sizes) + len(pairs)),
    ]
    for backend in dict.fromkeys(r.backend for r in results):
        by_size = {r.size: r for r in results if r.backend == backend}
        for step in steps:
            per = {
                size: by_size[size].steps[step].seconds * 1000 / size
                for size in sizes
                if size in by_size and step in by_size[size].steps
            }
            cells = [f"{per[size]:.4f}" if size in per else "" for size in sizes]
            cells += [f"{per[b] / per[a]:.2f}" if a in per and b in per else "" for a, b in pairs]
            lines.append(f"| {backend} | {step} | " + " | ".join(cells) + " |")
    return lines


def reference_lines(results: Sequence[Result]) -> list[str]:
    """What the check against the reference engine found, or that it was not run."""
    checked = [r for r in results if r.reference]
    if not checked:
        return ["The report was not checked against the reference engine in the saved runs."]
    lines = []
    for r in checked:
        assert r.reference
        outcome = (
            "equal"
            if r.reference.equal
            else "**different** (" + ", ".join(r.reference.differences) + ")"
        )
        lines.append(
            f"At {r.size:,} participants on {r.backend}, insertion-core's report (every set, "
            "by gender) was compared with the report the reference engine (the pure Python "
            f"facts of `outcomes/reference.py`) computes from the stored journeys: {outcome} "
            f"({r.reference.seconds:.0f} s and {r.reference.mib:.0f} MiB for both, one process)."
        )
    return lines


def section(results: Sequence[Result]) -> str:
    """The page's national-scale section."""
    runs = [
        f"- {r.backend}, {r.size:,}: measured on {r.measured}, the load average then "
        f"{r.load_average:.1f}"
        for r in results
    ]
    lines = [HEADING, "", METHOD, ""]
    if not results:
        return "\n".join([*lines, "No size has been measured yet.", ""])
    lines += [*table(results), "", "When each size was measured (two cores, shared):", ""]
    lines += [*runs, ""]
    lines += ["Cost per participant, in milliseconds, at each size, and its growth:", ""]
    lines += [*growth(results), "", *reference_lines(results), ""]
    return "\n".join(lines)
