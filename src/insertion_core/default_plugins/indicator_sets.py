"""Built-in plugin: the indicator sets key_figures, esf_plus, dynamic_exits and followup."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..hookspecs import hookimpl

if TYPE_CHECKING:
    from ..outcomes.definitions import IndicatorSet


@hookimpl(trylast=True)
def register_indicator_sets(register: Callable[[IndicatorSet], None]) -> None:
    """Register each built-in :class:`~insertion_core.outcomes.IndicatorSet`."""
    from ..outcomes.sets import BUILTIN_SETS

    for indicator_set in BUILTIN_SETS:
        register(indicator_set)
