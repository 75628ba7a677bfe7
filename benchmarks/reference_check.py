"""Compare insertion-core's report with the reference engine's, on a benchmark database.

``reference_check.py URL`` computes the scale programme's report (every set,
by gender, as of the benchmark's day) twice: with ``Workspace.report``, the
path the command line takes, and with the reference engine, which rebuilds
each stored journey in Python and derives its facts with
``outcomes/reference.py``. It prints ``{"equal": ..., "differences": [...]}``,
the differences being the report's top-level parts that differ. Run as a
process of its own, its time and peak memory are measured like a step's.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import scale_data  # benchmarks/, on the path when this script runs

from insertion_core.outcomes import compute_report
from insertion_core.workspace import Workspace

__all__ = ["differences", "main"]


def differences(found: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """The top-level keys whose values differ between two JSON reports."""
    return sorted(k for k in found.keys() | expected.keys() if found.get(k) != expected.get(k))


def main(url: str) -> dict[str, Any]:
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
    different = differences(found.to_json_dict(), expected.to_json_dict())
    return {"equal": not different, "differences": different}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
