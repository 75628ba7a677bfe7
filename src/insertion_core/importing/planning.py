"""Parsed rows applied to journeys through the lifecycle rules, without writing anything.

A :class:`Plan` is built inside the import's unit of work (to read what is
stored) but only computes: new journeys, cohorts and personal data to save,
the events they cause, counts, warnings and problems. The lifecycle rules
apply to every imported row, and a rule broken is a problem naming the row's
line and the column to fix. Participants whose rows had problems are left
out of later checks, so one mistake is not reported as many.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from ..domain import lifecycle
from ..domain.codes import HalfDay
from ..domain.eligibility import EligibilityRule, check_eligibility
from ..domain.events import Event
from ..domain.journey import Journey
from ..domain.model import AttendanceRecord, Cohort, Participant, PersonalData
from ..domain.programme import Programme
from ..errors import LifecycleError, Problem
from ..storage import BulkPersonalSave, BulkSave, UnitOfWork
from .book import JourneyBook
from .phase_plan import apply_phases
from .records import AttendanceRow, CohortRow, ExitRow, FollowUpRow, ParsedFile, ParticipantRow
from .schema import COLUMNS, PERSONAL_COLUMNS, Kind
from .summary import KindCounts

__all__ = ["Plan", "make_plan"]

#: The column to fix when an eligibility rule fails or cannot be decided.
RULE_COLUMNS = {
    "min_age": "birth_date",
    "max_age": "birth_date",
    "max_education_level": "education_level",
}
_OPTIONAL_EXIT = ("contract", "contract_months", "qualifying")
_OPTIONAL_COHORT = ("start_date", "end_date", "capacity")


@attrs.define
class Plan:
    """Everything an import would change, and every problem that stops it."""

    programme: Programme
    rules: Sequence[EligibilityRule]
    book: JourneyBook
    covered: dict[Kind, set[str]]
    problems: dict[str, list[Problem]] = attrs.Factory(dict)
    #: (line, warning): the participants file's line, to list warnings in file order.
    warnings: list[tuple[int, str]] = attrs.Factory(list)
    events: list[Event] = attrs.Factory(list)
    counts: dict[Kind, KindCounts] = attrs.Factory(dict)
    cohorts: list[Cohort] = attrs.Factory(list)
    personal: list[PersonalData] = attrs.Factory(list)
    tainted: set[str] = attrs.Factory(set)
    replace: bool = False

    def problem(self, file: str, line: int, column: str, message: str, pid: str = "") -> None:
        """Record a problem; the participant is then left out of later checks."""
        self.problems.setdefault(file, []).append(Problem(file, line, column, message))
        if pid:
            self.tainted.add(pid)

    def write(self, uow: UnitOfWork) -> None:
        """Save what changed into ``uow``: journeys, cohorts, personal data."""
        pid = self.programme.id
        changed = self.book.changed()
        if isinstance(uow.journeys, BulkSave):
            uow.journeys.save_many(pid, changed)
        else:
            for journey in changed:
                uow.journeys.save(pid, journey)
        for cohort in self.cohorts:
            uow.cohorts.save(pid, cohort)
        if isinstance(uow.personal, BulkPersonalSave):
            uow.personal.save_many(pid, self.personal)
        else:
            for personal in self.personal:
                uow.personal.save(pid, personal)


def make_plan(
    uow: UnitOfWork,
    programme: Programme,
    rules: Sequence[EligibilityRule],
    files: Sequence[ParsedFile],
    *,
    replace: bool = False,
) -> Plan:
    """Apply the parsed files, in import order, to the journeys stored in ``uow``.

    :param replace: a followups file is authoritative for each participant it names:
        their stored contacts not in it are removed. Otherwise contacts are only
        added and updated.
    """
    ids: set[str] = set()
    for parsed in files:
        ids |= parsed.participant_ids()
    plan = Plan(
        programme,
        rules,
        JourneyBook(uow, programme.id, ids),
        {parsed.kind: parsed.participant_ids() for parsed in files},
        replace=replace,
    )
    for parsed in files:
        plan.tainted |= parsed.tainted
    for parsed in files:
        plan.counts[parsed.kind] = KindCounts()
        if parsed.kind == "participants":
            _participants(plan, parsed, uow)
        elif parsed.kind == "cohorts":
            _cohorts(plan, parsed, uow)
        elif parsed.kind == "phases":
            apply_phases(plan, parsed)
        elif parsed.kind == "exits":
            _exits(plan, parsed)
        elif parsed.kind == "followups":
            _followups(plan, parsed)
        else:
            _attendance(plan, parsed)
    return plan


def _participants(plan: Plan, parsed: ParsedFile, uow: UnitOfWork) -> None:
    counts = plan.counts[parsed.kind]
    given = [c for c in COLUMNS["participants"] if c in parsed.columns]
    core = [c for c in given if c not in PERSONAL_COLUMNS]
    personal_given = [c for c in given if c in PERSONAL_COLUMNS]
    for row in parsed.rows(ParticipantRow):
        pid = row.participant_id
        stored = plan.book.get(pid)
        if stored is None:
            if not _eligible(plan, parsed.file, row.line, row.participant):
                continue
            transition = lifecycle.enrol(plan.programme, row.participant, plan.rules)
            plan.book.put(transition.journey)
            plan.events.extend(transition.events)
            changed, added = True, True
        else:
            participant = attrs.evolve(
                stored.participant, **{c: getattr(row.participant, c) for c in core}
            )
            changed, added = participant != stored.participant, False
            if changed:
                journey = _corrected(plan, parsed.file, row.line, stored, participant)
                if journey is None:
                    continue
                plan.book.put(journey)
        if personal_given:
            # Only an enrolled participant can have personal data stored already.
            found = None if stored is None else uow.personal.get(plan.programme.id, pid)
            old = found or PersonalData(pid)
            new = attrs.evolve(old, **{c: getattr(row.personal, c) for c in personal_given})
            if new != old:
                plan.personal.append(new)
                changed = True
        if added:
            counts.added += 1
        elif changed:
            counts.updated += 1
        else:
            counts.unchanged += 1


def _eligible(plan: Plan, file: str, line: int, participant: Participant) -> bool:
    """Check the eligibility rules: failures are problems, undecidable rules warnings."""
    ok = True
    pid = participant.participant_id
    for verdict in check_eligibility(plan.programme, participant, plan.rules):
        column = RULE_COLUMNS.get(verdict.rule, "participant_id")
        if verdict.passed is False:
            message = f"participant {pid} is not eligible: {verdict.rule}: {verdict.message}"
            plan.problem(file, line, column, message, pid)
            ok = False
        elif verdict.passed is None:
            plan.warnings.append(
                (
                    line,
                    f"{file}:{line}: {column}: warning: participant {pid}: "
                    f"{verdict.rule}: {verdict.message}",
                )
            )
    return ok


def _corrected(
    plan: Plan, file: str, line: int, stored: Journey, participant: Participant
) -> Journey | None:
    """The stored journey with a corrected participant row, or None after a problem."""
    pid = participant.participant_id
    if not _eligible(plan, file, line, participant):
        return None
    old_entry, entry = stored.participant.entry_date, participant.entry_date
    phases = stored.phases
    if entry != old_entry and phases and phases[0].started_on == old_entry:
        phases = (attrs.evolve(phases[0], started_on=entry), *phases[1:])
    found: list[str] = []
    exit_ = stored.exit
    if exit_ is not None and exit_.exit_date < entry and pid not in plan.covered.get("exits", ()):
        found.append(
            f"participant {pid} left the programme on {exit_.exit_date}, before this entry"
        )
    early = sorted(a.date for a in stored.attendance if a.date < entry)
    if early:
        found.append(f"participant {pid} has attendance recorded on {early[0]}, before this entry")
    late = [p for p in phases if p.started_on < entry]
    if late:
        found.append(
            f"participant {pid} started phase {late[0].phase_id} on {late[0].started_on}, "
            "before this entry"
        )
    for message in found:
        plan.problem(file, line, "entry_date", message, pid)
    return None if found else attrs.evolve(stored, participant=participant, phases=phases)


def _cohorts(plan: Plan, parsed: ParsedFile, uow: UnitOfWork) -> None:
    counts = plan.counts[parsed.kind]
    absent = [c for c in _OPTIONAL_COHORT if c not in parsed.columns]
    for row in parsed.rows(CohortRow):
        stored = uow.cohorts.get(plan.programme.id, row.cohort.cohort_id)
        cohort = row.cohort
        if stored is not None:
            cohort = attrs.evolve(cohort, **{c: getattr(stored, c) for c in absent})
        if stored == cohort:
            counts.unchanged += 1
            continue
        plan.cohorts.append(cohort)
        if stored is None:
            counts.added += 1
        else:
            counts.updated += 1


def _enrolled(plan: Plan, file: str, line: int, pid: str) -> Journey | None:
    """The participant's journey; a problem naming the row when they are not enrolled."""
    journey = plan.book.get(pid)
    if journey is None:
        plan.problem(
            file,
            line,
            "participant_id",
            f"participant {pid} is not in programme {plan.programme.id}; "
            "a participant is enrolled through participants.csv first",
        )
    return journey


