"""Typed calls of the plugin hooks: the only module that calls ``pm.hook.*``.

Every call goes through pluggy, so hook wrappers, ``pm.enable_tracing()`` and
``pm.add_hookcall_monitoring`` see it. The ``register_*`` hooks,
``register_commands`` and ``on_event`` are called once per implementing
plugin (:meth:`pluggy.PluginManager.subset_hook_caller`): the host then knows
which plugin contributed what, and one failing ``on_event`` does not stop the
others.

Contributions are keyed by name. A contribution from a ``trylast``
implementation (every built-in's) is a default: one from an ordinary
implementation replaces it. Two defaults, or two ordinary contributions, with
one name are a :class:`PluginError` naming both plugins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pluggy

from .errors import PluginError, StorageError

if TYPE_CHECKING:
    import click

    from .domain.eligibility import EligibilityRule
    from .domain.events import Event
    from .notify.notifier import Notifier
    from .outcomes.definitions import IndicatorSet
    from .reporting.formats import ReportFormat
    from .storage import Storage
    from .workspace import Workspace

__all__ = ["EventFailure", "Hooks", "PluginCall"]

log = logging.getLogger(__name__)

T = TypeVar("T")


@attrs.frozen
class EventFailure:
    """A plugin's ``on_event`` that raised: reported, never rolled back."""

    plugin: str
    event: str
    error: str


@attrs.frozen
class PluginCall:
    """One plugin's share of a hook: its name, whether it is a default, and the pluggy caller."""

    plugin: str
    default: bool
    call: Callable[..., Any]


def _family_name(name: object) -> str:
    """A family name a plugin registered, if it is one (codes are read in lower case)."""
    from .domain.situations import SituationFamilies

    if not isinstance(name, str) or not SituationFamilies.is_valid_name(name):
        raise ValueError(
            f"{name!r} is not a situation family name "
            "(a lower-case slug: letters, digits and _, starting with a letter)"
        )
    return name


class _Owners:
    """Who contributed each name, and the rule between defaults and overrides."""

    def __init__(self, hook_name: str, what: str, verb: str) -> None:
        self.hook_name = hook_name
        self.what = what
        self.verb = verb
        self.owner: dict[str, tuple[str, bool]] = {}

    def keep(self, name: str, plugin: str, default: bool) -> bool:
        """Whether this contribution is kept: False when a default meets an override."""
        if name not in self.owner:
            self.owner[name] = (plugin, default)
            return True
        first, first_default = self.owner[name]
        if first_default == default:
            raise PluginError(
                f"{self.hook_name}: {self.what}{name!r} is {self.verb} twice, "
                f"by plugin {first} and by plugin {plugin}"
            )
        if default:
            return False  # the override came first: the default stays out
        self.owner[name] = (plugin, default)
        return True


class Hooks:
    """The hooks of one plugin manager, as typed methods."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    def plugin_calls(self, hook_name: str) -> list[PluginCall]:
        """One caller per plugin implementing ``hook_name``, in pluggy's call order.

        Each caller is the hook with the other implementing plugins left out, so
        wrappers and tracing see the call. A plugin whose implementations are all
        ``trylast`` contributes defaults.
        """
        caller: pluggy.HookCaller = getattr(self.pm.hook, hook_name)
        plain = [i for i in caller.get_hookimpls() if not (i.wrapper or i.hookwrapper)]
        plugins: dict[str, list[pluggy.HookImpl]] = {}
        for impl in reversed(plain):  # tryfirst first, trylast last, as pluggy calls them
            plugins.setdefault(impl.plugin_name, []).append(impl)
        calls = []
        for name, impls in plugins.items():
            others = {i.plugin for i in plain if i.plugin_name != name}
            subset = self.pm.subset_hook_caller(hook_name, others)
            calls.append(PluginCall(name, all(i.trylast for i in impls), subset))
        return calls

    def _collect(self, hook_name: str, key: Callable[[T], str]) -> dict[str, T]:
        found: dict[str, T] = {}
        owners = _Owners(hook_name, "", "registered")
        for share in self.plugin_calls(hook_name):

            def register(item: T, share: PluginCall = share) -> None:
                try:
                    name = key(item)
                except ValueError as error:
                    raise PluginError(f"{hook_name}: plugin {share.plugin}: {error}") from None
                if owners.keep(name, share.plugin, share.default):
                    found[name] = item

            share.call(register=register)
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

    def indicator_sets(self) -> dict[str, IndicatorSet]:
        """Indicator sets by name."""
        sets: dict[str, IndicatorSet] = self._collect(
            "register_indicator_sets", lambda item: item.name
        )
        return sets

    def report_formats(self) -> dict[str, ReportFormat]:
        """Report formats by name."""
        formats: dict[str, ReportFormat] = self._collect(
            "register_report_formats", lambda item: item.name
        )
        return formats

    def notifiers(self) -> dict[str, Notifier]:
        """Notification channels by name."""
        notifiers: dict[str, Notifier] = self._collect("register_notifiers", lambda item: item.name)
        return notifiers

    def notifier_setting_problems(self, channel: str, settings: Mapping[str, Any]) -> list[str]:
        """Every problem the ``validate_notifier_settings`` plugins find in one channel table."""
        answers: list[list[str]] = self.pm.hook.validate_notifier_settings(
            channel=channel, settings=settings
        )
        return [str(problem) for answer in answers for problem in answer]

    def emit(self, events: Iterable[Event], workspace: Workspace) -> list[EventFailure]:
        """Hand each event to every ``on_event`` implementation; one failing does not stop the others."""
        failures = []
        shares = self.plugin_calls("on_event")
        for event in events:
            for share in shares:
                try:
                    share.call(event=event, workspace=workspace)
                except Exception as error:  # a notifier must never undo committed data
                    log.error("plugin %s failed on event %s: %s", share.plugin, event.name, error)
                    failures.append(
                        EventFailure(share.plugin, event.name, f"{type(error).__name__}: {error}")
                    )
        return failures

    def add_commands(self, cli: click.Group) -> None:
        """Let plugins add their commands to the ``insertion`` group.

        A plugin's command replaces a built-in (default) one of the same name;
        a name added by two plugins is a :class:`PluginError` naming both,
        rather than the later plugin silently replacing the earlier's.
        """
        owners = _Owners("register_commands", "command ", "added")
        for name in cli.commands:
            owners.keep(name, "insertion", default=False)
        for share in self.plugin_calls("register_commands"):
            before = dict(cli.commands)
            share.call(cli=cli)
            for name in _changed(before, cli.commands):
                if not owners.keep(name, share.plugin, share.default):
                    cli.commands[name] = before[name]  # a default does not replace an override


def _changed(before: Mapping[str, click.Command], after: Mapping[str, click.Command]) -> list[str]:
    """The names of the commands added or replaced since ``before``."""
    return [name for name, command in after.items() if before.get(name) is not command]
