"""Situation codes ``family[.sector]``: families built in, declared by programmes or plugins."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insertion_core.domain import Sector, Situation, SituationFamilies
from insertion_core.domain.situations import BUILTIN_FAMILIES

from .strategies import situations

FAMILIES = SituationFamilies()


def test_builtin_families() -> None:
    assert BUILTIN_FAMILIES == (
        "employment",
        "training",
        "civic_service",
        "job_search",
        "inactive",
        "unreachable",
        "other",
    )
    assert FAMILIES.names == frozenset(BUILTIN_FAMILIES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("employment", Situation("employment", Sector.OTHER)),
        ("employment.digital", Situation("employment", Sector.DIGITAL)),
        ("EMPLOYMENT.Digital", Situation("employment", Sector.DIGITAL)),
        ("  training.other ", Situation("training", Sector.OTHER)),
        ("Job_Search", Situation("job_search")),
    ],
)
def test_parse(text: str, expected: Situation) -> None:
    assert FAMILIES.parse(text) == expected


def test_a_missing_sector_is_other() -> None:
    assert FAMILIES.parse("training") == FAMILIES.parse("training.other")
    assert Situation("training").code == "training.other"
    assert str(Situation("employment", Sector.DIGITAL)) == "employment.digital"


def test_situation_values_are_normalised() -> None:
    assert Situation(" Employment ") == Situation("employment")
    assert Situation("employment", "digital") == Situation("employment", Sector.DIGITAL)
    with pytest.raises(ValueError, match="'robotics' is not a valid Sector"):
        Situation("employment", "robotics")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty situation code"),
        ("   ", "empty situation code"),
        (
            "job",
            "unknown situation family 'job', expected one of: civic_service, employment, "
            "inactive, job_search, other, training, unreachable",
        ),
        (
            ".digital",
            "unknown situation family '', expected one of: civic_service, employment, "
            "inactive, job_search, other, training, unreachable",
        ),
        (
            "employment.",
            "unknown sector '' in situation 'employment.', expected digital or other",
        ),
        (
            "employment.Robotics",
            "unknown sector 'robotics' in situation 'employment.Robotics', expected digital or other",
        ),
        (
            "employment.digital.paris",
            "unknown sector 'digital.paris' in situation 'employment.digital.paris', "
            "expected digital or other",
        ),
    ],
)
def test_parse_refusals_name_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        FAMILIES.parse(text)
    assert str(caught.value) == message


def test_families_are_extensible() -> None:
    with pytest.raises(ValueError, match="unknown situation family 'own_business'"):
        FAMILIES.parse("own_business.digital")
    extended = FAMILIES.with_families(["own_business"])
    assert extended.parse("Own_Business.digital") == Situation("own_business", Sector.DIGITAL)
    assert extended.names == FAMILIES.names | {"own_business"}
    assert FAMILIES.names == frozenset(BUILTIN_FAMILIES)  # the original is unchanged


@pytest.mark.parametrize("name", ["civic_plus", "a", "x2", "own_business_2"])
def test_valid_family_names(name: str) -> None:
    assert SituationFamilies.is_valid_name(name)


@pytest.mark.parametrize(
    "name", ["", "Civic", "2x", "civic plus", "civic.plus", "_x", "civic-plus"]
)
def test_invalid_family_names(name: str) -> None:
    assert not SituationFamilies.is_valid_name(name)


@given(situations(), st.booleans())
def test_the_code_reads_back(situation: Situation, upper: bool) -> None:
    text = situation.code.upper() if upper else situation.code
    assert FAMILIES.parse(text) == situation
    if situation.sector is Sector.OTHER:
        assert FAMILIES.parse(situation.family) == situation
