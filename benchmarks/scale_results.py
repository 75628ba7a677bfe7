"""The national-scale figures of every finished size, kept in a JSON file between runs.

A run at 10^6 takes hours: each (backend, size) is saved as soon as it is
measured, and the page is written again from all the saved figures, so a run
that is cut keeps the sizes it finished, and ``--sizes 1000000`` measures one
size while the table keeps the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from scale_data import Counts
from scale_targets import Step

__all__ = ["Reference", "Result", "load", "merge", "save"]


class Reference(NamedTuple):
    """The check that insertion-core's report equals the reference engine's, done once."""

    equal: bool
    seconds: float
    mib: float
    #: The report's top-level parts that differ, when it is not equal.
    differences: tuple[str, ...] = ()


class Result(NamedTuple):
    """One backend at one size: its files' counts, every step, and when it was measured."""

    backend: str
    size: int
    counts: Counts
    steps: dict[str, Step]
    measured: str
    load_average: float
    reference: Reference | None = None

    @property
    def key(self) -> tuple[str, int]:
        return self.backend, self.size

    def to_json(self) -> dict[str, Any]:
        data = self._asdict()
        data["counts"] = self.counts._asdict()
        data["steps"] = {name: step._asdict() for name, step in self.steps.items()}
        data["reference"] = self.reference._asdict() if self.reference else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        reference = data.get("reference")
        return cls(
            backend=data["backend"],
            size=data["size"],
            counts=Counts(**data["counts"]),
            steps={
                name: Step(step["seconds"], step["mib"], step.get("cpu"))
                for name, step in data["steps"].items()
            },
            measured=data["measured"],
            load_average=data["load_average"],
            reference=(
                Reference(**{**reference, "differences": tuple(reference["differences"])})
                if reference
                else None
            ),
        )


def load(path: Path) -> list[Result]:
    """The saved results, or none when the file does not exist yet."""
    if not path.exists():
        return []
    return [Result.from_json(item) for item in json.loads(path.read_text(encoding="utf-8"))]


def merge(saved: Iterable[Result], new: Result) -> list[Result]:
    """``saved`` with ``new`` in place of the same backend and size, by size then backend."""
    kept = [r for r in saved if r.key != new.key]
    order = {"SQLite": 0, "PostgreSQL": 1}
    return sorted([*kept, new], key=lambda r: (r.size, order.get(r.backend, 2), r.backend))


def save(path: Path, results: Iterable[Result]) -> None:
    """Write ``results``, replacing the file only once it is whole (a cut run keeps the old one)."""
    part = path.with_suffix(".part")
    text = json.dumps([r.to_json() for r in results], indent=1, ensure_ascii=False)
    part.write_text(text + "\n", encoding="utf-8")
    part.replace(path)
