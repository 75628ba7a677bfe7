"""Lazy package exports (PEP 562): a name is imported from its module on first use.

A package lists its public names by module and gets a module ``__getattr__``,
so importing the package costs nothing until a name is used. That keeps
``import insertion_core.domain`` free of the plugin system, and every
``insertion`` command free of SQLAlchemy until it opens a database.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, homes: Mapping[str, tuple[str, ...]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports each name from its home module.

    :param package: the package's ``__name__``.
    :param homes: relative module name -> the public names it defines.
    """
    home_of = {name: module for module, names in homes.items() for name in names}
    namespace = vars(sys.modules[package])

    def __getattr__(name: str) -> Any:
        if name not in home_of:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home_of[name], package), name)
        namespace[name] = value  # the next lookup finds it without this function
        return value

    return __getattr__
