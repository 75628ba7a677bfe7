"""Priority-neighbourhood residents only: an eligibility rule a programme switches on.

A programme opts in with its own table in the programme file::

    [plugins.qpv_only]
    require_qpv = true

Programmes without the table are not affected. As with the built-in rules,
missing data never refuses anyone: a participant whose ``qpv`` column is empty
is enrolled with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from insertion_core import ConfigError, Participant, Programme, hookimpl
from insertion_core.domain import EligibilityRule, Verdict

__all__ = ["QpvResident", "register_eligibility_rules"]

TABLE = "qpv_only"
KEYS = {"require_qpv"}


@attrs.frozen
class QpvResident:
    """Participants must live in a priority neighbourhood (QPV) when the programme asks."""

    name: str = "qpv_resident"

    def check(self, programme: Programme, participant: Participant) -> Verdict | None:
        """None when the programme does not ask; unknown without a ``qpv`` value."""
        if not self.required(programme):
            return None
        if participant.qpv is None:
            return Verdict.unknown(self.name, "no qpv value, so residence in a QPV was not checked")
        if not participant.qpv:
            return Verdict.failed(self.name, "does not live in a priority neighbourhood (QPV)")
        return Verdict.ok(self.name)

    def required(self, programme: Programme) -> bool:
        """What ``[plugins.qpv_only]`` says; a wrong key or value names itself."""
        table: dict[str, Any] | None = programme.plugin_config.get("plugins", {}).get(TABLE)
        if table is None:
            return False
        for key in sorted(set(table) - KEYS):
            raise ConfigError(f"programme {programme.id}: plugins.{TABLE}.{key}: unknown key")
        required = table.get("require_qpv", True)
        if not isinstance(required, bool):
            raise ConfigError(
                f"programme {programme.id}: plugins.{TABLE}.require_qpv: "
                f"expected true or false, got {required!r}"
            )
        return required


@hookimpl
def register_eligibility_rules(register: Callable[[EligibilityRule], None]) -> None:
    """Add the ``qpv_resident`` rule beside the programme's own."""
    register(QpvResident())
