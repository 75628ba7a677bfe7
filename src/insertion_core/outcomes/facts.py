"""Per-participant outcome facts: the small values the indicator engine counts.

A fact says, for one participant and one ``as_of``, everything the indicator
sets need and nothing more: no name, no free text, no contact detail. Two
implementations compute them, the reference one in Python
(:mod:`insertion_core.outcomes.reference`) and a storage's pushed-down one;
both must give equal facts, so every field has an exact definition here.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import operator
from collections.abc import Callable
from typing import Any

import attrs

from ..domain.codes import EducationLevel, Gender, StatusAtEntry
from ..domain.situations import Situation

__all__ = [
    "AGE_BANDS",
    "CheckinFact",
    "CheckinStatus",
    "DynamicExit",
    "OutcomeFacts",
    "Population",
    "age_band",
]

#: Age bands at entry, in display order; a missing birth date is ``unknown``.
AGE_BANDS = ("under_18", "18_21", "22_25", "26_plus")


class Population(enum.StrEnum):
    """Where a selected participant stands on as_of (docs/indicators.md, Common rules)."""

    IN_PROGRAMME = "in_programme"
    NEUTRALISED = "neutralised"
    PENDING = "pending"
    MATURE = "mature"


class DynamicExit(enum.StrEnum):
    """The IAE class of an exit, from its destination and contract alone."""

    DURABLE_EMPLOYMENT = "durable_employment"
    TRANSITION_EMPLOYMENT = "transition_employment"
    POSITIVE_EXIT = "positive_exit"
    OTHER = "other"


class CheckinStatus(enum.StrEnum):
    """Whether a contact (dated at most as_of) closed a check-in, and when."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"


@attrs.frozen
class CheckinFact:
    """One check-in on as_of.

    ``assessed`` once due + grace < as_of; ``reached`` when a contact on time is
    not ``unreachable``.
    """

    checkpoint_months: int
    status: CheckinStatus
    reached: bool
    assessed: bool


def age_band(age: int | None) -> str:
    """The age band of an age in whole years at entry, ``unknown`` when not known."""
    if age is None:
        return "unknown"
    if age < 18:
        return "under_18"
    if age <= 21:
        return "18_21"
    if age <= 25:
        return "22_25"
    return "26_plus"


@attrs.frozen
class OutcomeFacts:
    """What one participant contributes to every indicator, as of one day.

    Dates are the basis dates (``exit_date`` is None when there is no exit by
    as_of). Outcome fields (``outcome``, ``first_positive``, ``responded``) are
    set for mature participants only; ESF flags only for members of L4 / L6;
    ``dynamic_exit``, ``checkins`` and ``days_to_positive`` only for exited,
    non-neutralised ones (mature and pending).
    """

    participant_id: str
    cohort_id: str
    entry_date: dt.date
    exit_date: dt.date | None
    population: Population
    #: ``dropout``, a positive family, or ``none``; None unless mature.
    outcome: str | None = None
    #: The first positive outcome in the window (mature only), even for a dropout.
    first_positive: Situation | None = None
    responded: bool = False
    in_l4: bool = False
    job_searching_upon_leaving: bool = False
    training_upon_leaving: bool = False
    employment_upon_leaving: bool = False
    in_l6: bool = False
    employment_six_months: bool = False
    dynamic_exit: DynamicExit | None = None
    checkins: tuple[CheckinFact, ...] = ()
    #: Days from the exit to the first positive outcome dated in the window and by as_of;
    #: None for a dropout, without one, or outside mature and pending (time to outcome).
    days_to_positive: int | None = None
    gender: Gender | None = None
    age_at_entry: int | None = None
    education_level: EducationLevel | None = None
    qpv: bool | None = None
    status_at_entry: StatusAtEntry | None = None

    @property
    def exited(self) -> bool:
        """True when the participant left by as_of and was not neutralised."""
        return self.population in (Population.PENDING, Population.MATURE)

    @property
    def age_band(self) -> str:
        """The age band at entry (``unknown`` without a birth date)."""
        return age_band(self.age_at_entry)

    @property
    def outcome_digital(self) -> bool:
        """True when the outcome class's first positive outcome is in the digital sector."""
        return (
            self.first_positive is not None
            and self.outcome == self.first_positive.family
            and self.first_positive.sector.value == "digital"
        )

    def canonical(self) -> str:
        """A stable one-line text of every field, in declaration order, for hashing the data a report used.

        Derived from the fields themselves, so a field added to the class is in
        the fingerprint without anyone having to remember it. The text is the
        JSON list of each field's :func:`_canonical` text.
        """
        texts = [_WRITERS[type(value)](value) for value in _fields_of(type(self))(self)]
        return "[" + ",".join(map(_json_string, texts)) + "]"


