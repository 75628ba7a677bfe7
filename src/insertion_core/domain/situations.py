"""Situation codes ``family[.sector]``: what a participant is doing at a date."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

import attrs

__all__ = ["BUILTIN_FAMILIES", "Sector", "Situation", "SituationFamilies"]

BUILTIN_FAMILIES: tuple[str, ...] = (
    "employment",
    "training",
    "civic_service",
    "job_search",
    "inactive",
    "unreachable",
    "other",
)

_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")


class Sector(enum.StrEnum):
    """Whether a situation is in the digital sector; a missing sector is ``other``."""

    DIGITAL = "digital"
    OTHER = "other"


def _family_code(family: str) -> str:
    return family.strip().lower()


@attrs.frozen(order=True)
class Situation:
    """A situation code, compared in lower case, sector ``other`` when missing."""

    family: str = attrs.field(converter=_family_code)
    sector: Sector = attrs.field(default=Sector.OTHER, converter=Sector)

    @property
    def code(self) -> str:
        """The canonical text ``family.sector``."""
        return f"{self.family}.{self.sector._value_}"  # _value_: no descriptor call (a hot path)

    def __str__(self) -> str:
        return self.code


@attrs.frozen
class SituationFamilies:
    """The families a programme may use: built-in ones, the programme's, and plugins'."""

    names: frozenset[str] = frozenset(BUILTIN_FAMILIES)

    @staticmethod
    def is_valid_name(name: str) -> bool:
        """A family name is a lower-case slug (letters, digits, underscores)."""
        return bool(_SLUG.match(name))

    def with_families(self, extra: Iterable[str]) -> SituationFamilies:
        """These families and ``extra``."""
        extra_names: frozenset[str] = frozenset(extra)
        return SituationFamilies(self.names | extra_names)

    def parse(self, text: str) -> Situation:
        """Read ``family`` or ``family.sector`` in any letter case.

        :raises ValueError: naming the unknown family or sector.
        """
        code = text.strip().lower()
        if not code:
            raise ValueError("empty situation code")
        family, dot, sector = code.partition(".")
        if family not in self.names:
            raise ValueError(
                f"unknown situation family {family!r}, expected one of: "
                + ", ".join(sorted(self.names))
            )
        if not dot:
            return Situation(family)
        try:
            return Situation(family, Sector(sector))
        except ValueError:
            raise ValueError(
                f"unknown sector {sector!r} in situation {text.strip()!r}, expected digital or other"
            ) from None
