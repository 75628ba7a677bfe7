"""How an indicator set declares its indicators: named count cells, rates over them, relations.

A set never sees a list of participants. For each fact it says which count
cells the fact adds one to (:meth:`IndicatorSet.contributions`); the engine
sums them in bounded memory, and rates are ratios of two cells. Relations
(``total = sum of parts``) tell disclosure control what a reader could add up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

import attrs

from ..domain.programme import Programme
from .facts import OutcomeFacts

__all__ = [
    "GENDER_KEYS",
    "CountDef",
    "Definition",
    "IndicatorDef",
    "IndicatorSet",
    "RateDef",
    "Relation",
    "TitledSet",
    "gender_key",
]

#: The ``by_gender`` split of output counts, ``unknown`` when not declared.
GENDER_KEYS = ("F", "M", "X", "unknown")


def gender_key(facts: OutcomeFacts) -> str:
    """``F``, ``M``, ``X`` or ``unknown``."""
    return facts.gender.value if facts.gender is not None else "unknown"


@attrs.frozen
class Definition:
    """A short label and the exact definition of an indicator, in French and English."""

    label_fr: str
    label_en: str
    text_fr: str
    text_en: str

    def label(self, locale: str) -> str:
        """The label in ``locale`` (``fr`` or English otherwise)."""
        return self.label_fr if locale == "fr" else self.label_en

    def text(self, locale: str) -> str:
        """The definition in ``locale`` (``fr`` or English otherwise)."""
        return self.text_fr if locale == "fr" else self.text_en


@attrs.frozen
class RateDef:
    """A rate: ``numerator`` cell over ``denominator`` cell."""

    id: str
    numerator: str
    denominator: str
    definition: Definition


@attrs.frozen
class CountDef:
    """An output count of one cell, split by gender in cells ``<cell>.<gender key>``."""

    id: str
    cell: str
    definition: Definition

    @property
    def gender_cells(self) -> tuple[str, ...]:
        """The cells of the ``by_gender`` split, in :data:`GENDER_KEYS` order."""
        return tuple(f"{self.cell}.{key}" for key in GENDER_KEYS)


IndicatorDef = RateDef | CountDef


@attrs.frozen
class Relation:
    """``total`` equals ``Σ weight·part``: what a reader could add up, and so what
    disclosure control must keep from pinning a small count.

    Weights default to 1 and may be negative or above 1 (check-ins per
    participant). A relation may name cells no indicator publishes: they stay
    unknown to the reader, but a small one is protected like any other.
    """

    total: str
    parts: tuple[str, ...]
    weights: tuple[int, ...] = attrs.field(default=())

    @weights.validator
    def _check(self, attribute: object, value: tuple[int, ...]) -> None:
        if value and len(value) != len(self.parts):
            raise ValueError("a relation needs one weight per part")


class IndicatorSet(Protocol):
    """A named, versioned group of indicators computed from a stream of facts."""

    @property
    def name(self) -> str:
        """What ``--set`` and ``reporting.sets`` call the set."""
        ...

    @property
    def definitions_version(self) -> str:
        """Changes whenever a definition of the set changes."""
        ...

    def indicators(self, programme: Programme) -> Sequence[IndicatorDef]:
        """The indicators of the set for ``programme``, in display order."""
        ...

    def relations(self, programme: Programme) -> Sequence[Relation]:
        """Sums that hold between the published cells."""
        ...

    def contributions(self, programme: Programme, facts: OutcomeFacts) -> Iterable[str]:
        """The cells that ``facts`` adds one to (a cell may come several times)."""
        ...


@runtime_checkable
class TitledSet(Protocol):
    """Optional capability of an indicator set: its own section title in the reports.

    The text, markdown and html reports title a set's section with it, and
    with the set's ``name`` when the set does not offer it.
    """

    def title(self, locale: str) -> str:
        """The section title in ``locale`` (``fr`` or English otherwise)."""
        ...
