"""Hypothesis strategies for journeys as storage sees them: every field, any value it must keep."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from insertion_core.domain.codes import (
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
)
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import (
    AttendanceRecord,
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
    PhaseProgress,
)
from insertion_core.domain.situations import BUILTIN_FAMILIES, Sector, Situation

# Any text a database can hold: no NUL (PostgreSQL refuses it), no lone surrogates.
texts = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
# Identifiers the model accepts (domain.identifiers): printable, one script, NFC.
identifiers = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E) | st.sampled_from("éèàçÉÈŒœ"),
    min_size=1,
    max_size=12,
)
dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))
months = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
situations = st.builds(Situation, st.sampled_from(BUILTIN_FAMILIES), st.sampled_from(Sector))


def _maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:  # type: ignore[type-arg]
    return st.none() | strategy


def participants(
    participant_id: st.SearchStrategy[str] = identifiers,
) -> st.SearchStrategy[Participant]:
    return st.builds(
        Participant,
        participant_id=participant_id,
        cohort_id=identifiers,
        entry_date=dates,
        birth_date=_maybe(dates),
        gender=_maybe(st.sampled_from(Gender)),
        education_level=_maybe(st.sampled_from(EducationLevel)),
        qpv=_maybe(st.booleans()),
        qpv_code=_maybe(identifiers),
        status_at_entry=_maybe(st.sampled_from(StatusAtEntry)),
        scheme=_maybe(st.sampled_from(Scheme)),
        referrer=_maybe(st.sampled_from(Referrer)),
        counsellor=_maybe(identifiers),
    )


exits = st.builds(
    Exit,
    exit_date=dates,
    reason=st.sampled_from(ExitReason),
    destination=situations,
    contract=_maybe(st.sampled_from(Contract)),
    contract_months=_maybe(months),
    qualifying=_maybe(st.booleans()),
)
contacts = st.builds(
    FollowUpContact,
    contact_date=dates,
    situation=situations,
    contract=_maybe(st.sampled_from(Contract)),
    contract_months=_maybe(months),
    qualifying=_maybe(st.booleans()),
    channel=_maybe(st.sampled_from(Channel)),
    note=_maybe(texts),
)
attendance = st.builds(
    AttendanceRecord,
    date=dates,
    status=st.sampled_from(AttendanceStatus),
    half_day=_maybe(st.sampled_from(HalfDay)),
    reason=_maybe(texts),
)
phases = st.builds(PhaseProgress, identifiers, dates)


def journeys(participant_id: st.SearchStrategy[str] = identifiers) -> st.SearchStrategy[Journey]:
    """Journeys with any stored field; lifecycle rules are not this module's concern."""
    return st.builds(
        Journey,
        participant=participants(participant_id),
        phases=st.lists(phases, max_size=3).map(tuple),
        exit=_maybe(exits),
        contacts=st.lists(contacts, max_size=4).map(tuple),
        attendance=st.lists(attendance, max_size=4).map(tuple),
    )


def distinct_journeys(max_size: int = 12) -> st.SearchStrategy[list[Journey]]:
    """Journeys of distinct participants."""
    return st.lists(journeys(), max_size=max_size, unique_by=lambda j: j.participant_id)


personal_data = st.builds(
    PersonalData,
    participant_id=identifiers,
    first_name=_maybe(texts),
    last_name=_maybe(texts),
    email=_maybe(texts),
    phone=_maybe(texts),
)

#: Decimal values whose exact form must survive storage.
SAMPLE_MONTHS = (Decimal("0"), Decimal("0.5"), Decimal("6"), Decimal("12.25"), Decimal("999.99"))
