"""Built-in plugin: the eligibility rules a programme's ``[eligibility]`` table configures."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..hookspecs import hookimpl

if TYPE_CHECKING:
    from ..domain.eligibility import EligibilityRule


@hookimpl(trylast=True)
def register_eligibility_rules(register: Callable[[EligibilityRule], None]) -> None:
    """min_age, max_age and max_education_level."""
    from ..domain.eligibility import builtin_rules

    for rule in builtin_rules():
        register(rule)
