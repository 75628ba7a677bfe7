"""insertion-core: participants, phases, exits, follow-up and outcome figures
for socio-professional insertion programmes.

The public API: the domain values and lifecycle (:mod:`insertion_core.domain`),
the :class:`Workspace` service layer, the plugin system (:func:`get_plugin_manager`,
:data:`hookimpl`) and the errors.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("insertion-core")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

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
    load_programme,
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
from .workspace import Workspace

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
