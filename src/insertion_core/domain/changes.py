"""What changed between two versions of a participant's journey, in words.

A storage that finds a participant changed by someone else since it was
read names the change in its :class:`~insertion_core.errors.ConflictError`.
"""

from __future__ import annotations

from collections.abc import Sequence

from .journey import Journey

__all__ = ["journey_changes"]


def journey_changes(before: Journey | None, after: Journey | None) -> list[str]:
    """The changes from ``before`` to ``after`` (None: not enrolled), e.g. ``["exit recorded"]``.

    A journey stored again unchanged is ``["saved again"]``.
    """
    if before is None or after is None:
        if before is after:
            return ["saved again"]
        return ["enrolled" if before is None else "removed"]
    changes: list[str] = []
    if before.participant != after.participant:
        changes.append("details changed")
    changes.extend(_listed("phase started", "phases changed", before.phases, after.phases))
    if before.exit != after.exit:
        if before.exit is None:
            changes.append("exit recorded")
        else:
            changes.append("exit removed" if after.exit is None else "exit changed")
    changes.extend(
        _listed("follow-up recorded", "follow-ups changed", before.contacts, after.contacts)
    )
    changes.extend(
        _listed("attendance recorded", "attendance changed", before.attendance, after.attendance)
    )
    return changes or ["saved again"]


def _listed(
    added: str, changed: str, before: Sequence[object], after: Sequence[object]
) -> list[str]:
    """``added`` when ``after`` only adds entries to ``before``, ``changed`` for any other difference."""
    if tuple(before) == tuple(after):
        return []
    grew = len(after) > len(before) and all(entry in after for entry in before)
    return [added if grew else changed]
