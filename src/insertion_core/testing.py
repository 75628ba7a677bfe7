"""Pytest plugin shipped with insertion-core, for the tests of plugin authors.

``pyproject.toml`` registers this module in the ``pytest11`` entry point group,
so pytest imports it in every environment where insertion-core is installed:
it must exist and import cleanly even before it offers any fixture.
"""

from __future__ import annotations

__all__: list[str] = []
