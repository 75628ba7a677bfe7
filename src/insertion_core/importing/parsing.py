"""Rows to domain values: every cell checked, every problem kept with its line and column.

Parsing never stops at the first problem: a bad row is reported and left
out, and the following rows are still read, so one run lists everything to
fix. Checks that need only the file (a participant listed twice, a second
exit row) happen here; checks against stored journeys happen in planning.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TypeVar

import attrs

from ..domain.codes import (
    AttendanceStatus,
    Channel,
    Contract,
    EducationLevel,
    ExitReason,
    Gender,
    HalfDay,
    Referrer,
    Scheme,
    StatusAtEntry,
    parse_bool,
    parse_code,
)
from ..domain.model import (
    AttendanceRecord,
    Cohort,
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
)
from ..domain.sensitive import NIR_REASON, contains_nir, sensitive_in_identifier
from ..domain.situations import SituationFamilies
from ..errors import Problem
from .dated_ids import ID_COLUMNS, DatedIds
from .records import (
    AttendanceRow,
    CohortRow,
    ExitRow,
    FollowUpRow,
    ParsedFile,
    ParticipantRow,
    PhaseRow,
    Progress,
    Record,
)
from .rows import RawRow, ReadError, read_table
from .schema import COLUMNS, REQUIRED, Header, Kind, match_header
from .sources import Sheet, Source
from .staging import Staging
from .values import parse_count, parse_date, parse_id, parse_months

__all__ = ["ParseContext", "parse_file"]

T = TypeVar("T")
E = TypeVar("E", bound=enum.StrEnum)


@attrs.frozen
class ParseContext:
    """What parsing needs besides the file: the day of import, families, ignored columns."""

    today: dt.date
    families: SituationFamilies
    ignore_columns: Collection[str] = ()
    progress: Progress | None = None
    #: The programme's ``[import.columns]``: a site's header to a canonical column.
    columns: Mapping[str, str] = attrs.field(factory=dict)


#: Distinct cell texts whose parsed value is remembered, per parser and file.
_MEMO_LIMIT = 10_000
_UNSEEN = object()


class _Row:
    """One row being read: typed getters that record a problem instead of raising.

    A French social security number is refused in every column, ignored ones
    included; an e-mail address or a phone number in any column that is not
    personal data. Neither is ever echoed in the problem.

    ``memos`` (one per file) remembers, for each parser, the value of a cell text
    that passed the checks: the checks and parsers are pure functions of the
    text, so a code, a date or a yes/no seen on an earlier row is not checked
    twice. A text that was refused is not remembered, so its problem is found
    and reported again on every row that holds it.
    """

    __slots__ = ("line", "memos", "ok", "parsed", "positions", "refused", "today", "values")

    def __init__(
        self,
        parsed: ParsedFile,
        header: Header,
        row: RawRow,
        today: dt.date,
        names: list[str],
        memos: dict[Callable[[str], object], dict[str, object]],
    ) -> None:
        self.parsed = parsed
        self.positions = header.positions
        self.line = row.line
        self.values = values = row.values
        self.today = today
        self.memos = memos
        self.ok = True
        self.refused: set[str] = set()
        if header.unnamed or len(values) > header.width:
            for index, value in enumerate(values):
                if value and (index >= header.width or index in header.unnamed):
                    self.problem(f"column {index + 1}", "a value in a column that has no name")
        if contains_nir("\x1f".join(values)):  # one scan of the row, then find the cells
            for index, value in enumerate(values):
                if contains_nir(value):
                    column = names[index] if index < len(names) else f"column {index + 1}"
                    self.refused.add(column)
                    self.problem(column, NIR_REASON)

    def problem(self, column: str, message: str) -> None:
        self.parsed.add(Problem(self.parsed.file, self.line, column, message))
        self.ok = False

    def text(self, column: str) -> str:
        index = self.positions.get(column)
        return "" if index is None or index >= len(self.values) else self.values[index]

    def get(self, column: str, parse: Callable[[str], T], required: bool = False) -> T | None:
        """The cell of ``column`` read by ``parse`` (a function of the text alone), or None
        with a problem kept when it is missing, holds personal data or is refused."""
        index = self.positions.get(column)
        text = "" if index is None or index >= len(self.values) else self.values[index]
        if not text:
            if required:
                self.problem(column, "required value is missing")
            return None
        if self.refused and column in self.refused:
            return None
        memo = self.memos.get(parse)
        if memo is None:
            memo = self.memos[parse] = {}
        else:
            known = memo.get(text, _UNSEEN)
            if known is not _UNSEEN:
                return known  # type: ignore[return-value]  # parse's own value for this text
        found = sensitive_in_identifier(text)
        if found is not None:
            self.problem(
                column,
                f"the value holds {found}, which is personal data and does not belong in this "
                "column; remove it from the file (the value is not shown here)",
            )
            return None
        try:
            value = parse(text)
        except ValueError as error:
            self.problem(column, str(error))
            return None
        if len(memo) < _MEMO_LIMIT:
            memo[text] = value
        return value

    def date(self, column: str, required: bool = False) -> dt.date | None:
        return self.get(column, _past_dates(self.today), required)

    def code(self, column: str, kind: type[E], required: bool = False) -> E | None:
        return self.get(column, _codes(kind), required)

    def id(self, column: str, required: bool = False) -> str | None:
        return self.get(column, parse_id, required)


@functools.cache
def _past_dates(today: dt.date) -> Callable[[str], dt.date]:
    """The parser of days not after ``today``: one function per day, so its memo is shared."""
    return functools.partial(parse_date, today=today)


@functools.cache
def _codes(kind: type[E]) -> Callable[[str], E]:
    """The parser of ``kind``'s codes: one function per kind, so its memo is shared."""
    return functools.partial(parse_code, kind)