def _exits(plan: Plan, parsed: ParsedFile) -> None:
    counts = plan.counts[parsed.kind]
    absent = [c for c in _OPTIONAL_EXIT if c not in parsed.columns]
    for row in parsed.rows(ExitRow):
        pid = row.participant_id
        if pid in plan.tainted:
            continue
        journey = _enrolled(plan, parsed.file, row.line, pid)
        if journey is None:
            continue
        exit_ = row.exit
        if journey.exit is not None:
            exit_ = attrs.evolve(exit_, **{c: getattr(journey.exit, c) for c in absent})
        try:
            # A corrected file replaces the stored exit; the date rules still apply, and
            # are checked even for an unchanged exit, as the entry may have just moved.
            transition = lifecycle.record_exit(
                plan.programme, attrs.evolve(journey, exit=None), exit_
            )
        except LifecycleError as error:
            plan.problem(parsed.file, row.line, "exit_date", str(error), pid)
            continue
        if journey.exit == exit_:
            counts.unchanged += 1
            continue
        early = sorted(c.contact_date for c in journey.contacts if c.contact_date < exit_.exit_date)
        replaced = plan.replace and pid in plan.covered.get("followups", ())
        if early and not replaced:
            plan.problem(
                parsed.file,
                row.line,
                "exit_date",
                f"participant {pid} has a follow-up contact on {early[0]}, before this exit; "
                "import the corrected followups file with it, with --replace",
                pid,
            )
            continue
        plan.book.put(transition.journey)
        plan.events.extend(transition.events)
        if journey.exit is None:
            counts.added += 1
        else:
            counts.updated += 1


