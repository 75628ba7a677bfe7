"""Issue 10's targets at national scale, and whether a step's figures meet them.

Pure functions of measured figures (no timing here), so that the tests can
give them figures and check each verdict. The targets are set at 10^6
participants; a smaller size is judged by the same limits, as a preview.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

__all__ = [
    "PLAIN_STEPS",
    "STEPS",
    "TARGETS",
    "Step",
    "Target",
    "judge",
    "plain_of",
    "ratio",
    "rss_ratio",
]

#: The plain fast path's steps: the yardsticks.
PLAIN_STEPS = ("plain load", "plain query")
#: insertion-core's steps, each a command (a process) of its own.
STEPS = (
    "import",
    "report (all sets)",
    "report --set key_figures",
    "report --by gender",
    "followups due",
    "followups at-risk",
)


class Step(NamedTuple):
    """One step, one process: its wall-clock seconds, peak resident memory in MiB, and the
    CPU seconds (user and system) it used, which a busy machine disturbs less than the wall
    clock (None in figures saved before it was measured)."""

    seconds: float
    mib: float
    cpu: float | None = None


def plain_of(step: str) -> str:
    """The plain step ``step`` is compared with: the load for the import, else the query."""
    return "plain load" if step == "import" else "plain query"


def ratio(steps: Mapping[str, Step], step: str) -> float:
    """``step``'s time as a multiple of the plain path's (:func:`plain_of`)."""
    return steps[step].seconds / steps[plain_of(step)].seconds


def rss_ratio(steps: Mapping[str, Step], step: str) -> float:
    """``step``'s peak RSS as a multiple of the plain path's (:func:`plain_of`)."""
    return steps[step].mib / steps[plain_of(step)].mib


class Target(NamedTuple):
    """One of the issue's targets: a figure of the steps, and the limit it must stay within."""

    label: str
    figure: Callable[[Mapping[str, Step]], float]
    limit: float
    unit: str
    #: ``<`` when true, else ``≤``.
    strict: bool = False

    def met(self, steps: Mapping[str, Step]) -> bool:
        value = self.figure(steps)
        return value < self.limit if self.strict else value <= self.limit

    def shown(self, steps: Mapping[str, Step]) -> str:
        value = self.figure(steps)
        return f"{value:.0f}{self.unit}" if self.unit == " MiB" else f"{value:.2f}{self.unit}"


def _seconds(step: str) -> Callable[[Mapping[str, Step]], float]:
    return lambda steps: steps[step].seconds


def _ratio_of(step: str) -> Callable[[Mapping[str, Step]], float]:
    return lambda steps: ratio(steps, step)


def _breakdown(steps: Mapping[str, Step]) -> float:
    return steps["report --by gender"].seconds / steps["report (all sets)"].seconds


#: The import's peak RSS target, 300 MB, in MiB (the unit of the table).
RSS_LIMIT_MIB = 300e6 / 2**20
#: Step -> the issue's targets for it (issue 10, points 1 to 3); steps not named have none.
TARGETS: dict[str, tuple[Target, ...]] = {
    "import": (
        Target("≤ 1.5× plain load", _ratio_of("import"), 1.5, "×"),
        Target("RSS < 300 MB", lambda steps: steps["import"].mib, RSS_LIMIT_MIB, " MiB", True),
    ),
    "report --set key_figures": (
        Target("≤ 0.5× plain query (milestone)", _ratio_of("report --set key_figures"), 0.5, "×"),
        Target("≤ 0.1× plain query", _ratio_of("report --set key_figures"), 0.1, "×"),
    ),
    "report --by gender": (Target("≤ 2× the report without `--by`", _breakdown, 2.0, "×"),),
    "followups due": (Target("< 1 s", _seconds("followups due"), 1.0, " s", strict=True),),
    "followups at-risk": (Target("< 1 s", _seconds("followups at-risk"), 1.0, " s", strict=True),),
}


def judge(step: str, steps: Mapping[str, Step]) -> tuple[str, str]:
    """The target column and the verdict column of ``step``'s row: "met" or "not met", with the figure.

    A step with no target, or whose figures were not measured, gets "—".
    """
    targets = TARGETS.get(step, ())
    try:
        verdicts = [f"{'met' if t.met(steps) else 'not met'} ({t.shown(steps)})" for t in targets]
    except KeyError:  # a step the stored run did not measure
        verdicts = []
    if not verdicts:
        return ("; ".join(t.label for t in targets) or "—", "—")
    return "; ".join(t.label for t in targets), "; ".join(verdicts)
