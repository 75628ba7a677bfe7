"""Eligibility rules checked at enrolment; each failed rule is named.

A rule is any object with a ``name`` and a ``check(programme, participant)``
method returning a :class:`Verdict`. The programme's own ``[eligibility]``
table gives the built-in rules; plugins add more through the
``register_eligibility_rules`` hook.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import attrs

from .calendar import age_on
from .model import Participant
from .programme import Programme

__all__ = [
    "EligibilityRule",
    "MaxAge",
    "MaxEducationLevel",
    "MinAge",
    "Verdict",
    "builtin_rules",
    "check_eligibility",
]


@attrs.frozen
class Verdict:
    """Result of one rule: ``passed`` True, False, or None when the data to decide is missing."""

    rule: str
    passed: bool | None
    message: str = ""

    @classmethod
    def ok(cls, rule: str) -> Verdict:
        return cls(rule, True)

    @classmethod
    def failed(cls, rule: str, message: str) -> Verdict:
        return cls(rule, False, message)

    @classmethod
    def unknown(cls, rule: str, message: str) -> Verdict:
        return cls(rule, None, message)


class EligibilityRule(Protocol):
    """What a rule provides; ``check`` returns None when the rule does not apply."""

    @property
    def name(self) -> str: ...

    def check(self, programme: Programme, participant: Participant) -> Verdict | None: ...


@attrs.frozen
class MinAge:
    """Participants must be at least ``eligibility.min_age`` on their entry date."""

    name: str = "min_age"

    def check(self, programme: Programme, participant: Participant) -> Verdict | None:
        limit = programme.eligibility.min_age
        if limit is None:
            return None
        if participant.birth_date is None:
            return Verdict.unknown(self.name, "no birth date, so the minimum age was not checked")
        age = age_on(participant.birth_date, participant.entry_date)
        if age < limit:
            return Verdict.failed(self.name, f"aged {age} on entry, the minimum is {limit}")
        return Verdict.ok(self.name)


@attrs.frozen
class MaxAge:
    """Participants must be at most ``eligibility.max_age`` on their entry date."""

    name: str = "max_age"

    def check(self, programme: Programme, participant: Participant) -> Verdict | None:
        limit = programme.eligibility.max_age
        if limit is None:
            return None
        if participant.birth_date is None:
            return Verdict.unknown(self.name, "no birth date, so the maximum age was not checked")
        age = age_on(participant.birth_date, participant.entry_date)
        if age > limit:
            return Verdict.failed(self.name, f"aged {age} on entry, the maximum is {limit}")
        return Verdict.ok(self.name)


@attrs.frozen
class MaxEducationLevel:
    """Participants must not hold a qualification above ``eligibility.max_education_level``."""

    name: str = "max_education_level"

    def check(self, programme: Programme, participant: Participant) -> Verdict | None:
        limit = programme.eligibility.max_education_level
        if limit is None:
            return None
        level = participant.education_level
        if level is None:
            return Verdict.unknown(
                self.name, "no education level, so the maximum level was not checked"
            )
        if level.rank > limit.rank:
            return Verdict.failed(
                self.name, f"education level {level.value} is above the maximum {limit.value}"
            )
        return Verdict.ok(self.name)


def builtin_rules() -> tuple[EligibilityRule, ...]:
    """The rules the ``[eligibility]`` table configures."""
    return (MinAge(), MaxAge(), MaxEducationLevel())


def check_eligibility(
    programme: Programme, participant: Participant, rules: Sequence[EligibilityRule]
) -> tuple[Verdict, ...]:
    """Every applicable rule's verdict, in the order of ``rules``."""
    verdicts = []
    for rule in rules:
        verdict = rule.check(programme, participant)
        if verdict is not None:
            verdicts.append(verdict)
    return tuple(verdicts)
