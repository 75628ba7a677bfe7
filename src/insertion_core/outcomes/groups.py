"""Groups of equal facts, counted at once: what a storage's stored facts hand the engine.

A storage that keeps settled facts as rows (docs/architecture.md, Stored facts)
counts them with ``GROUP BY`` queries, one per *part* of the report:

- the population part: population counts, the gender counts of the gender X
  merge, the earliest basis date, the completeness counts and the data
  fingerprint (sums of the facts' SHA-256 values);
- the time-to-outcome part: the leavers per ``(t, event)``;
- one part per indicator set.

Each part is grouped only on the fields it and the breakdowns read, so groups
stay few. Each group is one representative fact and how many participants
share it; the engine counts it as ``count`` copies of its fact for that part
only, so the report is the same as from the participants one by one. A set
that does not name what it reads (``reads``) gets a part with no grouping
(``fields`` None): one group per participant, with its whole stored fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import attrs

from .breakdowns import Dimension
from .definitions import IndicatorSet
from .facts import OutcomeFacts
from .selection import Basis

__all__ = [
    "CHUNKS",
    "CHUNK_BITS",
    "POPULATION_PART",
    "TIMES_PART",
    "FactsGroup",
    "GroupPart",
    "GroupedSet",
    "digest_total",
    "group_parts",
]

_MODULUS = 1 << 256
#: The SHA-256 of a fact is stored as eight 32-bit chunks, most significant first.
CHUNKS = 8
CHUNK_BITS = 32
#: The names of the two parts that are not indicator sets (no set name starts with ``@``).
POPULATION_PART = "@population"
TIMES_PART = "@time_to_outcome"


def digest_total(chunk_sums: Sequence[int]) -> int:
    """The sum modulo 2**256 of SHA-256 values, from the sums of their 32-bit chunks."""
    if len(chunk_sums) != CHUNKS:
        raise ValueError(f"expected {CHUNKS} chunk sums, got {len(chunk_sums)}")
    total = 0
    for i, part in enumerate(chunk_sums):
        total += int(part) << (CHUNK_BITS * (CHUNKS - 1 - i))
    return total % _MODULUS


@runtime_checkable
class GroupedSet(Protocol):
    """An indicator set that names the fact fields its ``contributions`` read.

    Such sets are counted by groups; the built-in ones all are.
    """

    name: str
    reads: tuple[str, ...]


@attrs.frozen
class GroupPart:
    """One grouped query: ``part`` is a set's name, :data:`POPULATION_PART` or :data:`TIMES_PART`.

    ``fields`` are the fact fields grouped on (``entry_year`` / ``exit_year``
    stand for the year of a date); None means not grouped: one group per
    participant with every field.
    """

    part: str
    fields: tuple[str, ...] | None


def group_parts(sets: Sequence[IndicatorSet], dimensions: Sequence[Dimension]) -> list[GroupPart]:
    """The parts of a report; each groups on the population and the breakdowns' fields too."""
    shared = ("population", *(field for d in dimensions for field in d.reads))
    parts = [
        GroupPart(POPULATION_PART, tuple(dict.fromkeys((*shared, "gender")))),
        GroupPart(TIMES_PART, tuple(dict.fromkeys(shared))),
    ]
    for indicator_set in sets:
        if isinstance(indicator_set, GroupedSet):
            fields = tuple(dict.fromkeys((*shared, *indicator_set.reads)))
            parts.append(GroupPart(indicator_set.name, fields))
        else:
            parts.append(GroupPart(indicator_set.name, None))
    return parts


@attrs.frozen
class FactsGroup:
    """``count`` selected participants whose facts agree with ``facts`` on the part's fields.

    The other fields of ``facts`` hold defaults. In the population part,
    ``total`` is the sum modulo 2**256 of their facts' SHA-256 (see
    :class:`~insertion_core.outcomes.provenance.FactsDigest`), ``earliest``
    their earliest basis date and ``known`` how many have each optional field
    (:data:`~insertion_core.outcomes.engine.KNOWN_FIELDS` order). In the
    time-to-outcome part, ``leaver`` is their ``(t, event)``. In a set's part
    only that set's cells are counted. The group was selected for ``basis``
    and ``[start, end]``, which the engine checks.
    """

    part: str
    facts: OutcomeFacts
    count: int
    basis: Basis
    start: dt.date | None
    end: dt.date
    total: int = 0
    earliest: dt.date | None = None
    known: tuple[int, ...] = ()
    leaver: tuple[int, bool] | None = None
