"""Built-in plugin: the eligibility rules a programme's ``[eligibility]`` table configures."""

from __future__ import annotations

from collections.abc import Callable

from ..domain.eligibility import EligibilityRule, builtin_rules
from ..hookspecs import hookimpl


@hookimpl(trylast=True)
def register_eligibility_rules(register: Callable[[EligibilityRule], None]) -> None:
    """min_age, max_age and max_education_level."""
    for rule in builtin_rules():
        register(rule)
