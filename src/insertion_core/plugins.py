"""The plugin manager: loading, registering built-ins, and listing what is there.

Third-party plugins are found through the ``insertion_core`` entry point
group; the built-in ones are registered after them, the same way, from
:data:`DEFAULT_PLUGINS`. A plugin that fails to load is named and skipped,
so one broken plugin never takes the command line down; with the environment
variable ``INSERTION_STRICT_PLUGINS=1`` (as in CI) the failure is fatal.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Iterable

import attrs
import pluggy

from . import hookspecs
from .distributions import EntryPoint, entry_points
from .errors import PluginError
from .hookspecs import PROJECT

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "STRICT_ENV",
    "PluginFailure",
    "PluginInfo",
    "PluginManager",
    "get_plugin_manager",
]

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = PROJECT
STRICT_ENV = "INSERTION_STRICT_PLUGINS"
DISTRIBUTION = "insertion-core"

#: Built-in plugins, registered after entry points, exactly like third-party ones.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "insertion_core.default_plugins.sql",
    "insertion_core.default_plugins.memory",
    "insertion_core.default_plugins.situations",
    "insertion_core.default_plugins.eligibility",
    "insertion_core.default_plugins.console",
    "insertion_core.default_plugins.indicator_sets",
    "insertion_core.default_plugins.report_formats",
    "insertion_core.default_plugins.commands",
)


@attrs.frozen
class PluginInfo:
    """One registered plugin: its name, where it comes from, and the hooks it implements."""

    name: str
    distribution: str
    version: str
    hooks: tuple[str, ...]
    builtin: bool


@attrs.frozen
class PluginFailure:
    """A plugin that could not be registered, and why."""

    name: str
    distribution: str
    error: str


class PluginManager(pluggy.PluginManager):
    """A pluggy manager that also remembers where plugins came from and what failed."""

    def __init__(self) -> None:
        super().__init__(PROJECT)
        self.add_hookspecs(hookspecs)
        self.failures: list[PluginFailure] = []
        self.origins: dict[str, tuple[str, str, bool]] = {}

    def register_builtin(self, module_name: str) -> None:
        """Import and register one built-in plugin module under its own name."""
        module = importlib.import_module(module_name)
        self.register(module, name=module_name)
        self.origins[module_name] = (DISTRIBUTION, _own_version(), True)

    def plugin_infos(self) -> list[PluginInfo]:
        """Every registered plugin, third-party first, then built-ins, each by name."""
        infos = []
        for name, plugin in self.list_name_plugin():
            if plugin is None:
                continue
            distribution, dist_version, builtin = self.origins.get(name, ("", "", False))
            hooks = tuple(sorted(caller.name for caller in self.get_hookcallers(plugin) or []))
            infos.append(PluginInfo(name, distribution, dist_version, hooks, builtin))
        return sorted(infos, key=lambda info: (info.builtin, info.name))


def _own_version() -> str:
    from . import __version__  # read once, kept by the package

    return __version__


def _distribution(ep: EntryPoint) -> tuple[str, str]:
    return ep.dist.name, ep.dist.version


def is_strict() -> bool:
    """True when ``INSERTION_STRICT_PLUGINS`` asks for load failures to be fatal."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def get_plugin_manager(
    *,
    load_entry_points: bool = True,
    builtins: Iterable[str] = DEFAULT_PLUGINS,
    strict: bool | None = None,
) -> PluginManager:
    """A new plugin manager with the entry-point plugins and the built-ins registered.

    Each call builds a fresh manager, so tests never share state.

    :param load_entry_points: find third-party plugins in the ``insertion_core`` group.
    :param builtins: module names of the built-in plugins.
    :param strict: make a load failure raise :class:`PluginError`; by default
        read from ``INSERTION_STRICT_PLUGINS``.
    """
    strict = is_strict() if strict is None else strict
    pm = PluginManager()
    builtin_names = tuple(builtins)
    if load_entry_points:
        _load_entry_points(pm, entry_points(group=ENTRY_POINT_GROUP), builtin_names)
    for name in builtin_names:
        pm.register_builtin(name)
    if strict and pm.failures:
        raise PluginError(
            "; ".join(f"plugin {f.name} ({f.distribution}): {f.error}" for f in pm.failures)
        )
    pm.check_pending()
    return pm


def _load_entry_points(
    pm: PluginManager, eps: Iterable[EntryPoint], builtin_names: tuple[str, ...]
) -> None:
    by_name: dict[str, list[EntryPoint]] = {}
    for ep in eps:
        by_name.setdefault(ep.name, []).append(ep)
    for name, group in sorted(by_name.items()):
        sources = [_distribution(ep) for ep in group]
        if len(group) > 1 or name in builtin_names:
            owners = [f"{dist or '?'} {ver}".strip() for dist, ver in sources]
            if name in builtin_names:
                owners.append(DISTRIBUTION)
            for dist, _ in sources:
                _fail(
                    pm, name, dist, "plugin name used more than once: by " + " and by ".join(owners)
                )
            continue
        ep = group[0]
        dist, dist_version = sources[0]
        try:
            plugin = ep.load()
            if getattr(plugin, "__name__", None) in builtin_names:
                # registering it here would make the built-in's own registration fail later
                raise PluginError(f"the entry point names the built-in plugin {plugin.__name__}")
            pm.register(plugin, name=name)
        except Exception as error:  # a broken plugin must not take the host down
            _fail(pm, name, dist, f"{type(error).__name__}: {error}")
            continue
        try:
            pm.check_pending()  # a misspelled hook name fails here, naming this plugin
        except pluggy.PluginValidationError as error:
            pm.unregister(name=name)
            _fail(pm, name, dist, str(error))
            continue
        pm.origins[name] = (dist, dist_version, False)


def _fail(pm: PluginManager, name: str, distribution: str, error: str) -> None:
    log.warning("plugin %s (%s) was not loaded: %s", name, distribution or "?", error)
    pm.failures.append(PluginFailure(name, distribution, error))
