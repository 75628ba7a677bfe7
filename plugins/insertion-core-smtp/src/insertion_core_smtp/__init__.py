"""insertion-core plugin: notices by e-mail through an SMTP server.

The whole attempt (connection, STARTTLS, login, message) ends within the
channel's ``deadline``, however slowly the server answers.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from insertion_core import ConfigError, hookimpl
from insertion_core.notify import AttemptDeadline, deadline_of

if TYPE_CHECKING:
    import smtplib

    from insertion_core.notify import Notice

__all__ = ["KEYS", "SmtpNotifier", "register_notifiers", "validate_notifier_settings"]

#: The keys of ``[notify.smtp]`` (beside the shared ``deadline`` and ``include_names``).
KEYS = ("host", "port", "from", "to", "counsellors", "starttls", "username", "password_env")


class SmtpNotifier:
    """Sends each notice as one plain-text e-mail to the counsellor's address."""

    name = "smtp"

    def send(self, notice: Notice, notice_id: str, settings: Mapping[str, Any]) -> None:
        """Deliver ``notice``; raises on any SMTP or connection error, or at the deadline."""
        import smtplib  # here, as every insertion command loads this plugin
        from email.message import EmailMessage

        host = _setting(settings, "host", str)
        sender = _setting(settings, "from", str)
        counsellors: Mapping[str, str] = settings.get("counsellors", {})
        recipient = counsellors.get(notice.counsellor or "") or _setting(settings, "to", str)
        message = EmailMessage()
        message["From"] = sender
        message["To"] = recipient
        message["Subject"] = notice.subject
        message["Message-ID"] = f"<{notice_id}@insertion-core>"
        message["X-Insertion-Notice"] = notice.kind.value
        message.set_content(notice.body)
        port = int(settings.get("port", 25))
        deadline = deadline_of(settings, self.name)
        client = smtplib.SMTP(timeout=deadline)  # not connected yet
        with AttemptDeadline(deadline, lambda: client.sock) as limit:
            try:
                client.connect(host, port)
                limit.check()
                if settings.get("starttls", False):
                    client.starttls()
                username = settings.get("username")
                if username:
                    password_env = _setting(settings, "password_env", str)
                    client.login(str(username), os.environ.get(password_env, ""))
                client.send_message(message)
                _quit(client)
            finally:
                client.close()


def _quit(client: smtplib.SMTP) -> None:
    """Say goodbye; the message was accepted already, so a failure here is not the attempt's."""
    import smtplib

    with contextlib.suppress(smtplib.SMTPException, OSError):
        client.quit()


def _setting(settings: Mapping[str, Any], key: str, kind: type) -> Any:
    value = settings.get(key)
    if not isinstance(value, kind) or not value:
        raise ConfigError(f"[notify.smtp]: {key}: required, expected a {kind.__name__}")
    return value


@hookimpl
def register_notifiers(register: Callable[[Any], None]) -> None:
    """The ``smtp`` channel."""
    register(SmtpNotifier())


@hookimpl
def validate_notifier_settings(channel: str, settings: Mapping[str, Any]) -> list[str] | None:
    """Check ``[notify.smtp]`` when the programme is loaded: every key known, every value usable."""
    if channel != SmtpNotifier.name:
        return None
    from insertion_core.notify import unknown_keys

    problems = unknown_keys(channel, settings, KEYS)
    where = f"[notify.{channel}]"
    for key in ("host", "from"):
        if not isinstance(settings.get(key), str) or not settings[key]:
            problems.append(f"{where}: {key}: required, expected a str")
    counsellors = settings.get("counsellors", {})
    if not isinstance(counsellors, Mapping) or not all(
        isinstance(v, str) and v for v in counsellors.values()
    ):
        problems.append(f"{where}: counsellors: expected a table of counsellor = address")
    if "to" in settings and (not isinstance(settings["to"], str) or not settings["to"]):
        problems.append(f"{where}: to: expected an address")
    if "to" not in settings and not counsellors:
        problems.append(f"{where}: to: required when counsellors does not give every address")
    port = settings.get("port", 25)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        problems.append(f"{where}: port: expected a port number from 1 to 65535, got {port!r}")
    if not isinstance(settings.get("starttls", False), bool):
        problems.append(f"{where}: starttls: expected true or false")
    if settings.get("username") and not isinstance(settings.get("password_env"), str):
        problems.append(
            f"{where}: password_env: required with username, the name of an environment "
            "variable holding the password"
        )
    return problems