#: A string as JSON, as ``json.dumps(..., ensure_ascii=False)`` writes each item of a list.
_json_string: Callable[[str], str] = json.encoder.encode_basestring
#: The most texts of tuples remembered (check-ins): enough for every combination seen.
_TUPLES_KEPT = 4096


class _Writers(dict[type, Callable[[Any], str]]):
    """The writer of each type, found on first use (:func:`_writer`)."""

    def __missing__(self, kind: type) -> Callable[[Any], str]:
        writer = self[kind] = _writer(kind)
        return writer


#: The reader of each attrs class's field values, and the writer of each type: found once.
_READERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
_WRITERS = _Writers()


def _fields_of(kind: type) -> Callable[[Any], tuple[Any, ...]]:
    """The values of an attrs class's fields, in declaration order, read at once."""
    reader = _READERS.get(kind)
    if reader is None:
        names = [field.name for field in attrs.fields(kind)]
        get = operator.attrgetter(*names)
        reader = get if len(names) > 1 else lambda value: (get(value),)
        _READERS[kind] = reader
    return reader


def _canonical(value: object) -> str:
    """One value's text: empty for None, 1/0 for a flag, ISO dates, enum values, situation codes.

    A tuple's items are joined by ``;`` and an attrs value's fields by ``:``
    (a check-in is ``months:status:reached:assessed``). The rule for a type is
    found once (:func:`_writer`): a report or a write hashes one fact per
    participant, so the text is on the path of every one.

    :raises TypeError: for a type that has no canonical text yet.
    """
    return _WRITERS[type(value)](value)


def _writer(kind: type) -> Callable[[Any], str]:
    """How a value of type ``kind`` is written: the first rule, in this order, that its type meets.

    Each rule is as cheap as the type allows, since it runs for every field of
    every participant: a lookup in a table of texts for flags and enum members,
    the built-in method itself for plain strings, numbers and dates, and the
    text of a tuple remembered (the check-ins of most participants are equal).
    """
    if kind is type(None):
        return {None: ""}.__getitem__
    if issubclass(kind, bool):
        return {True: "1", False: "0"}.__getitem__
    if issubclass(kind, enum.Enum):
        return _EnumTexts().__getitem__
    if kind is str:
        return str
    if issubclass(kind, str):
        return lambda value: value
    if issubclass(kind, int):
        return str
    if kind is dt.date:
        return dt.date.isoformat
    if issubclass(kind, dt.date):
        return lambda value: value.isoformat()
    if issubclass(kind, Situation):
        return lambda value: value.code
    if issubclass(kind, tuple):
        return _tuple_writer()
    if attrs.has(kind):
        return lambda value: ":".join([_canonical(item) for item in _fields_of(kind)(value)])

    def refuse(value: Any) -> str:
        raise TypeError(f"no canonical text for a value of type {kind.__name__}")

    return refuse


def _tuple_writer() -> Callable[[Any], str]:
    """Items joined by ``;``; the text of each tuple object remembered, by identity.

    Tuples are immutable and the facts' tuples hold frozen values, so one
    object always has the same text; the pushed-down facts share one tuple of
    check-ins between the participants with equal check-ins, so a report
    writes each combination once. The object is kept with its text (its id is
    not reused while remembered), up to :data:`_TUPLES_KEPT` of them.
    """
    texts: dict[int, tuple[tuple[Any, ...], str]] = {}

    def write(value: tuple[Any, ...]) -> str:
        found = texts.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        text = ";".join([_canonical(item) for item in value])
        if len(texts) >= _TUPLES_KEPT:
            texts.clear()
        texts[id(value)] = (value, text)
        return text

    return write


class _EnumTexts(dict[enum.Enum, str]):
    """The text of each member of an enum (its value), found on first use."""

    def __missing__(self, member: enum.Enum) -> str:
        text = self[member] = str(member.value)
        return text
