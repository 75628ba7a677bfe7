"""The ``gonesse`` indicator set of the Fabrique numérique de Gonesse.

It shows how much of the Fabrique's success is digital across both outcome
families at once, a figure no funder's set has:

- ``digital_positive_share`` (part numérique des sorties positives): among the
  mature participants in a positive class, those whose first positive outcome
  is in the digital sector;
- ``digital_positive_rate`` (sorties positives numériques): the same numerator
  over every mature participant;
- ``training_other_share`` and ``employment_other_share`` (dont autre secteur):
  the other half of the key figures' digital shares, the part of each class
  whose first positive outcome is in another sector, so that both halves of
  each published share (training 55 % digital, 45 % other) are printed.

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
#: The families whose digital share the key figures publish, in their order.
SHARED_FAMILIES = ("training", "employment")
_FAMILY_FR = {"training": "formation", "employment": "accès à l'emploi"}

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


def class_cell(family: str) -> str:
    """The cell counting mature participants in outcome class ``family``."""
    return f"gonesse.class.{family}"


def sector_cell(family: str, digital: bool) -> str:
    """The cell counting class ``family`` whose first positive outcome is digital, or not."""
    return f"gonesse.class.{family}.{'digital' if digital else 'other'}"


def other_share_definition(family: str) -> Definition:
    """The other-sector half of the key figures' ``{family}_digital_share``."""
    return Definition(
        f"dont autre secteur ({_FAMILY_FR[family]})",
        f"of which other sector ({family})",
        f"Part de la classe {family} dont la première situation positive n'a pas le secteur "
        f"numérique ; sur la classe {family}. Complète « dont numérique » à 100 %.",
        f"Share of class {family} whose first positive outcome is not in the digital sector; "
        f"over class {family}. Adds up to 100 % with the digital share.",
    )


@attrs.frozen
class GonesseFigures:
    """The ``gonesse`` indicator set: the digital part of every positive outcome, and the rest."""

    name: str = "gonesse"
    definitions_version: str = "2"  # 2: the other-sector shares

    def title(self, locale: str) -> str:
        """The section title in reports (optional for an indicator set)."""
        return "Chiffres de la Fabrique" if locale == "fr" else "The Fabrique's own figures"

    def indicators(self, programme: Programme) -> Sequence[IndicatorDef]:
        """The digital share and rate of positive outcomes, then each class's other share."""
        return (
            RateDef("digital_positive_share", POSITIVE_DIGITAL, POSITIVE, DIGITAL_SHARE),
            RateDef("digital_positive_rate", POSITIVE_DIGITAL, MATURE, DIGITAL_RATE),
            *(
                RateDef(
                    f"{family}_other_share",
                    sector_cell(family, digital=False),
                    class_cell(family),
                    other_share_definition(family),
                )
                for family in _shared_families(programme)
            ),
        )

    def relations(self, programme: Programme) -> Sequence[Relation]:
        """Positive = digital + other; mature = positive + not positive; class = its two sectors."""
        return (
            Relation(POSITIVE, (POSITIVE_DIGITAL, POSITIVE_OTHER)),
            Relation(MATURE, (POSITIVE, NOT_POSITIVE)),
            *(
                Relation(
                    class_cell(family),
                    (sector_cell(family, digital=True), sector_cell(family, digital=False)),
                )
                for family in _shared_families(programme)
            ),
        )

    def contributions(self, programme: Programme, facts: OutcomeFacts) -> Iterable[str]:
        """A mature participant is positive (digital or not) or not positive; and in a class."""
        if facts.population is not Population.MATURE or facts.outcome is None:
            return
        if facts.outcome in programme.outcomes.positive:
            yield POSITIVE
            yield POSITIVE_DIGITAL if facts.outcome_digital else POSITIVE_OTHER
        else:
            yield NOT_POSITIVE
        if facts.outcome in _shared_families(programme):
            yield class_cell(facts.outcome)
            yield sector_cell(facts.outcome, facts.outcome_digital)


def _shared_families(programme: Programme) -> tuple[str, ...]:
    """The published families that are positive in ``programme``."""
    return tuple(f for f in SHARED_FAMILIES if f in programme.outcomes.positive)
