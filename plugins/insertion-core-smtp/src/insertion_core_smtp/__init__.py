"""insertion-core plugin: notices by e-mail through an SMTP server."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from insertion_core import ConfigError, hookimpl

if TYPE_CHECKING:
    from insertion_core.notify import Notice

__all__ = ["SmtpNotifier", "register_notifiers"]


class SmtpNotifier:
    """Sends each notice as one plain-text e-mail to the counsellor's address."""

    name = "smtp"

    def send(self, notice: Notice, notice_id: str, settings: Mapping[str, Any]) -> None:
        """Deliver ``notice``; raises on any SMTP or connection error."""
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
        timeout = float(settings.get("timeout", 30))
        with smtplib.SMTP(host, port, timeout=timeout) as client:
            if settings.get("starttls", False):
                client.starttls()
            username = settings.get("username")
            if username:
                password_env = _setting(settings, "password_env", str)
                client.login(str(username), os.environ.get(password_env, ""))
            client.send_message(message)


def _setting(settings: Mapping[str, Any], key: str, kind: type) -> Any:
    value = settings.get(key)
    if not isinstance(value, kind) or not value:
        raise ConfigError(f"[notify.smtp]: {key}: required, expected a {kind.__name__}")
    return value


@hookimpl
def register_notifiers(register: Callable[[Any], None]) -> None:
    """The ``smtp`` channel."""
    register(SmtpNotifier())
