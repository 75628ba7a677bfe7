"""The follow-up compliance set: check-ins done on time, and people actually reached."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

import attrs

from ...domain.programme import Programme
from ..definitions import Definition, IndicatorDef, RateDef, Relation
from ..facts import CheckinStatus, OutcomeFacts

__all__ = ["FollowUp"]

ASSESSED = "followup.assessed"
ON_TIME = "followup.on_time"
REACHED = "followup.reached"


def leavers_assessed(count: int) -> str:
    """Never published: the leavers with ``count`` assessed check-ins.

    They tell disclosure control that check-ins come by the person: a count of
    check-ins can give back a count of persons.
    """
    return f"followup.leavers_assessed.{count}"


_RATES = (
    RateDef(
        "checkin_completion_rate",
        ON_TIME,
        ASSESSED,
        Definition(
            "Points de suivi faits à temps",
            "Check-ins done on time",
            "Points de suivi dont l'échéance et le délai de tolérance sont passés, avec un contact "
            "(même sans réponse) dans le délai de tolérance autour de l'échéance ; sur ces "
            "points de suivi.",
            "Check-ins whose due date and grace period are past, with a contact (even "
            "unanswered) within the grace period around the due date; over those check-ins.",
        ),
    ),
    RateDef(
        "checkin_reached_rate",
        REACHED,
        ASSESSED,
        Definition(
            "Points de suivi avec personne jointe",
            "Check-ins that reached the person",
            "Points de suivi dont l'échéance et le délai de tolérance sont passés, où la personne "
            "a été jointe dans le délai de tolérance autour de l'échéance ; sur ces points de "
            "suivi.",
            "Check-ins whose due date and grace period are past, where the person was reached "
            "within the grace period around the due date; over those check-ins.",
        ),
    ),
)


@attrs.frozen
class FollowUp:
    """Check-ins of exited, non-neutralised participants, pending or mature."""

    name: str = "followup"
    #: The fact fields ``contributions`` reads (stored facts are grouped on them).
    reads: ClassVar[tuple[str, ...]] = ("population", "checkins")
    definitions_version: str = "1"

    def indicators(self, programme: Programme) -> Sequence[IndicatorDef]:
        """Completion and reached rates over assessed check-ins."""
        return _RATES

    def relations(self, programme: Programme) -> Sequence[Relation]:
        """Assessed check-ins are Σ j·(leavers with j assessed); those leavers are D."""
        counts = range(len(programme.followup.checkpoints) + 1)
        leavers = tuple(leavers_assessed(j) for j in counts)
        return (
            Relation(ASSESSED, leavers[1:], tuple(counts)[1:]),
            Relation(
                "population.mature", (*leavers, "population.pending"), (*(1 for _ in counts), -1)
            ),
        )

    def contributions(self, programme: Programme, facts: OutcomeFacts) -> Iterable[str]:
        """One per assessed check-in, done on time, and reached; the leaver's number of them."""
        if facts.exited:
            yield leavers_assessed(sum(1 for checkin in facts.checkins if checkin.assessed))
        for checkin in facts.checkins:
            if not checkin.assessed:
                continue
            yield ASSESSED
            if checkin.status is CheckinStatus.ON_TIME:
                yield ON_TIME
                if checkin.reached:
                    yield REACHED
