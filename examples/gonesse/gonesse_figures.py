"""The ``gonesse`` indicator set of the Fabrique numérique de Gonesse.

It shows how much of the Fabrique's success is digital across both outcome
families at once, a figure no funder's set has:

- ``digital_positive_share`` (part numérique des sorties positives): among the
  mature participants in a positive class, those whose first positive outcome
  is in the digital sector;
- ``digital_positive_rate`` (sorties positives numériques): the same numerator
  over every mature participant.

It is counted from the same per-participant facts as the built-in sets, so
it obeys the same selection, as_of and disclosure rules. The site plugin,
``gonesse_site.py``, registers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from insertion_core import Programme
from insertion_core.outcomes import (
    Definition,
    IndicatorDef,
    OutcomeFacts,
    Population,
    RateDef,
    Relation,
)

__all__ = ["GonesseFigures"]

MATURE = "population.mature"
POSITIVE = "gonesse.positive"
POSITIVE_DIGITAL = "gonesse.positive.digital"
POSITIVE_OTHER = "gonesse.positive.other"
NOT_POSITIVE = "gonesse.not_positive"

DIGITAL_SHARE = Definition(
    "Part numérique des sorties positives",
    "Digital share of positive outcomes",
    "Sorties mûres d'une classe positive (formation, emploi...) dont la première situation "
    "positive de la fenêtre a le secteur numérique ; sur les sorties mûres d'une classe positive.",
    "Mature exits in a positive class (training, employment...) whose first positive outcome "
    "in the window has sector digital; over mature exits in a positive class.",
)
DIGITAL_RATE = Definition(
    "Sorties positives numériques",
    "Digital positive outcomes",
    "Sorties mûres d'une classe positive dont la première situation positive a le secteur "
    "numérique ; sur les sorties mûres (fenêtre de suivi close, hors neutralisées).",
    "Mature exits in a positive class whose first positive outcome has sector digital; over "
    "mature exits (follow-up window closed, neutralised excluded).",
)


@attrs.frozen
class GonesseFigures:
    """The ``gonesse`` indicator set: the digital part of every positive outcome."""

    name: str = "gonesse"
    definitions_version: str = "1"

    def title(self, locale: str) -> str:
        """The section title in reports (optional for an indicator set)."""
        return "Part numérique de la Fabrique" if locale == "fr" else "The Fabrique's digital track"

    def indicators(self, programme: Programme) -> Sequence[IndicatorDef]:
        """The digital share of positive outcomes, then the digital positive rate."""
        return (
            RateDef("digital_positive_share", POSITIVE_DIGITAL, POSITIVE, DIGITAL_SHARE),
            RateDef("digital_positive_rate", POSITIVE_DIGITAL, MATURE, DIGITAL_RATE),
        )

    def relations(self, programme: Programme) -> Sequence[Relation]:
        """Positive = digital + other; mature = positive + not positive."""
        return (
            Relation(POSITIVE, (POSITIVE_DIGITAL, POSITIVE_OTHER)),
            Relation(MATURE, (POSITIVE, NOT_POSITIVE)),
        )

    def contributions(self, programme: Programme, facts: OutcomeFacts) -> Iterable[str]:
        """A mature participant is positive (digital or not) or not positive."""
        if facts.population is not Population.MATURE or facts.outcome is None:
            return
        if facts.outcome in programme.outcomes.positive:
            yield POSITIVE
            yield POSITIVE_DIGITAL if facts.outcome_digital else POSITIVE_OTHER
        else:
            yield NOT_POSITIVE
