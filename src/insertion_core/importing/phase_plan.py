"""A phases file applied to journeys: each participant's phases, in the programme's order.

A row says the day a participant started one of the programme's phases. The
rows of a participant are laid over their stored phases (the first starts on
the entry date at enrolment), and the result must follow the programme's
order without a gap, each phase starting on or after the previous one and
the entry date, and not after the exit date. Importing the same file again
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from ..domain.events import PhaseStarted
from ..domain.model import Exit, PhaseProgress
from .records import ParsedFile, PhaseRow

if TYPE_CHECKING:
    from .planning import Plan

__all__ = ["apply_phases"]


def apply_phases(plan: Plan, parsed: ParsedFile) -> None:
    """Lay each participant's rows over their journey's phases, or record why not."""
    programme = plan.programme
    counts = plan.counts[parsed.kind]
    order = {phase.id: index for index, phase in enumerate(programme.phases)}
    groups: dict[str, list[PhaseRow]] = {}
    for row in parsed.rows(PhaseRow):
        if row.phase_id not in order:
            known = ", ".join(order) or "none: the programme has no [[phases]]"
            plan.problem(
                parsed.file,
                row.line,
                "phase",
                f"unknown phase {row.phase_id!r}; the phases of programme {programme.id} "
                f"are {known}",
                row.participant_id,
            )
            continue
        groups.setdefault(row.participant_id, []).append(row)
    for pid, rows in groups.items():
        if pid in plan.tainted:
            continue
        journey = plan.book.get(pid)
        if journey is None:
            plan.problem(
                parsed.file,
                rows[0].line,
                "participant_id",
                f"participant {pid} is not in programme {programme.id}; "
                "a participant is enrolled through participants.csv first",
            )
            continue
        stored = {p.phase_id: p.started_on for p in journey.phases}
        wanted = dict(stored) | {row.phase_id: row.start_date for row in rows}
        lines = {row.phase_id: row.line for row in rows}
        phases = sorted(wanted.items(), key=lambda item: order[item[0]])
        problem = _broken_rule(plan, pid, phases, journey.participant.entry_date, journey.exit)
        if problem is not None:
            phase_id, message = problem
            line = lines.get(phase_id, rows[0].line)
            plan.problem(parsed.file, line, "start_date", message, pid)
            continue
        for row in rows:
            if row.phase_id not in stored:
                counts.added += 1
                plan.events.append(
                    PhaseStarted(programme.id, pid, row.start_date, phase_id=row.phase_id)
                )
            elif stored[row.phase_id] != row.start_date:
                counts.updated += 1
            else:
                counts.unchanged += 1
        progress = tuple(PhaseProgress(phase_id, day) for phase_id, day in phases)
        if progress != journey.phases:
            plan.book.put(attrs.evolve(journey, phases=progress))


def _broken_rule(
    plan: Plan,
    pid: str,
    phases: list[tuple[str, dt.date]],
    entry: dt.date,
    exit_: Exit | None,
) -> tuple[str, str] | None:
    """The phase breaking a rule and why, or None when the phases hold together."""
    programme = plan.programme
    exit_date = None if exit_ is None else exit_.exit_date
    previous: tuple[str, dt.date] | None = None
    for index, (phase_id, day) in enumerate(phases):
        expected = programme.phases[index].id
        if phase_id != expected:
            return phase_id, (
                f"participant {pid} starts phase {phase_id} without having started "
                f"{expected}, which comes before it; add a row for {expected}"
            )
        if day < entry:
            return phase_id, (
                f"participant {pid} cannot start phase {phase_id} on {day}, "
                f"before entering the programme on {entry}"
            )
        if previous is not None and day < previous[1]:
            return phase_id, (
                f"participant {pid} cannot start phase {phase_id} on {day}, before the "
                f"previous phase {previous[0]} started on {previous[1]}; phases go in the "
                "programme's order"
            )
        if exit_date is not None and day > exit_date:
            return phase_id, (
                f"participant {pid} cannot start phase {phase_id} on {day}, "
                f"after leaving the programme on {exit_date}"
            )
        previous = phase_id, day
    return None
