"""Eligibility rules checked at enrolment: each failed rule is named, missing data never refuses."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from insertion_core.domain import EducationLevel, Participant, Programme, Verdict, enrol
from insertion_core.domain.eligibility import (
    MaxAge,
    MaxEducationLevel,
    MinAge,
    builtin_rules,
    check_eligibility,
)
from insertion_core.domain.programme import EligibilityPolicy, FollowUpPolicy, OutcomePolicy
from insertion_core.errors import NotEligibleError

from .strategies import participants, programmes

ENTRY = dt.date(2025, 9, 1)


def programme(
    min_age: int | None = 16,
    max_age: int | None = 25,
    level: EducationLevel | None = EducationLevel.L2,
) -> Programme:
    return Programme(
        id="gonesse",
        name="Gonesse",
        followup=FollowUpPolicy(6, (1, 3, 6)),
        outcomes=OutcomePolicy(("employment",)),
        eligibility=EligibilityPolicy(min_age, max_age, level),
    )


def person(birth: dt.date | None, level: EducationLevel | None = None) -> Participant:
    return Participant("P1", "C1", ENTRY, birth_date=birth, education_level=level)


def test_builtin_rules_are_named() -> None:
    assert [rule.name for rule in builtin_rules()] == ["min_age", "max_age", "max_education_level"]


@pytest.mark.parametrize(
    ("birth", "verdicts"),
    [
        # 16 on the entry day exactly: in
        (dt.date(2009, 9, 1), [Verdict.ok("min_age"), Verdict.ok("max_age")]),
        (
            dt.date(2009, 9, 2),
            [
                Verdict.failed("min_age", "aged 15 on entry, the minimum is 16"),
                Verdict.ok("max_age"),
            ],
        ),
        # 25 until the eve of the 26th birthday: in
        (dt.date(1999, 9, 2), [Verdict.ok("min_age"), Verdict.ok("max_age")]),
        (
            dt.date(1999, 9, 1),
            [
                Verdict.ok("min_age"),
                Verdict.failed("max_age", "aged 26 on entry, the maximum is 25"),
            ],
        ),
        (
            None,
            [
                Verdict.unknown("min_age", "no birth date, so the minimum age was not checked"),
                Verdict.unknown("max_age", "no birth date, so the maximum age was not checked"),
            ],
        ),
    ],
)
def test_age_rules_on_the_entry_date(birth: dt.date | None, verdicts: list[Verdict]) -> None:
    found = check_eligibility(programme(level=None), person(birth), builtin_rules())
    assert list(found) == verdicts


def test_age_of_someone_born_on_29_february() -> None:
    # 16 on 29 February 2024; 26 on 1 March 2034 (a common year), not on 28 February
    born = dt.date(2008, 2, 29)
    rule = MinAge()
    young = Participant("P1", "C1", dt.date(2024, 2, 28), birth_date=born)
    assert rule.check(programme(), young) == Verdict.failed(
        "min_age", "aged 15 on entry, the minimum is 16"
    )
    assert rule.check(
        programme(), attrs.evolve(young, entry_date=dt.date(2024, 2, 29))
    ) == Verdict.ok("min_age")
    old = Participant("P1", "C1", dt.date(2034, 2, 28), birth_date=born)
    assert MaxAge().check(programme(), old) == Verdict.ok("max_age")
    assert MaxAge().check(
        programme(), attrs.evolve(old, entry_date=dt.date(2034, 3, 1))
    ) == Verdict.failed("max_age", "aged 26 on entry, the maximum is 25")


@pytest.mark.parametrize(
    ("level", "verdict"),
    [
        (EducationLevel.NONE, Verdict.ok("max_education_level")),
        (EducationLevel.L2, Verdict.ok("max_education_level")),
        (
            EducationLevel.L3,
            Verdict.failed("max_education_level", "education level 3 is above the maximum 2"),
        ),
        (
            None,
            Verdict.unknown(
                "max_education_level", "no education level, so the maximum level was not checked"
            ),
        ),
    ],
)
def test_max_education_level(level: EducationLevel | None, verdict: Verdict) -> None:
    assert MaxEducationLevel().check(programme(), person(None, level)) == verdict


def test_a_rule_the_programme_does_not_set_does_not_apply() -> None:
    open_door = programme(None, None, None)
    assert (
        check_eligibility(
            open_door, person(dt.date(1950, 1, 1), EducationLevel.L8), builtin_rules()
        )
        == ()
    )


def test_enrol_names_every_failed_rule() -> None:
    too_old_and_qualified = person(dt.date(1990, 1, 1), EducationLevel.L5)
    with pytest.raises(NotEligibleError) as caught:
        enrol(programme(), too_old_and_qualified)
    error = caught.value
    assert error.participant_id == "P1"
    assert error.failures == (
        "max_age: aged 35 on entry, the maximum is 25",
        "max_education_level: education level 5 is above the maximum 2",
    )
    assert str(error) == (
        "participant P1 is not eligible: max_age: aged 35 on entry, the maximum is 25; "
        "max_education_level: education level 5 is above the maximum 2"
    )


def test_missing_data_is_a_warning_not_a_refusal() -> None:
    transition = enrol(programme(), person(None, None))
    assert transition.journey.participant == person(None, None)
    assert transition.warnings == (
        "participant P1: min_age: no birth date, so the minimum age was not checked",
        "participant P1: max_age: no birth date, so the maximum age was not checked",
        "participant P1: max_education_level: no education level, so the maximum level was not checked",
    )


def test_enrol_applies_the_rules_it_is_given() -> None:
    @attrs.frozen
    class LivesInGonesse:
        name: str = "lives_in_gonesse"

        def check(self, programme: Programme, participant: Participant) -> Verdict | None:
            if participant.qpv is None:
                return None
            return (
                Verdict.ok(self.name)
                if participant.qpv
                else Verdict.failed(self.name, "not from a QPV")
            )

    outsider = attrs.evolve(person(dt.date(1950, 1, 1)), qpv=False)
    with pytest.raises(NotEligibleError) as caught:
        enrol(programme(), outsider, [LivesInGonesse()])
    assert caught.value.failures == (
        "lives_in_gonesse: not from a QPV",
    )  # the built-ins were not asked
    assert enrol(programme(), attrs.evolve(outsider, qpv=True), [LivesInGonesse()]).warnings == ()
    assert enrol(programme(), attrs.evolve(outsider, qpv=None), [LivesInGonesse()]).warnings == ()


@given(st.data())
def test_participants_the_strategy_builds_are_eligible(data: st.DataObject) -> None:
    prog = data.draw(programmes())
    participant = data.draw(participants(prog))
    verdicts = check_eligibility(prog, participant, builtin_rules())
    assert all(v.passed is not False for v in verdicts)


@given(programmes(), st.integers(0, 40), st.data())
def test_age_rules_agree_with_the_age_on_entry(
    prog: Programme, age: int, data: st.DataObject
) -> None:
    participant = data.draw(participants(None))
    # born on 1 January: exactly ``age`` on any entry day of that year
    birth = dt.date(participant.entry_date.year - age, 1, 1)
    participant = attrs.evolve(participant, birth_date=birth)
    verdicts = {v.rule: v.passed for v in check_eligibility(prog, participant, builtin_rules())}
    policy = prog.eligibility
    if policy.min_age is not None:
        assert verdicts["min_age"] is (age >= policy.min_age)
    if policy.max_age is not None:
        assert verdicts["max_age"] is (age <= policy.max_age)
