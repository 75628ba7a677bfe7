"""Coded values of the canonical files (docs/data-formats.md, The spreadsheets), as enumerations.

Each enumeration's value is the canonical code; :func:`parse_code` reads any
letter case and the accepted synonyms, and names what was expected when it
cannot.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from typing import TypeVar

__all__ = [
    "AttendanceStatus",
    "Channel",
    "Contract",
    "EducationLevel",
    "ExitReason",
    "Gender",
    "HalfDay",
    "Referrer",
    "Scheme",
    "StatusAtEntry",
    "parse_bool",
    "parse_code",
]


class Gender(enum.StrEnum):
    """Gender as declared; ``H`` (homme) is read as ``M``."""

    F = "F"
    M = "M"
    X = "X"


class EducationLevel(enum.StrEnum):
    """2019 French nomenclature of education levels, ``none`` then 1 to 8."""

    NONE = "none"
    L1 = "1"
    L2 = "2"
    L3 = "3"
    L4 = "4"
    L5 = "5"
    L6 = "6"
    L7 = "7"
    L8 = "8"

    @property
    def rank(self) -> int:
        """0 for ``none``, else the level's number: what eligibility compares."""
        return 0 if self is EducationLevel.NONE else int(self.value)


class ExitReason(enum.StrEnum):
    """Why a participant left the programme."""

    COMPLETED = "completed"
    EARLY_POSITIVE = "early_positive"
    DROPOUT = "dropout"
    OTHER = "other"
    NEUTRALISED = "neutralised"


class Contract(enum.StrEnum):
    """Kind of employment contract."""

    CDI = "cdi"
    CDD = "cdd"
    INTERIM = "interim"
    APPRENTICESHIP = "apprenticeship"
    SUBSIDISED = "subsidised"
    SELF_EMPLOYED = "self_employed"
    OTHER = "other"


class Channel(enum.StrEnum):
    """How a follow-up contact was made."""

    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"
    VISIT = "visit"
    SELF_REPORT = "self_report"
    OTHER = "other"


class AttendanceStatus(enum.StrEnum):
    """Attendance on a programme day or half-day."""

    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"
    LATE = "late"


class HalfDay(enum.StrEnum):
    """Morning or afternoon; an attendance row without one covers the whole day."""

    AM = "am"
    PM = "pm"


class StatusAtEntry(enum.StrEnum):
    """Labour-market status on entry."""

    UNEMPLOYED = "unemployed"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"
    INACTIVE = "inactive"
    EMPLOYED = "employed"
    IN_EDUCATION = "in_education"


class Scheme(enum.StrEnum):
    """Support scheme the participant is in at entry."""

    CEJ = "cej"
    PACEA = "pacea"
    RSA = "rsa"
    NONE = "none"


class Referrer(enum.StrEnum):
    """Who referred the participant."""

    MISSION_LOCALE = "mission_locale"
    FRANCE_TRAVAIL = "france_travail"
    CAP_EMPLOI = "cap_emploi"
    PLIE = "plie"
    SOCIAL_SERVICES = "social_services"
    JUSTICE = "justice"
    SCHOOL = "school"
    SELF = "self"
    OTHER = "other"


_SYNONYMS: Mapping[type[enum.StrEnum], Mapping[str, str]] = {
    Gender: {"h": "M"},
    EducationLevel: {
        "vi": "none",
        "vbis": "none",
        "v": "3",
        "iv": "4",
        "iii": "5",
        "ii": "6",
        "i": "7",
    },
}

E = TypeVar("E", bound=enum.StrEnum)

_TRUE = frozenset({"oui", "yes", "vrai", "true", "1"})
_FALSE = frozenset({"non", "no", "faux", "false", "0"})


@functools.cache
def _by_lower_value(kind: type[E]) -> dict[str, E]:
    """The members of ``kind`` by lower-case value: one dict look-up per cell on big imports."""
    found: dict[str, E] = {}
    for member in kind:
        found.setdefault(member.value.lower(), member)  # the first member wins, as it always has
    return found


def parse_code(kind: type[E], text: str) -> E:
    """The member of ``kind`` that ``text`` names, in any letter case.

    :raises ValueError: naming the accepted values.
    """
    key = text.strip().lower()
    key = _SYNONYMS.get(kind, {}).get(key, key).lower()
    found: E | None = _by_lower_value(kind).get(key)
    if found is not None:
        return found
    accepted = ", ".join(m.value for m in kind)
    raise ValueError(f"unknown value {text.strip()!r}, expected one of: {accepted}")


def parse_bool(text: str) -> bool:
    """A yes/no value: oui/non, yes/no, vrai/faux, true/false, 1/0, any case.

    :raises ValueError: naming the accepted values.
    """
    key = text.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(
        f"unknown yes/no value {text.strip()!r}, "
        "expected oui/non, yes/no, vrai/faux, true/false, 1/0"
    )