def parse_file(
    kind: Kind, source: Source, file: str, context: ParseContext, staging: Staging, index: int
) -> ParsedFile:
    """Read ``source`` (a file or a sheet) and parse every row as ``kind``; ``file`` names it
    in problems.

    Each good row is staged at once as the ``index``-th file (the result keeps
    its problems, not its rows); rows repeating another are then found in
    ``staging`` and left out, with a problem unless they repeat it exactly.
    """
    parsed = ParsedFile(kind, file)
    path = source.path if isinstance(source, Sheet) else source
    try:
        table = read_table(path, source.name if isinstance(source, Sheet) else None)
    except ReadError as error:
        parsed.add(Problem(file, error.line, None, error.message))
        parsed.complete = False
        return parsed
    header, problems = match_header(
        kind, table.header, file, table.header_line, context.ignore_columns, context.columns
    )
    parsed.columns = frozenset(header.positions)
    parsed.problems.extend(problems)
    if REQUIRED[kind] - parsed.columns:
        parsed.complete = False  # every row would lack the column: say it once
        return parsed
    rows: Iterable[RawRow] = table.rows
    if context.progress is not None:
        rows = context.progress(f"{kind} ({path.name})", table.total, rows)
    build = _BUILDERS[kind]
    dated = DatedIds()
    names = _column_names(header)
    memos: dict[Callable[[str], object], dict[str, object]] = {}
    try:
        for raw in rows:
            row = _Row(parsed, header, raw, context.today, names, memos)
            for column in ID_COLUMNS:
                dated.see(row.line, column, row.text(column))
            record = build(row, context)
            if row.ok and record is not None:
                pid = None if isinstance(record, CohortRow) else record.participant_id
                staging.add(index, pid, row.line, _key(record), record)
            if not row.ok and row.text("participant_id"):
                parsed.tainted.add(row.text("participant_id"))
    except ReadError as error:
        parsed.add(Problem(file, error.line, None, error.message))
        parsed.complete = False
    _leave_out_repeats(parsed, staging, index)
    for problem in dated.problems(file):
        parsed.add(problem)
    order = {column: index for index, column in enumerate(COLUMNS[kind])}
    parsed.problems.sort(key=lambda p: (p.line or 0, order.get(p.column or "", len(order))))
    return parsed


def _column_names(header: Header) -> list[str]:
    """The name each position of a row is reported under: its column, else ``column N``."""
    names = [f"column {index + 1}" for index in range(header.width)]
    for column, index in header.positions.items():
        names[index] = column
    return names


def _key(record: Record) -> str | None:
    """What must not repeat within a file, or None for follow-up rows (they have no identity).

    The parts are joined by a control character, which no identifier holds.
    """
    if isinstance(record, ParticipantRow | ExitRow):
        return record.participant_id
    if isinstance(record, CohortRow):
        return record.cohort.cohort_id
    if isinstance(record, PhaseRow):
        return f"{record.participant_id}\x1f{record.phase_id}"
    if isinstance(record, AttendanceRow):
        rec = record.record
        half = "" if rec.half_day is None else rec.half_day.value
        return f"{record.participant_id}\x1f{rec.date.isoformat()}\x1f{half}"
    return None


def _leave_out_repeats(parsed: ParsedFile, staging: Staging, index: int) -> None:
    """Check the rules about repeated rows within one file, each against the key's first row.

    An exact repeat of an attendance or phase row counts once; any other repeat
    is a problem at its line, naming the first, and its participant is left out
    of later checks.
    """
    dropped: list[int] = []
    for (_, first), *later in staging.repeated(index):
        for rowid, record in later:
            dropped.append(rowid)
            found = _repeat_problem(record, first)
            if found is None:
                continue
            column, message = found
            parsed.add(Problem(parsed.file, record.line, column, message))
            if not isinstance(record, CohortRow):
                parsed.tainted.add(record.participant_id)
    staging.drop(dropped)


