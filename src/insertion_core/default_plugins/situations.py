"""Built-in plugin: the situation families every programme knows."""

from __future__ import annotations

from collections.abc import Callable

from ..hookspecs import hookimpl


@hookimpl(trylast=True)
def register_situation_families(register: Callable[[str], None]) -> None:
    """employment, training, civic_service, job_search, inactive, unreachable, other."""
    from ..domain.situations import BUILTIN_FAMILIES

    for family in BUILTIN_FAMILIES:
        register(family)
