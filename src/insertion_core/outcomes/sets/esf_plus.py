"""The ESF+ common indicators: result rates on L4 / L6, output counts split by gender."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

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

_L4_FR = "sur les sortants (hors sorties neutralisées) sortis depuis au moins 28 jours"
_L4_EN = "over leavers (neutralised exits excepted) who left at least 28 days ago"

_RESULTS = (
    RateDef(
        "esf_job_searching_upon_leaving",
        "esf_plus.job_searching_upon_leaving",
        L4,
        Definition(
            "En recherche d'emploi à la sortie",
            "Job searching upon leaving",
            f"En recherche d'emploi dans les quatre semaines suivant la sortie ; {_L4_FR}.",
            f"Searching for a job within four weeks of leaving; {_L4_EN}.",
        ),
    ),
    RateDef(
        "esf_education_training_upon_leaving",
        "esf_plus.training_upon_leaving",
        L4,
        Definition(
            "En formation à la sortie",
            "In education or training upon leaving",
            f"En études ou en formation dans les quatre semaines suivant la sortie ; {_L4_FR}.",
            f"In education or training within four weeks of leaving; {_L4_EN}.",
        ),
    ),
    RateDef(
        "esf_employment_upon_leaving",
        "esf_plus.employment_upon_leaving",
        L4,
        Definition(
            "En emploi à la sortie",
            "In employment upon leaving",
            "En emploi (travail indépendant compris) dans les quatre semaines suivant la "
            f"sortie ; {_L4_FR}.",
            f"In employment (self-employment included) within four weeks of leaving; {_L4_EN}.",
        ),
    ),
    RateDef(
        "esf_employment_six_months",
        "esf_plus.employment_six_months",
        L6,
        Definition(
            "En emploi six mois après la sortie",
            "In employment six months after leaving",
            "En emploi six mois après la sortie (la situation connue la plus proche de cette "
            "date, à un mois près) ; sur les sortants (hors sorties neutralisées) sortis depuis "
            "au moins sept mois.",
            "In employment six months after leaving (the known situation nearest that day, "
            "within a month); over leavers (neutralised exits excepted) who left at least "
            "seven months ago.",
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
        "Sans diplôme ou jusqu'au brevet (niveaux 0 à 2 de la CITE).",
        "No qualification up to lower secondary (ISCED levels 0 to 2).",
    ),
    (
        "esf_isced_3_4",
        "esf_plus.isced_3_4",
        "CITE 3-4",
        "ISCED 3-4",
        "Niveau CAP, BEP ou baccalauréat (niveaux 3 et 4 de la CITE).",
        "Upper secondary or post-secondary non-tertiary (ISCED levels 3 and 4).",
    ),
    (
        "esf_isced_5_8",
        "esf_plus.isced_5_8",
        "CITE 5-8",
        "ISCED 5-8",
        "Études supérieures (niveaux 5 à 8 de la CITE).",
        "Tertiary education (ISCED levels 5 to 8).",
    ),
    (
        "esf_unemployed",
        "esf_plus.unemployed",
        "Chômeurs (dont longue durée)",
        "Unemployed, including long-term",
        "Demandeurs d'emploi à l'entrée, de longue durée ou non (règle FSE+).",
        "Unemployed at entry, long-term or not (ESF+ rule).",
    ),
    (
        "esf_long_term_unemployed",
        "esf_plus.long_term_unemployed",
        "Chômeurs de longue durée",
        "Long-term unemployed",
        "Demandeurs d'emploi de longue durée à l'entrée.",
        "Long-term unemployed at entry.",
    ),
    (
        "esf_inactive",
        "esf_plus.inactive",
        "Inactifs",
        "Inactive",
        "Ni en emploi ni demandeurs d'emploi à l'entrée.",
        "Neither employed nor unemployed at entry.",
    ),
    (
        "esf_qpv_residents",
        "esf_plus.qpv_residents",
        "Résidents QPV",
        "QPV residents",
        "Participants résidant dans un quartier prioritaire de la politique de la ville.",
        "Participants living in a priority neighbourhood (quartier prioritaire, QPV).",
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
    #: The fact fields ``contributions`` reads (stored facts are grouped on them).
    reads: ClassVar[tuple[str, ...]] = (
        "population",
        "in_l4",
        "job_searching_upon_leaving",
        "training_upon_leaving",
        "employment_upon_leaving",
        "in_l6",
        "employment_six_months",
        "gender",
        "age_at_entry",
        "education_level",
        "status_at_entry",
        "qpv",
    )
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
