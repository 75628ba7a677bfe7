"""The staged rows applied and written a batch of participants at a time, in id order.

Each batch holds every staged row of its participants, from every file, so
the lifecycle rules see a participant whole, exactly as if the files were
planned at once: no rule looks across participants. Per batch, the stored
journeys are read in one query, the plan is made (:func:`.planning.make_plan`)
and, when writing, saved with set-based statements (:func:`write_batch`).
Everything happens inside the import's one transaction: a problem found in
a later batch stops the writing, and the caller then refuses the import,
which rolls back what the earlier batches wrote. Cohort rows, which name no
participant, go with the first batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..domain.eligibility import EligibilityRule
from ..domain.programme import Programme
from ..errors import Problem
from ..storage import UnitOfWork
from .planning import Plan, make_plan
from .records import KEEP_PROBLEMS, ParsedFile, Record
from .schema import Kind
from .staging import Staging
from .summary import KindCounts

__all__ = ["BATCH_SIZE", "Applied", "apply_in_batches", "write_batch"]

#: Participants planned and written at a time.
BATCH_SIZE = 5_000
#: Events handed to the plugins at a time after the commit.
EVENT_CHUNK = 10_000


@attrs.define
class Applied:
    """What the batches found: counts by kind, warnings, problems and contacts removed.

    ``problems`` keeps, per file, the :data:`KEEP_PROBLEMS` earliest by line;
    ``more`` counts the others.
    """

    counts: dict[Kind, KindCounts]
    warnings: list[tuple[int, str]] = attrs.Factory(list)
    problems: dict[str, list[Problem]] = attrs.Factory(dict)
    more: int = 0
    written: bool = False

    @property
    def removed(self) -> int:
        """Stored contacts that the import removes (``replace``)."""
        return sum(c.removed for c in self.counts.values())

    def add(self, plan: Plan) -> None:
        """Add one batch's counts, warnings and problems."""
        for kind, counts in plan.counts.items():
            total = self.counts[kind]
            total.added += counts.added
            total.updated += counts.updated
            total.unchanged += counts.unchanged
            total.removed += counts.removed
        self.warnings.extend(plan.warnings)
        for file, found in plan.problems.items():
            kept = self.problems.setdefault(file, [])
            kept.extend(found)
            if len(kept) > 2 * KEEP_PROBLEMS:  # keep the earliest lines, count the rest
                kept.sort(key=lambda p: p.line or 0)
                self.more += len(kept) - KEEP_PROBLEMS
                del kept[KEEP_PROBLEMS:]

    def all_problems(self, files: Sequence[ParsedFile]) -> list[Problem]:
        """Parse and lifecycle problems, file by file in import order, by line within a file."""
        found: list[Problem] = []
        for parsed in files:
            mine = parsed.problems + self.problems.get(parsed.file, [])
            found.extend(sorted(mine, key=lambda p: p.line or 0))
        return found


def apply_in_batches(
    uow: UnitOfWork,
    programme: Programme,
    rules: Sequence[EligibilityRule],
    files: Sequence[ParsedFile],
    staging: Staging,
    *,
    write: bool,
    replace: bool = False,
    confirm_removal: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Applied:
    """Plan the staged rows of ``files`` (the ``i``-th file's rows staged as file ``i``).

    :param write: write each batch into ``uow`` (and keep its events in
        ``staging``) until a problem, or a removal not confirmed, is found;
        from then on the batches are only checked, to report every problem.
    """
    applied = Applied({parsed.kind: KindCounts() for parsed in files})
    spans: list[tuple[str, str] | None] = list(staging.batches(batch_size)) or [None]
    for number, span in enumerate(spans):
        rows = {} if span is None else staging.rows(*span)
        if number == 0:
            for file, unnamed in staging.unnamed().items():
                rows[file] = unnamed + rows.get(file, [])
        plan = make_plan(uow, programme, rules, _batch_files(files, rows), replace=replace)
        applied.add(plan)
        stop = applied.problems or (applied.removed and not confirm_removal)
        if write and not stop:
            write_batch(uow, plan)
            staging.keep_events(plan.events)
            applied.written = True
    applied.warnings.sort(key=lambda warning: warning[0])
    return applied


def _batch_files(files: Sequence[ParsedFile], rows: dict[int, list[Record]]) -> list[ParsedFile]:
    """The files as one batch sees them: their columns and tainted ids, the batch's rows."""
    return [
        attrs.evolve(parsed, records=rows.get(index, []), problems=[])
        for index, parsed in enumerate(files)
    ]


def write_batch(uow: UnitOfWork, plan: Plan) -> None:
    """Save one batch's changes: journeys, cohorts and personal data, set-based.

    This is where the rows derived from the saved journeys (stored check-ins,
    stored facts) are to be brought up to date, for the same batch of
    participants (``plan.book.changed()``), in the same transaction.
    """
    plan.write(uow)
