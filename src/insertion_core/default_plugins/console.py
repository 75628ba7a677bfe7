"""Built-in plugin: the ``console`` notification channel and a log of lifecycle events.

The console channel writes one line per notice to standard output (for cron,
which mails what a job prints); it is the channel used when a programme
configures none. Lifecycle events are logged at debug level, by pseudonymous
participant id only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import click

from ..hookspecs import hookimpl
from ..safety import terminal_text

if TYPE_CHECKING:
    from ..domain.events import Event
    from ..notify.notice import Notice
    from ..notify.notifier import Notifier
    from ..workspace import Workspace

log = logging.getLogger("insertion_core.events")


class ConsoleNotifier:
    """Prints each notice's subject, and its text when ``verbose = true``.

    A notice's text holds the participant's name when the channel has
    ``include_names = true``; names are typed by people and may hold control
    characters, so every line goes through :func:`~..safety.terminal_text`.
    """

    name = "console"

    def send(self, notice: Notice, notice_id: str, settings: Mapping[str, Any]) -> None:
        """One line per notice; ``err = true`` writes to standard error instead."""
        err = bool(settings.get("err", False))
        click.echo(terminal_text(f"[{notice.counsellor or '-'}] {notice.subject}"), err=err)
        if settings.get("verbose", False):
            for line in notice.body.split("\n"):
                click.echo(f"    {terminal_text(line)}", err=err)


@hookimpl(trylast=True)
def register_notifiers(register: Callable[[Notifier], None]) -> None:
    """The ``console`` channel."""
    register(ConsoleNotifier())


@hookimpl(trylast=True)
def on_event(event: Event, workspace: Workspace) -> None:
    """Log each committed lifecycle event."""
    log.debug("%s %s %s on %s", event.programme_id, event.name, event.participant_id, event.on)
