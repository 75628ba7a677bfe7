"""A programme's outcome report, from its storage: what it counts, computed, then rendered.

The assembly behind :meth:`~insertion_core.workspace.Workspace.report` and
:meth:`~insertion_core.workspace.Workspace.render_report`: it picks the
cheapest input the storage offers (stored fact groups, facts computed where
the data lives, or journeys) and hands it to the outcome engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal

from . import clock
from .domain.journey import Journey
from .domain.programme import Programme
from .errors import NotFoundError
from .outcomes import OutcomeFacts, Report, compute_report
from .outcomes.engine import report_parts
from .outcomes.groups import FactsGroup, GroupPart
from .outcomes.selection import Basis
from .storage import FactsSource, Storage, StoredFactsSource

if TYPE_CHECKING:
    from .hooks import Hooks

__all__ = ["build_report", "render_report", "report_input"]


def report_input(
    storage: Storage,
    programme: Programme,
    as_of: dt.date,
    selection: tuple[Basis, dt.date | None, dt.date],
    parts: list[GroupPart],
) -> Iterator[Journey | OutcomeFacts | FactsGroup]:
    """What a report counts: stored fact groups, the storage's facts, or journeys.

    A storage whose unit of work is a
    :class:`~insertion_core.storage.StoredFactsSource` counts the settled
    participants selected (``selection``: basis, start, end) by groups, one
    query per report part (``parts``); a :class:`~insertion_core.storage.FactsSource`
    computes the facts where the data lives; for the others the engine runs
    the reference implementation over each journey.
    """
    with storage.unit_of_work(read_only=True) as uow:
        if isinstance(uow, StoredFactsSource):
            yield from uow.settled_outcome_facts(programme, as_of, selection, parts)
        elif isinstance(uow, FactsSource):
            yield from uow.outcome_facts(programme, as_of)
        else:
            yield from uow.journeys.iter(programme.id)


def build_report(
    storage: Storage,
    hooks: Hooks,
    programme: Programme,
    day: dt.date,
    *,
    basis: Literal["entry", "exit"] | None,
    start: dt.date | None,
    end: dt.date | None,
    sets: Sequence[str] | None,
    by: Sequence[str],
    min_cell: int | None,
    audience: Literal["internal", "public"] | None,
) -> Report:
    """The programme's outcome report on ``day``, with the indicator sets plugins register."""
    registry = hooks.indicator_sets()
    parts = report_parts(programme, basis, sets, by, registry)
    selection = (basis or programme.reporting.basis, start, day if end is None else end)
    return compute_report(
        programme,
        report_input(storage, programme, day, selection, parts),
        day,
        basis=basis,
        start=start,
        end=end,
        sets=sets,
        by=by,
        min_cell=min_cell,
        audience=audience,
        indicator_sets=registry,
        generated_at=clock.now(),
    )


def render_report(hooks: Hooks, report: Report, format_name: str) -> str | bytes:
    """The report written in a format of the ``register_report_formats`` plugins.

    :raises NotFoundError: no plugin provides ``format_name`` (the message lists those that do).
    """
    formats = hooks.report_formats()
    if format_name not in formats:
        raise NotFoundError(
            f"unknown format {format_name!r}; available: {', '.join(sorted(formats))}"
        )
    return formats[format_name].render(report)
