"""insertion-core: participants, phases, exits, follow-up and outcome figures
for socio-professional insertion programmes.

The public API: the domain values and lifecycle (:mod:`insertion_core.domain`),
the :class:`Workspace` service layer, the plugin system (:func:`get_plugin_manager`,
:data:`hookimpl`) and the errors.

Each public name is imported on first use (PEP 562), so that importing the
pure domain does not load the plugin system, click or SQLAlchemy, and the
``insertion`` command starts without loading what it does not run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .lazy import lazy_exports

if TYPE_CHECKING:
    from .domain import (
        AttendanceRecord,
        Cohort,
        Exit,
        FollowUpContact,
        Journey,
        Participant,
        PersonalData,
        Programme,
        Situation,
    )
    from .errors import (
        ConfigError,
        ConflictError,
        DataError,
        InsertionError,
        LifecycleError,
        NotFoundError,
        PluginError,
        StorageError,
    )
    from .hookspecs import hookimpl
    from .plugins import get_plugin_manager
    from .programme_file import load_programme
    from .workspace import Workspace

    __version__: str

__all__ = [
    "AttendanceRecord",
    "Cohort",
    "ConfigError",
    "ConflictError",
    "DataError",
    "Exit",
    "FollowUpContact",
    "InsertionError",
    "Journey",
    "LifecycleError",
    "NotFoundError",
    "Participant",
    "PersonalData",
    "PluginError",
    "Programme",
    "Situation",
    "StorageError",
    "Workspace",
    "__version__",
    "get_plugin_manager",
    "hookimpl",
    "load_programme",
]

#: The module each public name comes from (the names of the ``TYPE_CHECKING`` block).
_HOMES: dict[str, tuple[str, ...]] = {
    ".domain": (
        "AttendanceRecord",
        "Cohort",
        "Exit",
        "FollowUpContact",
        "Journey",
        "Participant",
        "PersonalData",
        "Programme",
        "Situation",
    ),
    ".errors": (
        "ConfigError",
        "ConflictError",
        "DataError",
        "InsertionError",
        "LifecycleError",
        "NotFoundError",
        "PluginError",
        "StorageError",
    ),
    ".hookspecs": ("hookimpl",),
    ".plugins": ("get_plugin_manager",),
    ".programme_file": ("load_programme",),
    ".workspace": ("Workspace",),
}

_public = lazy_exports(__name__, _HOMES)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use, then keep it here."""
    if name != "__version__":
        return _public(name)
    from .distributions import distribution_version

    # "0+unknown": running from a source tree that is not installed
    found = distribution_version("insertion-core") or "0+unknown"
    globals()["__version__"] = found
    return found


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
