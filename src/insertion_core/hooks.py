"""Typed calls of the plugin hooks: the only module that calls ``pm.hook.*``.

Contributions collected through ``register_*`` hooks are keyed by name; two
plugins contributing one name is a :class:`PluginError` naming both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import click
import pluggy

from .errors import PluginError, StorageError

if TYPE_CHECKING:
    from .domain.eligibility import EligibilityRule
    from .domain.events import Event
    from .storage import Storage
    from .workspace import Workspace

__all__ = ["EventFailure", "Hooks"]

log = logging.getLogger(__name__)

T = TypeVar("T")


@attrs.frozen
class EventFailure:
    """A plugin's ``on_event`` that raised: reported, never rolled back."""

    plugin: str
    event: str
    error: str


def _family_name(name: object) -> str:
    """A family name a plugin registered, if it is one (codes are read in lower case)."""
    from .domain.situations import SituationFamilies

    if not isinstance(name, str) or not SituationFamilies.is_valid_name(name):
        raise ValueError(
            f"{name!r} is not a situation family name "
            "(a lower-case slug: letters, digits and _, starting with a letter)"
        )
    return name


def _call_with(impl: pluggy.HookImpl) -> Callable[..., Any]:
    """Call a hook implementation with only the arguments it declares, as pluggy does."""

    def call(**kwargs: Any) -> Any:
        return impl.function(**{name: kwargs[name] for name in impl.argnames})

    return call


class Hooks:
    """The hooks of one plugin manager, as typed methods."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    def _implementations(self, hook_name: str) -> list[tuple[str, Callable[..., Any]]]:
        """(plugin name, function) in pluggy's call order: tryfirst first, trylast last."""
        caller = getattr(self.pm.hook, hook_name)
        return [(impl.plugin_name, _call_with(impl)) for impl in reversed(caller.get_hookimpls())]

    def _collect(self, hook_name: str, key: Callable[[T], str]) -> dict[str, T]:
        found: dict[str, T] = {}
        owner: dict[str, str] = {}
        for plugin, function in self._implementations(hook_name):

            def register(item: T, plugin: str = plugin) -> None:
                try:
                    name = key(item)
                except ValueError as error:
                    raise PluginError(f"{hook_name}: plugin {plugin}: {error}") from None
                if name in found:
                    raise PluginError(
                        f"{hook_name}: {name!r} is registered twice, "
                        f"by plugin {owner[name]} and by plugin {plugin}"
                    )
                found[name] = item
                owner[name] = plugin

            function(register=register)
        return found

    def storage(self, url: str) -> Storage:
        """The storage for ``url``, from the first plugin that accepts it."""
        storage: Storage | None = self.pm.hook.get_storage(url=url)
        if storage is None:
            scheme = url.partition(":")[0] or url
            raise StorageError(
                f"no storage plugin handles URLs of the form {scheme}:... "
                "(built in: sqlite:///FILE, postgresql+psycopg://..., memory://)"
            )
        return storage

    def situation_families(self) -> frozenset[str]:
        """Every situation family the plugins declare."""
        return frozenset(self._collect("register_situation_families", _family_name))

    def eligibility_rules(self) -> tuple[EligibilityRule, ...]:
        """Every eligibility rule, in registration order."""
        rules: dict[str, EligibilityRule] = self._collect(
            "register_eligibility_rules", lambda rule: rule.name
        )
        return tuple(rules.values())

    def indicator_sets(self) -> dict[str, Any]:
        """Indicator sets by name."""
        return self._collect("register_indicator_sets", lambda item: str(item.name))

    def report_formats(self) -> dict[str, Any]:
        """Report formats by name."""
        return self._collect("register_report_formats", lambda item: str(item.name))

    def notifiers(self) -> dict[str, Any]:
        """Notification channels by name."""
        return self._collect("register_notifiers", lambda item: str(item.name))

    def emit(self, events: Iterable[Event], workspace: Workspace) -> list[EventFailure]:
        """Hand each event to every ``on_event`` implementation; one failing does not stop the others."""
        failures = []
        implementations = self._implementations("on_event")
        for event in events:
            for plugin, function in implementations:
                try:
                    function(event=event, workspace=workspace)
                except Exception as error:  # a notifier must never undo committed data
                    log.error("plugin %s failed on event %s: %s", plugin, event.name, error)
                    failures.append(
                        EventFailure(plugin, event.name, f"{type(error).__name__}: {error}")
                    )
        return failures

    def add_commands(self, cli: click.Group) -> None:
        """Let plugins add their commands to the ``insertion`` group.

        A command name added by two plugins is a :class:`PluginError` naming
        both, rather than the later plugin silently replacing the earlier's.
        """
        owner = dict.fromkeys(cli.commands, "insertion")
        for plugin, function in self._implementations("register_commands"):
            before = dict(cli.commands)
            function(cli=cli)
            for name, command in cli.commands.items():
                if name in before and before[name] is not command:
                    raise PluginError(
                        f"register_commands: command {name!r} is added twice, "
                        f"by plugin {owner[name]} and by plugin {plugin}"
                    )
                owner.setdefault(name, plugin)
