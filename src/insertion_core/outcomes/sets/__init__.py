"""The built-in indicator sets: key_figures, esf_plus, dynamic_exits, followup."""

from __future__ import annotations

from ..definitions import IndicatorSet
from .dynamic_exits import DynamicExits
from .esf_plus import EsfPlus
from .followup import FollowUp
from .key_figures import KeyFigures

__all__ = ["BUILTIN_SETS", "DynamicExits", "EsfPlus", "FollowUp", "KeyFigures", "builtin_sets"]

BUILTIN_SETS: tuple[IndicatorSet, ...] = (KeyFigures(), EsfPlus(), DynamicExits(), FollowUp())


def builtin_sets() -> dict[str, IndicatorSet]:
    """The built-in sets by name."""
    return {s.name: s for s in BUILTIN_SETS}
