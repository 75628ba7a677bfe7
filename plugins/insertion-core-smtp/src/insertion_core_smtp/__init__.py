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

__all__ = ["SmtpNotifier", "register_notifiers"]


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
