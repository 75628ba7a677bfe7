"""Coded values (docs/data-formats.md, The spreadsheets): any letter case, the accepted synonyms, named refusals."""

from __future__ import annotations

import enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insertion_core.domain import (
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
from insertion_core.domain.codes import parse_bool, parse_code

KINDS: list[type[enum.StrEnum]] = [
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
]


def test_the_canonical_codes() -> None:
    assert [r.value for r in ExitReason] == [
        "completed",
        "early_positive",
        "dropout",
        "other",
        "neutralised",
    ]
    assert [lvl.value for lvl in EducationLevel] == ["none", *"12345678"]
    assert [s.value for s in Scheme] == ["cej", "pacea", "rsa", "none"]
    assert [c.value for c in Channel] == ["phone", "sms", "email", "visit", "self_report", "other"]


@given(st.sampled_from([m for kind in KINDS for m in kind]), st.data())
def test_every_code_reads_in_any_letter_case_with_spaces(
    member: enum.StrEnum, data: st.DataObject
) -> None:
    flips = data.draw(
        st.lists(st.booleans(), min_size=len(member.value), max_size=len(member.value))
    )
    text = "".join(
        c.upper() if flip else c.lower() for c, flip in zip(member.value, flips, strict=True)
    )
    assert parse_code(type(member), f"  {text}\u00a0") is member


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H", Gender.M),
        ("h", Gender.M),
        ("f", Gender.F),
        ("VI", EducationLevel.NONE),
        ("Vbis", EducationLevel.NONE),
        ("V", EducationLevel.L3),
        ("iv", EducationLevel.L4),
        ("III", EducationLevel.L5),
        ("II", EducationLevel.L6),
        ("I", EducationLevel.L7),
        ("None", EducationLevel.NONE),
        ("8", EducationLevel.L8),
    ],
)
def test_synonyms(text: str, expected: enum.StrEnum) -> None:
    assert parse_code(type(expected), text) is expected


def test_an_unknown_code_names_what_was_expected() -> None:
    with pytest.raises(ValueError) as caught:
        parse_code(ExitReason, " abandon ")
    assert str(caught.value) == (
        "unknown value 'abandon', expected one of: "
        "completed, early_positive, dropout, other, neutralised"
    )
    with pytest.raises(ValueError, match=r"^unknown value 'H', expected one of: cdi, "):
        parse_code(Contract, "H")  # a synonym of one kind is not a code of another


def test_education_level_rank() -> None:
    assert [lvl.rank for lvl in EducationLevel] == list(range(9))


@pytest.mark.parametrize("text", ["oui", "OUI", "yes", "Vrai", "true", "1", " True "])
def test_parse_bool_true(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["non", "No", "FAUX", "false", "0", " non\u00a0"])
def test_parse_bool_false(text: str) -> None:
    assert parse_bool(text) is False


@pytest.mark.parametrize("text", ["", "peut-être", "2", "o", "y"])
def test_parse_bool_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_bool(text)
    assert str(caught.value) == (
        f"unknown yes/no value {text.strip()!r}, expected oui/non, yes/no, vrai/faux, true/false, 1/0"
    )