def _repeat_problem(record: Record, first: Record) -> tuple[str, str] | None:
    """The column and message for a row repeating ``first``; None for an exact repeat that counts once."""
    line = first.line
    if isinstance(record, ExitRow):
        return (
            "participant_id",
            f"a second exit row for participant {record.participant_id} "
            f"(the first is on line {line}); a participant leaves only once",
        )
    if isinstance(record, AttendanceRow) and isinstance(first, AttendanceRow):
        if first.record == record.record:
            return None
        rec = record.record
        slot = rec.date.isoformat() + (f" {rec.half_day.value}" if rec.half_day else "")
        return (
            "date",
            f"participant {record.participant_id} already has an attendance row for {slot} "
            f"on line {line}, which says otherwise",
        )
    if isinstance(record, PhaseRow) and isinstance(first, PhaseRow):
        if first.start_date == record.start_date:
            return None
        what = f"phase {record.phase_id} of participant {record.participant_id}"
        return "phase", f"{what} is already on line {line}"
    if isinstance(record, ParticipantRow):
        return "participant_id", f"participant {record.participant_id} is already on line {line}"
    if isinstance(record, CohortRow):
        return "cohort_id", f"cohort {record.cohort.cohort_id} is already on line {line}"
    return None


def _participant(row: _Row, context: ParseContext) -> ParticipantRow | None:
    pid = row.id("participant_id", required=True)
    cohort_id = row.id("cohort_id", required=True)
    # An entry date may lie ahead: the participant is then planned until that day.
    entry = row.get("entry_date", parse_date, required=True)
    birth = row.date("birth_date")
    if birth is not None and entry is not None and birth >= entry:
        row.problem("birth_date", f"born on {birth}, not before the entry date {entry}")
    gender = row.code("gender", Gender)
    education_level = row.code("education_level", EducationLevel)
    qpv = row.get("qpv", parse_bool)
    qpv_code = row.id("qpv_code")
    status_at_entry = row.code("status_at_entry", StatusAtEntry)
    scheme = row.code("scheme", Scheme)
    referrer = row.code("referrer", Referrer)
    counsellor = row.id("counsellor")
    if pid is None or cohort_id is None or entry is None or not row.ok:
        return None
    participant = Participant(
        pid,
        cohort_id,
        entry,
        birth,
        gender,
        education_level,
        qpv,
        qpv_code,
        status_at_entry,
        scheme,
        referrer,
        counsellor,
    )
    personal = PersonalData(
        pid,
        first_name=row.text("first_name") or None,
        last_name=row.text("last_name") or None,
        email=row.text("email") or None,
        phone=row.text("phone") or None,
    )
    return ParticipantRow(row.line, participant, personal)


def _cohort(row: _Row, context: ParseContext) -> CohortRow | None:
    cohort_id = row.id("cohort_id", required=True)
    # A cohort's dates are plans as much as facts: its end may lie ahead of the import.
    start = row.get("start_date", parse_date)
    end = row.get("end_date", parse_date)
    if start is not None and end is not None and end < start:
        row.problem("end_date", f"the cohort ends on {end}, before it starts on {start}")
    capacity = row.get("capacity", parse_count)
    if cohort_id is None or not row.ok:
        return None
    return CohortRow(row.line, Cohort(cohort_id, start, end, capacity))


def _phase(row: _Row, context: ParseContext) -> PhaseRow | None:
    pid = row.id("participant_id", required=True)
    phase = row.id("phase", required=True)
    day = row.date("start_date", required=True)
    if pid is None or phase is None or day is None or not row.ok:
        return None
    return PhaseRow(row.line, pid, phase, day)


def _exit(row: _Row, context: ParseContext) -> ExitRow | None:
    pid = row.id("participant_id", required=True)
    day = row.date("exit_date", required=True)
    reason = row.code("exit_reason", ExitReason, required=True)
    destination = row.get("destination", context.families.parse, required=True)
    contract = row.code("contract", Contract)
    months = row.get("contract_months", parse_months)
    qualifying = row.get("qualifying", parse_bool)
    if pid is None or day is None or reason is None or destination is None or not row.ok:
        return None
    exit_ = Exit(day, reason, destination, contract, months, qualifying)
    return ExitRow(row.line, pid, exit_)


def _followup(row: _Row, context: ParseContext) -> FollowUpRow | None:
    pid = row.id("participant_id", required=True)
    day = row.date("contact_date", required=True)
    situation = row.get("situation", context.families.parse, required=True)
    contract = row.code("contract", Contract)
    months = row.get("contract_months", parse_months)
    qualifying = row.get("qualifying", parse_bool)
    channel = row.code("channel", Channel)
    if pid is None or day is None or situation is None or not row.ok:
        return None
    contact = FollowUpContact(
        day, situation, contract, months, qualifying, channel, note=row.text("note") or None
    )
    return FollowUpRow(row.line, pid, contact)


def _attendance(row: _Row, context: ParseContext) -> AttendanceRow | None:
    pid = row.id("participant_id", required=True)
    day = row.date("date", required=True)
    half_day = row.code("half_day", HalfDay)
    status = row.code("status", AttendanceStatus, required=True)
    if pid is None or day is None or status is None or not row.ok:
        return None
    record = AttendanceRecord(day, status, half_day, reason=row.text("reason") or None)
    return AttendanceRow(row.line, pid, record)


_BUILDERS: dict[Kind, Callable[[_Row, ParseContext], Record | None]] = {
    "participants": _participant,
    "cohorts": _cohort,
    "phases": _phase,
    "exits": _exit,
    "followups": _followup,
    "attendance": _attendance,
}
