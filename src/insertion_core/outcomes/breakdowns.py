"""Breakdown dimensions: which group of a dimension a fact belongs to, and the groups listed."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from ..domain.codes import EducationLevel
from .definitions import GENDER_KEYS, gender_key
from .facts import AGE_BANDS, OutcomeFacts
from .selection import Basis, basis_date

__all__ = ["DIMENSIONS", "YEAR", "Dimension", "year_dimension"]

UNKNOWN = "unknown"


def _education(facts: OutcomeFacts) -> str:
    return facts.education_level.value if facts.education_level else UNKNOWN


def _qpv(facts: OutcomeFacts) -> str:
    return UNKNOWN if facts.qpv is None else ("yes" if facts.qpv else "no")


@attrs.frozen
class Dimension:
    """A breakdown: ``key`` gives a fact's group; ``fixed`` groups are always listed, in order.

    ``reads`` names the fact fields ``key`` reads (``entry_year`` / ``exit_year``:
    only the year of that date), so that stored facts can be grouped on them.
    """

    name: str
    key: Callable[[OutcomeFacts], str]
    fixed: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()

    def groups(self, seen: Iterable[str]) -> list[str]:
        """The fixed groups in order, then any other group seen, sorted."""
        others = sorted(set(seen) - set(self.fixed))
        return [*self.fixed, *others]


DIMENSIONS: dict[str, Dimension] = {
    dim.name: dim
    for dim in (
        Dimension("gender", gender_key, GENDER_KEYS, ("gender",)),
        Dimension("age_band", lambda f: f.age_band, (*AGE_BANDS, UNKNOWN), ("age_at_entry",)),
        Dimension(
            "education",
            _education,
            (*(e.value for e in EducationLevel), UNKNOWN),
            ("education_level",),
        ),
        Dimension("qpv", _qpv, ("yes", "no", UNKNOWN), ("qpv",)),
        Dimension("cohort", lambda f: f.cohort_id, (), ("cohort_id",)),
    )
}

#: The breakdown by calendar year of the basis date (``--by year``).
YEAR = "year"


def year_dimension(basis: Basis) -> Dimension:
    """Groups by the year of the basis date: entry year on the entry basis, exit year on the exit one.

    Only selected facts are grouped, and a selected fact has its basis date.
    """

    def year(facts: OutcomeFacts) -> str:
        day = basis_date(facts, basis)
        return UNKNOWN if day is None else str(day.year)

    return Dimension(YEAR, year, reads=(f"{basis}_year",))
