"""What an import did (or, with ``--dry-run``, would do): counts per kind of file, and warnings."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .schema import Kind

__all__ = ["ImportSummary", "KindCounts", "audit_counts"]


@attrs.define
class KindCounts:
    """Rows of one kind of file: new, changed, identical to what was stored, and removed.

    Only follow-up contacts are ever removed, and only by an import with ``replace``:
    the followups file is then authoritative for each participant it names.
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def line(self, kind: Kind) -> str:
        """``participants: 12 added, 3 updated, 140 unchanged`` (and ``, 2 removed`` when any)."""
        text = f"{kind}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged"
        return text + (f", {self.removed} removed" if self.removed else "")


@attrs.frozen
class ImportSummary:
    """The counts of each kind imported, in import order, and the warnings to show."""

    counts: dict[Kind, KindCounts]
    warnings: tuple[str, ...] = ()
    dry_run: bool = False

    def lines(self) -> list[str]:
        """One line per kind of file imported."""
        return [counts.line(kind) for kind, counts in self.counts.items()]

    @property
    def changed(self) -> bool:
        """True when the import added, updated or removed anything."""
        return any(c.added or c.updated or c.removed for c in self.counts.values())


def audit_counts(counts: Mapping[Kind, KindCounts]) -> dict[str, int]:
    """An import's counts as the audit journal keeps them: ``participants.added`` and so on."""
    return {
        f"{kind}.{name}": number
        for kind, kind_counts in counts.items()
        for name, number in attrs.asdict(kind_counts).items()
    }
