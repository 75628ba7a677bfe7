"""The key figures set: the Fabrique numérique's published outcome rates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

import attrs

from ...domain.programme import Programme
from ..definitions import Definition, IndicatorDef, RateDef, Relation
from ..facts import OutcomeFacts, Population

__all__ = ["KeyFigures", "class_cell", "positive_classes"]

MATURE = "population.mature"
REMOBILISED = "key_figures.remobilised"
RESPONDED = "key_figures.responded"


def class_cell(outcome: str) -> str:
    """The cell counting mature participants in outcome class ``outcome``."""
    return f"key_figures.class.{outcome}"


def digital_cell(family: str) -> str:
    """The cell counting class ``family`` whose first positive outcome is digital."""
    return f"key_figures.digital.{family}"


def positive_classes(programme: Programme) -> tuple[str, ...]:
    """Positive families in display order: training, employment, then the others as configured."""
    positive = programme.outcomes.positive
    first = tuple(f for f in ("training", "employment") if f in positive)
    return first + tuple(f for f in positive if f not in first)


_FIXED = {
    "dropout_rate": Definition(
        "Abandons",
        "Dropouts",
        "Sortants dont le motif de sortie est l'abandon, quoi qu'il suive ; sur les sortants "
        "dont la période de suivi est terminée (hors sorties neutralisées : déménagement, "
        "santé, décès).",
        "Leavers whose exit reason is dropout, whatever follows; over leavers whose "
        "follow-up period is over (neutralised exits such as moving away, health or death "
        "excluded).",
    ),
    "remobilisation_rate": Definition(
        "Remobilisation",
        "Remobilisation",
        "Sortants (hors abandons) ayant connu au moins une situation positive (emploi, "
        "formation ou autre situation retenue par le programme) pendant la période de suivi ; "
        "sur les sortants dont la période de suivi est terminée.",
        "Leavers, dropouts excepted, with at least one positive outcome (a job, training or "
        "another outcome the programme counts) during the follow-up period; over leavers "
        "whose follow-up period is over.",
    ),
    "no_outcome_rate": Definition(
        "Sans solution",
        "No outcome",
        "Sortants (hors abandons) sans aucune situation positive connue entre la sortie et "
        "la fin de la période de suivi ; sur les sortants dont la période de suivi est "
        "terminée. Une situation inconnue compte comme sans solution.",
        "Leavers, dropouts excepted, with no known positive outcome between the exit and the "
        "end of the follow-up period; over leavers whose follow-up period is over. An "
        "unknown outcome counts as no outcome.",
    ),
    "followup_response_rate": Definition(
        "Taux de réponse au suivi",
        "Follow-up response rate",
        "Sortants joints au moins une fois après leur sortie et avant la fin de la période "
        "de suivi ; sur les sortants dont la période de suivi est terminée.",
        "Leavers reached at least once after their exit and before the end of the follow-up "
        "period; over leavers whose follow-up period is over.",
    ),
}

_LABEL_FR = {"training": "Formation", "employment": "Accès à l'emploi"}
_LABEL_EN = {"training": "Training", "employment": "Access to employment"}


def _class_definition(family: str) -> Definition:
    return Definition(
        _LABEL_FR.get(family, family),
        _LABEL_EN.get(family, family.replace("_", " ").capitalize()),
        f"Sortants (hors abandons) dont la première situation positive pendant la période de "
        f"suivi relève de « {_LABEL_FR.get(family, family).lower()} » (deux situations le "
        f"même jour : l'ordre de priorité du programme, puis le secteur numérique, "
        f"départagent) ; sur les sortants dont la période de suivi est terminée.",
        f"Leavers, dropouts excepted, whose first positive outcome during the follow-up "
        f"period is {_LABEL_EN.get(family, family).lower()} (two outcomes on the same day: "
        f"the programme's order of priority, then the digital sector, decide); over leavers "
        f"whose follow-up period is over.",
    )


def _share_definition(family: str) -> Definition:
    return Definition(
        f"dont numérique ({_LABEL_FR.get(family, family).lower()})",
        f"of which digital ({family})",
        f"Part des sortants comptés en « {_LABEL_FR.get(family, family).lower()} » dont "
        f"cette première situation positive est dans le secteur numérique.",
        f"Share of the leavers counted in {_LABEL_EN.get(family, family).lower()} whose "
        f"first positive outcome is in the digital sector.",
    )


@attrs.frozen
class KeyFigures:
    """Outcome classes of mature exits: dropout, each positive family, none."""

    name: str = "key_figures"
    #: The fact fields ``contributions`` reads (stored facts are grouped on them).
    reads: ClassVar[tuple[str, ...]] = ("population", "outcome", "first_positive", "responded")
    definitions_version: str = "1"

    def indicators(self, programme: Programme) -> Sequence[IndicatorDef]:
        """Class rates, remobilisation, no outcome, digital shares, response rate."""
        positive = positive_classes(programme)
        rates = [RateDef("dropout_rate", class_cell("dropout"), MATURE, _FIXED["dropout_rate"])]
        rates += [
            RateDef(f"{family}_rate", class_cell(family), MATURE, _class_definition(family))
            for family in positive
        ]
        rates.append(
            RateDef("remobilisation_rate", REMOBILISED, MATURE, _FIXED["remobilisation_rate"])
        )
        rates.append(
            RateDef("no_outcome_rate", class_cell("none"), MATURE, _FIXED["no_outcome_rate"])
        )
        rates += [
            RateDef(
                f"{family}_digital_share",
                digital_cell(family),
                class_cell(family),
                _share_definition(family),
            )
            for family in ("training", "employment")
            if family in positive
        ]
        rates.append(
            RateDef("followup_response_rate", RESPONDED, MATURE, _FIXED["followup_response_rate"])
        )
        return rates

    def relations(self, programme: Programme) -> Sequence[Relation]:
        """The classes partition M; the positive classes add up to remobilisation."""
        positive = tuple(class_cell(f) for f in positive_classes(programme))
        return (
            Relation(MATURE, (class_cell("dropout"), *positive, class_cell("none"))),
            Relation(REMOBILISED, positive),
        )

    def contributions(self, programme: Programme, facts: OutcomeFacts) -> Iterable[str]:
        """A mature participant's class, remobilisation, digital sector and response."""
        if facts.population is not Population.MATURE or facts.outcome is None:
            return
        yield class_cell(facts.outcome)
        if facts.outcome not in ("dropout", "none"):
            yield REMOBILISED
            if facts.outcome_digital:
                yield digital_cell(facts.outcome)
        if facts.responded:
            yield RESPONDED