def _followups(plan: Plan, parsed: ParsedFile) -> None:
    counts = plan.counts[parsed.kind]
    groups: dict[str, list[FollowUpRow]] = {}
    for row in parsed.rows(FollowUpRow):
        groups.setdefault(row.participant_id, []).append(row)
    for pid, rows in groups.items():
        if pid in plan.tainted:
            continue
        journey = plan.book.get(pid)
        ok = True
        for row in rows:
            if _enrolled(plan, parsed.file, row.line, pid) is None or (
                journey is not None and not _contact_ok(plan, parsed.file, row, journey)
            ):
                ok = False
        if not ok or journey is None:
            continue
        merge = lifecycle.merge_followups(
            plan.programme, journey, [r.contact for r in rows], replace=plan.replace
        )
        counts.added += merge.added
        counts.updated += merge.updated
        counts.unchanged += merge.unchanged
        counts.removed += merge.removed
        plan.book.put(merge.transition.journey)
        plan.events.extend(merge.transition.events)


def _contact_ok(plan: Plan, file: str, row: FollowUpRow, journey: Journey) -> bool:
    """Check one contact against the exit: there must be one, and not after the contact."""
    try:
        lifecycle.check_contact(journey, row.contact)
    except LifecycleError as error:
        column = "participant_id" if journey.exit is None else "contact_date"
        plan.problem(file, row.line, column, str(error))
        return False
    return True


def _attendance(plan: Plan, parsed: ParsedFile) -> None:
    counts = plan.counts[parsed.kind]
    keep_reason = "reason" not in parsed.columns
    for row in parsed.rows(AttendanceRow):
        pid = row.participant_id
        if pid in plan.tainted:
            continue
        journey = _enrolled(plan, parsed.file, row.line, pid)
        if journey is None:
            continue
        record = row.record
        stored = _slot(journey, record.date, record.half_day)
        if stored is not None and keep_reason:
            record = attrs.evolve(record, reason=stored.reason)
        if stored == record:
            counts.unchanged += 1
            continue
        try:
            transition = lifecycle.record_attendance(plan.programme, journey, record)
        except LifecycleError as error:
            plan.problem(parsed.file, row.line, "date", str(error))
            continue
        plan.book.put(transition.journey)
        plan.events.extend(transition.events)
        if stored is None:
            counts.added += 1
        else:
            counts.updated += 1


def _slot(journey: Journey, day: dt.date, half_day: HalfDay | None) -> AttendanceRecord | None:
    for record in journey.attendance:
        if record.date == day and record.half_day == half_day:
            return record
    return None
