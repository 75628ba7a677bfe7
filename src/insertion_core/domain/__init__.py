"""The pure domain core: values, lifecycle, calendar and outcome rules.

Nothing in this package imports storage, click or pluggy, reads a file or the
clock: a programme is parsed from text (:func:`loads_programme`; reading the
file is :func:`insertion_core.programme_file.load_programme`'s job) and "today"
is always passed in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .calendar import Window, add_months, age_on
    from .codes import (
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
    from .eligibility import EligibilityRule, Verdict
    from .events import (
        AttendanceRecorded,
        Enrolled,
        Event,
        Exited,
        FollowUpRecorded,
        PhaseStarted,
    )
    from .journey import Journey
    from .lifecycle import (
        Transition,
        enrol,
        record_attendance,
        record_exit,
        record_followup,
        replace_followups,
        start_next_phase,
    )
    from .model import (
        AttendanceRecord,
        Cohort,
        Exit,
        FollowUpContact,
        Participant,
        PersonalData,
        PhaseProgress,
    )
    from .programme import Phase, Programme, loads_programme
    from .situations import Sector, Situation, SituationFamilies

__all__ = [
    "AttendanceRecord",
    "AttendanceRecorded",
    "AttendanceStatus",
    "Channel",
    "Cohort",
    "Contract",
    "EducationLevel",
    "EligibilityRule",
    "Enrolled",
    "Event",
    "Exit",
    "ExitReason",
    "Exited",
    "FollowUpContact",
    "FollowUpRecorded",
    "Gender",
    "HalfDay",
    "Journey",
    "Participant",
    "PersonalData",
    "Phase",
    "PhaseProgress",
    "PhaseStarted",
    "Programme",
    "Referrer",
    "Scheme",
    "Sector",
    "Situation",
    "SituationFamilies",
    "StatusAtEntry",
    "Transition",
    "Verdict",
    "Window",
    "add_months",
    "age_on",
    "enrol",
    "loads_programme",
    "record_attendance",
    "record_exit",
    "record_followup",
    "replace_followups",
    "start_next_phase",
]

_public = lazy_exports(
    __name__,
    {
        ".calendar": ("Window", "add_months", "age_on"),
        ".codes": (
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
        ),
        ".eligibility": ("EligibilityRule", "Verdict"),
        ".events": (
            "AttendanceRecorded",
            "Enrolled",
            "Event",
            "Exited",
            "FollowUpRecorded",
            "PhaseStarted",
        ),
        ".journey": ("Journey",),
        ".lifecycle": (
            "Transition",
            "enrol",
            "record_attendance",
            "record_exit",
            "record_followup",
            "replace_followups",
            "start_next_phase",
        ),
        ".model": (
            "AttendanceRecord",
            "Cohort",
            "Exit",
            "FollowUpContact",
            "Participant",
            "PersonalData",
            "PhaseProgress",
        ),
        ".programme": ("Phase", "Programme", "loads_programme"),
        ".situations": ("Sector", "Situation", "SituationFamilies"),
    },
)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    return _public(name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
