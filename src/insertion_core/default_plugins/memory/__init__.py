"""Built-in plugin: the in-memory storage (``memory://``), for tests, demos and dry runs.

The storage itself (:mod:`.storage`) loads when a ``memory://`` URL is opened
or one of its names is used, not when the plugin is registered: every
``insertion`` command registers it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...hookspecs import hookimpl
from ...lazy import lazy_exports

if TYPE_CHECKING:
    from .storage import MemoryStorage, MemoryUnitOfWork

__all__ = ["MemoryStorage", "MemoryUnitOfWork", "get_storage"]

__getattr__ = lazy_exports(__name__, {".storage": ("MemoryStorage", "MemoryUnitOfWork")})


@hookimpl(trylast=True)
def get_storage(url: str) -> MemoryStorage | None:
    """A new, private in-memory storage for a ``memory://`` URL, or None."""
    if not url.startswith("memory://"):
        return None
    from .storage import MemoryStorage

    return MemoryStorage(url)
