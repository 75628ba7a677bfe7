"""The Fabrique numérique de Gonesse's own plugin: a site customises without forking.

It adds one indicator set, ``gonesse``, beside the built-in ones: the digital
part of every positive outcome (``gonesse_figures.py``). Register it through
the plugin manager (``pm.register(gonesse_site)``), as ``demo.py`` does, or
install ``examples/gonesse`` (distribution ``insertion-core-gonesse-site``)
and its entry point registers it everywhere.

Every ``insertion`` command loads the installed plugins before it parses its
arguments, so this module imports nothing heavy: the set and the outcome
engine it uses are imported when the hook is called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from insertion_core import hookimpl

__all__ = ["register_indicator_sets"]


@hookimpl
def register_indicator_sets(register: Callable[[Any], None]) -> None:
    """Offer the ``gonesse`` set to ``insertion report --set gonesse``."""
    from gonesse_figures import GonesseFigures

    register(GonesseFigures())
