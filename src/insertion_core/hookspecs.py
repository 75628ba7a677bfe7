"""The plugin contracts: every hook insertion-core calls, with its exact signature.

Plugins implement these with ``@insertion_core.hookimpl``. Each ``register_*``
hook receives a ``register`` callback: call it once per contribution; the host
collects them by name. Built-in plugins implement these hooks exactly as a
third-party plugin would (``insertion_core/default_plugins/``), with
``trylast=True``: their contributions are defaults, and a site's contribution
with the same name replaces the built-in one. Two sites' contributions with
one name are refused, naming both plugins.

The reference for each hook, with examples, is ``docs/plugin-hooks.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import click

    from .domain.eligibility import EligibilityRule
    from .domain.events import Event
    from .notify.notifier import Notifier
    from .outcomes.definitions import IndicatorSet
    from .reporting.formats import ReportFormat
    from .storage import Storage
    from .workspace import Workspace

PROJECT = "insertion_core"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

__all__ = [
    "PROJECT",
    "get_storage",
    "hookimpl",
    "hookspec",
    "on_event",
    "register_commands",
    "register_eligibility_rules",
    "register_indicator_sets",
    "register_notifiers",
    "register_report_formats",
    "register_situation_families",
    "validate_notifier_settings",
]


@hookspec(firstresult=True)
def get_storage(url: str) -> Storage | None:
    """Open the storage that ``url`` names.

    Return None when the URL is not for this plugin; the first non-None
    result is used (stops at first non-None result).

    :param url: a database URL such as ``sqlite:///insertion.db`` or ``memory://``.
    :returns: a :class:`~insertion_core.storage.Storage`, or None.
    """


@hookspec
def register_situation_families(register: Callable[[str], None]) -> None:
    """Declare extra situation families (``family`` in ``family.sector`` codes).

    :param register: call ``register("civic_service_plus")`` once per family;
        a name is a lower-case slug.
    """


@hookspec
def register_eligibility_rules(register: Callable[[EligibilityRule], None]) -> None:
    """Add eligibility rules checked at enrolment, beside the programme's own.

    :param register: call with an object that has a ``name`` and
        ``check(programme, participant) -> Verdict | None``
        (:class:`~insertion_core.domain.eligibility.EligibilityRule`); None means
        the rule does not apply to that programme.
    """


@hookspec
def register_indicator_sets(register: Callable[[IndicatorSet], None]) -> None:
    """Add indicator sets that ``insertion report --set NAME`` can compute.

    :param register: call with an
        :class:`~insertion_core.outcomes.IndicatorSet`; its ``name`` is what
        ``--set`` and ``reporting.sets`` refer to.
    """


@hookspec
def register_report_formats(register: Callable[[ReportFormat], None]) -> None:
    """Add report formats that ``insertion report --format NAME`` can write.

    :param register: call with a
        :class:`~insertion_core.reporting.ReportFormat`: a ``name`` and a
        ``render(report) -> str`` method.
    """


@hookspec
def register_notifiers(register: Callable[[Notifier], None]) -> None:
    """Add notification channels that ``insertion notify`` sends through.

    :param register: call with a
        :class:`~insertion_core.notify.Notifier`: a ``name`` and a
        ``send(notice, notice_id, settings)`` method; ``settings`` is the
        programme's ``[notify.<name>]`` table.
    """


@hookspec
def validate_notifier_settings(channel: str, settings: Mapping[str, Any]) -> list[str] | None:
    """Check a programme's ``[notify.<channel>]`` table when the programme is loaded.

    Called once per channel table by ``insertion programme load`` (and
    ``Workspace.save_programme``), so a misspelt key is refused then, not at
    the first send. Every implementation is called; their problems are
    reported together with the rest of the file's.

    :param channel: the table's name, which is the notifier's name.
    :param settings: the table, as read from the TOML file.
    :returns: None when ``channel`` is not yours; else every problem found,
        each a sentence starting with the key (empty when the table is right).
        The shared keys ``deadline`` and ``include_names`` are checked by the
        host: accept them.
    """


@hookspec
def on_event(event: Event, workspace: Workspace) -> None:
    """React to a lifecycle event, after the transaction that caused it committed.

    Called once per event, in order; an exception in one implementation is
    logged and does not stop the others, and never rolls back data.

    :param event: an :class:`~insertion_core.domain.events.Event` (enrolled,
        exited, follow-up recorded...), carrying no personal data.
    :param workspace: the workspace the event happened in.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``insertion`` command line.

    :param cli: the top-level click group; call ``cli.add_command(...)``.
    """
