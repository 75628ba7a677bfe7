"""Checking a programme's ``[notify.<channel>]`` tables when it is loaded, not at the first send.

The host checks what every channel shares (the channel exists; ``deadline``;
``include_names``); each notifier plugin checks its own keys through the
``validate_notifier_settings`` hook (docs/plugin-hooks.md).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from ..errors import ConfigError
from .deadline import deadline_of

__all__ = ["SHARED_KEYS", "channel_problems", "unknown_keys"]

#: The keys every channel table may hold, checked by the host.
SHARED_KEYS = ("deadline", "include_names")


def unknown_keys(channel: str, settings: Mapping[str, Any], known: Collection[str]) -> list[str]:
    """One problem per key of ``settings`` that is neither in ``known`` nor shared.

    For notifier plugins: ``[notify.smtp]: hots: unknown key (known keys: ...)``.
    """
    allowed = sorted({*known, *SHARED_KEYS})
    return [
        f"[notify.{channel}]: {key}: unknown key (known keys: {', '.join(allowed)})"
        for key in sorted(set(settings) - set(allowed))
    ]


def channel_problems(
    tables: Mapping[str, Any],
    notifiers: Collection[str],
    validate: Callable[[str, Mapping[str, Any]], list[str]],
) -> list[str]:
    """Every problem of a programme's ``[notify]`` tables, in the order of the file.

    :param tables: the programme's ``notify`` table: channel name -> settings.
    :param notifiers: the names of the installed notifiers.
    :param validate: the plugins' check of one channel (``Hooks.notifier_setting_problems``).
    """
    problems: list[str] = []
    for channel, settings in tables.items():
        if channel not in notifiers:
            problems.append(
                f"[notify.{channel}]: no notifier plugin named {channel!r} "
                f"(installed: {', '.join(sorted(notifiers)) or 'none'})"
            )
            continue
        if not isinstance(settings, Mapping):
            problems.append(f"notify.{channel}: expected a table, got {settings!r}")
            continue
        try:
            deadline_of(settings, channel)
        except ConfigError as error:
            problems.append(str(error))
        if not isinstance(settings.get("include_names", False), bool):
            problems.append(
                f"[notify.{channel}]: include_names: expected true or false, "
                f"got {settings['include_names']!r}"
            )
        problems.extend(validate(channel, settings))
    return problems
