"""The dynamic exits set: the French IAE typology of exits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

import attrs

from ...domain.programme import Programme
from ..definitions import Definition, IndicatorDef, RateDef, Relation
from ..facts import DynamicExit, OutcomeFacts

__all__ = ["DynamicExits"]

EXITED = "dynamic_exits.exited"
DYNAMIC = "dynamic_exits.dynamic"
_OVER_FR = "sur les sorties non neutralisées de la sélection"
_OVER_EN = "over the selected non-neutralised exits"


def _cell(kind: DynamicExit) -> str:
    return f"dynamic_exits.{kind.value}"


_RATES = (
    RateDef(
        "durable_employment_rate",
        _cell(DynamicExit.DURABLE_EMPLOYMENT),
        EXITED,
        Definition(
            "Sorties vers l'emploi durable",
            "Exits to durable employment",
            "Destination emploi en CDI, travail indépendant ou apprentissage, ou CDD/intérim "
            f"d'au moins 6 mois ; {_OVER_FR}.",
            "Leaving for a permanent contract, self-employment or an apprenticeship, or a "
            f"fixed-term or temporary contract of at least 6 months; {_OVER_EN}.",
        ),
    ),
    RateDef(
        "transition_employment_rate",
        _cell(DynamicExit.TRANSITION_EMPLOYMENT),
        EXITED,
        Definition(
            "Sorties vers l'emploi de transition",
            "Exits to transition employment",
            "Tout autre emploi : CDD/intérim de moins de 6 mois ou sans durée, contrat aidé, "
            f"autre ou sans contrat indiqué ; {_OVER_FR}.",
            "Any other job: fixed-term or temporary contracts under 6 months or without a length, "
            f"subsidised, other, or no contract given; {_OVER_EN}.",
        ),
    ),
    RateDef(
        "positive_exit_rate",
        _cell(DynamicExit.POSITIVE_EXIT),
        EXITED,
        Definition(
            "Sorties positives",
            "Positive exits",
            "Départ en formation, sauf formation déclarée non qualifiante ; " + _OVER_FR + ".",
            "Leaving for training, unless declared non-qualifying; " + _OVER_EN + ".",
        ),
    ),
    RateDef(
        "dynamic_exit_rate",
        DYNAMIC,
        EXITED,
        Definition(
            "Sorties dynamiques",
            "Dynamic exits",
            f"Emploi durable, emploi de transition et sorties positives ensemble ; {_OVER_FR}.",
            f"Durable employment, transition employment and positive exits together; {_OVER_EN}.",
        ),
    ),
)


@attrs.frozen
class DynamicExits:
    """Exits classified on their destination and contract alone, whatever the exit reason."""

    name: str = "dynamic_exits"
    #: The fact fields ``contributions`` reads (stored facts are grouped on them).
    reads: ClassVar[tuple[str, ...]] = ("population", "dynamic_exit")
    definitions_version: str = "1"

    def indicators(self, programme: Programme) -> Sequence[IndicatorDef]:
        """Durable, transition, positive and dynamic exit rates over D."""
        return _RATES

    def relations(self, programme: Programme) -> Sequence[Relation]:
        """D is pending plus mature; dynamic is the sum of the three kinds."""
        kinds = tuple(rate.numerator for rate in _RATES[:3])
        return (
            Relation(EXITED, ("population.pending", "population.mature")),
            Relation(DYNAMIC, kinds),
        )

    def contributions(self, programme: Programme, facts: OutcomeFacts) -> Iterable[str]:
        """D membership and the exit's class."""
        if not facts.exited or facts.dynamic_exit is None:
            return
        yield EXITED
        if facts.dynamic_exit is not DynamicExit.OTHER:
            yield _cell(facts.dynamic_exit)
            yield DYNAMIC
