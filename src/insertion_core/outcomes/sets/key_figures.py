"""The key figures set: the Fabrique numérique's published outcome rates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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
        "Sorties mûres dont le motif de sortie est l'abandon, quoi qu'il suive ; "
        "sur les sorties mûres (fenêtre de suivi close, hors neutralisées).",
        "Mature exits whose exit reason is dropout, whatever follows; over mature exits "
        "(follow-up window closed, neutralised excluded).",
    ),
    "remobilisation_rate": Definition(
        "Remobilisation",
        "Remobilisation",
        "Sorties mûres hors abandon dont la première situation positive de la fenêtre "
        "appartient à une famille positive ; sur les sorties mûres.",
        "Mature exits, dropouts excepted, whose first positive outcome in the window is in "
        "any positive family; over mature exits.",
    ),
    "no_outcome_rate": Definition(
        "Sans solution",
        "No outcome",
        "Sorties mûres hors abandon sans aucune situation positive dans la fenêtre "
        "[sortie, sortie + durée de suivi] ; sur les sorties mûres. Rien n'est imputé.",
        "Mature exits, dropouts excepted, with no positive observation in the window "
        "[exit, exit + follow-up months]; over mature exits. Nothing is imputed.",
    ),
    "followup_response_rate": Definition(
        "Taux de réponse au suivi",
        "Follow-up response rate",
        "Sorties mûres ayant au moins un contact de suivi daté dans ]sortie, fin de fenêtre] "
        "dont la famille n'est pas « injoignable » ; sur les sorties mûres.",
        "Mature exits with at least one follow-up contact dated in (exit, window end] whose "
        "family is not unreachable; over mature exits.",
    ),
}

_LABEL_FR = {"training": "Formation", "employment": "Accès à l'emploi"}
_LABEL_EN = {"training": "Training", "employment": "Access to employment"}


def _class_definition(family: str) -> Definition:
    return Definition(
        _LABEL_FR.get(family, family),
        _LABEL_EN.get(family, family.replace("_", " ").capitalize()),
        f"Sorties mûres hors abandon dont la première situation positive de la fenêtre est "
        f"de la famille {family} (même jour : ordre de outcomes.positive, puis secteur "
        f"numérique) ; sur les sorties mûres.",
        f"Mature exits, dropouts excepted, whose first positive outcome in the window is of "
        f"family {family} (same day: order of outcomes.positive, then sector digital); over "
        f"mature exits.",
    )


def _share_definition(family: str) -> Definition:
    return Definition(
        f"dont numérique ({_LABEL_FR.get(family, family).lower()})",
        f"of which digital ({family})",
        f"Part de la classe {family} dont la première situation positive a le secteur "
        f"numérique ; sur la classe {family}.",
        f"Share of class {family} whose first positive outcome has sector digital; over "
        f"class {family}.",
    )


@attrs.frozen
class KeyFigures:
    """Outcome classes of mature exits: dropout, each positive family, none."""

    name: str = "key_figures"
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
