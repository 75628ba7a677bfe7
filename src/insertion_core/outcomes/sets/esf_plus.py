"""The ESF+ common indicators: result rates on L4 / L6, output counts split by gender."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ...domain.codes import EducationLevel, StatusAtEntry
from ...domain.programme import Programme
from ..definitions import CountDef, Definition, IndicatorDef, RateDef, Relation, gender_key
from ..facts import OutcomeFacts

__all__ = ["EsfPlus"]

L4 = "esf_plus.l4"
L6 = "esf_plus.l6"
SELECTED = "population.selected"
#: Never published: leavers not yet in L4 / L6, and participants with no education level.
#: They tie the bases and the ISCED counts to the population for disclosure control.
L4_WAITING = "esf_plus.l4_waiting"
L6_WAITING = "esf_plus.l6_waiting"
ISCED_UNKNOWN = "esf_plus.isced_unknown"
_LEAVERS = ("population.pending", "population.mature")

_L4_FR = "sur L4 : sorties non neutralisées avec sortie + 28 jours ≤ date d'arrêté"
_L4_EN = "over L4: non-neutralised exits with exit + 28 days ≤ as_of"

_RESULTS = (
    RateDef(
        "esf_job_searching_upon_leaving",
        "esf_plus.job_searching_upon_leaving",
        L4,
        Definition(
            "En recherche d'emploi à la sortie",
            "Job searching upon leaving",
            "Une observation de la famille job_search datée dans [sortie, sortie + 28 j] ; "
            f"{_L4_FR}.",
            f"An observation of family job_search dated in [exit, exit + 28 days]; {_L4_EN}.",
        ),
    ),
    RateDef(
        "esf_education_training_upon_leaving",
        "esf_plus.training_upon_leaving",
        L4,
        Definition(
            "En formation à la sortie",
            "In education or training upon leaving",
            "Une observation de la famille training datée dans [sortie, sortie + 28 j] ; "
            f"{_L4_FR}.",
            f"An observation of family training dated in [exit, exit + 28 days]; {_L4_EN}.",
        ),
    ),
    RateDef(
        "esf_employment_upon_leaving",
        "esf_plus.employment_upon_leaving",
        L4,
        Definition(
            "En emploi à la sortie",
            "In employment upon leaving",
            "Une observation de la famille employment (travail indépendant compris) datée dans "
            f"[sortie, sortie + 28 j] ; {_L4_FR}.",
            "An observation of family employment (self-employment included) dated in "
            f"[exit, exit + 28 days]; {_L4_EN}.",
        ),
    ),
    RateDef(
        "esf_employment_six_months",
        "esf_plus.employment_six_months",
        L6,
        Definition(
            "En emploi six mois après la sortie",
            "In employment six months after leaving",
            "Parmi les observations à 31 jours au plus de sortie + 6 mois, les plus proches "
            "(d'un côté ou de l'autre) comprennent un emploi ; sur L6 : sorties non "
            "neutralisées avec sortie + 6 mois + 31 jours ≤ date d'arrêté.",
            "Among observations within 31 days of exit + 6 months, those nearest (either "
            "side) include an employment; over L6: non-neutralised exits with exit + 6 "
            "months + 31 days ≤ as_of.",
        ),
    ),
)

_OUTPUTS: tuple[tuple[str, ...], ...] = (
    (
        "esf_participants",
        SELECTED,
        "Participants",
        "Participants",
        "Tous les participants sélectionnés.",
        "All the selected participants.",
    ),
    (
        "esf_under_18",
        "esf_plus.under_18",
        "Moins de 18 ans",
        "Below 18",
        "Âge en années révolues à l'entrée inférieur à 18.",
        "Age in whole years at entry below 18.",
    ),
    (
        "esf_age_18_29",
        "esf_plus.age_18_29",
        "18-29 ans",
        "Aged 18 to 29",
        "Âge en années révolues à l'entrée de 18 à 29 ans inclus.",
        "Age in whole years at entry from 18 to 29 inclusive.",
    ),
    (
        "esf_isced_0_2",
        "esf_plus.isced_0_2",
        "CITE 0-2",
        "ISCED 0-2",
        "Niveau de formation aucun, 1 ou 2.",
        "Education level none, 1 or 2.",
    ),
    (
        "esf_isced_3_4",
        "esf_plus.isced_3_4",
        "CITE 3-4",
        "ISCED 3-4",
        "Niveau de formation 3 ou 4.",
        "Education level 3 or 4.",
    ),
    (
        "esf_isced_5_8",
        "esf_plus.isced_5_8",
        "CITE 5-8",
        "ISCED 5-8",
        "Niveau de formation 5 ou plus.",
        "Education level 5 or above.",
    ),
    (
        "esf_unemployed",
        "esf_plus.unemployed",
        "Chômeurs (dont longue durée)",
        "Unemployed, including long-term",
        "Statut à l'entrée unemployed ou long_term_unemployed (règle FSE+).",
        "Status at entry unemployed or long_term_unemployed (ESF+ rule).",
    ),
    (
        "esf_long_term_unemployed",
        "esf_plus.long_term_unemployed",
        "Chômeurs de longue durée",
        "Long-term unemployed",
        "Statut à l'entrée long_term_unemployed.",
        "Status at entry long_term_unemployed.",
    ),
    (
        "esf_inactive",
        "esf_plus.inactive",
        "Inactifs",
        "Inactive",
        "Statut à l'entrée inactive.",
        "Status at entry inactive.",
    ),
    (
        "esf_qpv_residents",
        "esf_plus.qpv_residents",
        "Résidents QPV",
        "QPV residents",
        "Résident d'un quartier prioritaire (qpv oui).",
        "Resident of a priority neighbourhood (qpv yes).",
    ),
)

_ISCED_0_2 = (EducationLevel.NONE, EducationLevel.L1, EducationLevel.L2)
_ISCED_3_4 = (EducationLevel.L3, EducationLevel.L4)
_UNEMPLOYED = (StatusAtEntry.UNEMPLOYED, StatusAtEntry.LONG_TERM_UNEMPLOYED)


def _output_cells(facts: OutcomeFacts) -> Iterable[str]:
    age = facts.age_at_entry
    level = facts.education_level
    status = facts.status_at_entry
    yield SELECTED
    if age is not None and age < 18:
        yield "esf_plus.under_18"
    if age is not None and 18 <= age <= 29:
        yield "esf_plus.age_18_29"
    if level in _ISCED_0_2:
        yield "esf_plus.isced_0_2"
    elif level in _ISCED_3_4:
        yield "esf_plus.isced_3_4"
    elif level is not None:
        yield "esf_plus.isced_5_8"
    if status in _UNEMPLOYED:
        yield "esf_plus.unemployed"
    if status is StatusAtEntry.LONG_TERM_UNEMPLOYED:
        yield "esf_plus.long_term_unemployed"
    if status is StatusAtEntry.INACTIVE:
        yield "esf_plus.inactive"
    if facts.qpv:
        yield "esf_plus.qpv_residents"


@attrs.frozen
class EsfPlus:
    """ESF+ result indicators (upon leaving, six months after) and output counts."""

    name: str = "esf_plus"
    definitions_version: str = "1"

    def indicators(self, programme: Programme) -> Sequence[IndicatorDef]:
        """Four result rates, then the output counts."""
        outputs = [CountDef(i, cell, Definition(*texts)) for i, cell, *texts in _OUTPUTS]
        return [*_RESULTS, *outputs]

    def relations(self, programme: Programme) -> Sequence[Relation]:
        """Each output count is the sum of its gender split; L4 and L6 are the leavers less
        those still waiting; the ISCED counts and the unknown level make up the selection."""
        by_gender = [
            Relation(count.cell, count.gender_cells)
            for count in self.indicators(programme)
            if isinstance(count, CountDef)
        ]
        isced = ("esf_plus.isced_0_2", "esf_plus.isced_3_4", "esf_plus.isced_5_8", ISCED_UNKNOWN)
        return (
            *by_gender,
            Relation(L4, (*_LEAVERS, L4_WAITING), (1, 1, -1)),
            Relation(L6, (*_LEAVERS, L6_WAITING), (1, 1, -1)),
            Relation(SELECTED, isced),
        )

    def contributions(self, programme: Programme, facts: OutcomeFacts) -> Iterable[str]:
        """Result flags for L4 / L6 members; every output count with its gender cell."""
        if facts.in_l4:
            yield L4
            if facts.job_searching_upon_leaving:
                yield "esf_plus.job_searching_upon_leaving"
            if facts.training_upon_leaving:
                yield "esf_plus.training_upon_leaving"
            if facts.employment_upon_leaving:
                yield "esf_plus.employment_upon_leaving"
        elif facts.exited:
            yield L4_WAITING
        if facts.in_l6:
            yield L6
            if facts.employment_six_months:
                yield "esf_plus.employment_six_months"
        elif facts.exited:
            yield L6_WAITING
        if facts.education_level is None:
            yield ISCED_UNKNOWN
        gender = gender_key(facts)
        for cell in _output_cells(facts):
            if cell != SELECTED:
                yield cell
            yield f"{cell}.{gender}"
