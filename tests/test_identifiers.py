"""Identifiers: the library refuses look-alike, invisible and oversized ids, as the importer does."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insertion_core.domain import Cohort, Participant
from insertion_core.domain.identifiers import MAX_IDENTIFIER_LENGTH, identifier
from insertion_core.errors import IdentifierError, InsertionError

ENTRY = dt.date(2025, 9, 1)


@pytest.mark.parametrize(
    "text",
    ["GON-0001", "007", "Zoé-01", "Marie Dupont", "ГОН-0001", "Nº 12", "a" * MAX_IDENTIFIER_LENGTH],
)
def test_usual_ids_are_kept(text: str) -> None:
    assert identifier(text) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "an identifier cannot be empty"),
        (" P1", "' P1' has spaces around it or two in a row"),
        ("P  1", "'P  1' has spaces around it or two in a row"),
        ("P1\x00", "'P1\\x00' holds an invisible or control character at position 3"),
        ("\ufeffP1", "'\\ufeffP1' holds an invisible or control character at position 1"),
        ("P\u00a01", "'P\\xa01' holds an unusual space at position 2 (U+00A0 NO-BREAK SPACE)"),
        ("GON-000\u0661", "'GON-000\u0661' mixes Latin and Arabic-Indic characters"),
        ("\u0391BC", "'\u0391BC' mixes Greek and Latin characters"),
        ("GON-0001\uff10", "mixes Latin and Fullwidth characters"),
        ("a" * (MAX_IDENTIFIER_LENGTH + 1), "an identifier of 101 characters; at most 100"),
    ],
)
def test_bad_ids_are_refused(text: str, message: str) -> None:
    with pytest.raises(IdentifierError) as info:
        identifier(text)
    assert message in str(info.value)
    assert isinstance(info.value, InsertionError) and isinstance(info.value, ValueError)


def test_ids_are_nfc() -> None:
    assert identifier("Zoe\u0301") == "Zo\u00e9"
    assert Participant("Zoe\u0301", "C1", ENTRY).participant_id == "Zo\u00e9"


def test_the_model_refuses_bad_ids_in_every_id_field() -> None:
    for fields in (
        {"participant_id": "G\u041eN"},
        {"cohort_id": "C\x1b1"},
        {"counsellor": "M\u200b"},
        {"qpv_code": "Q" * 101},
    ):
        values = {"participant_id": "P1", "cohort_id": "C1", "entry_date": ENTRY} | fields
        with pytest.raises(IdentifierError):
            Participant(**values)  # type: ignore[arg-type]
    with pytest.raises(IdentifierError):
        Cohort("C\n1")


@given(st.text(max_size=120))
def test_an_accepted_id_is_stable(text: str) -> None:
    try:
        accepted = identifier(text)
    except IdentifierError:
        return
    assert identifier(accepted) == accepted
    assert accepted.isprintable() and 0 < len(accepted) <= MAX_IDENTIFIER_LENGTH
