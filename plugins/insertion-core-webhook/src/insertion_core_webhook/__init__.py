"""insertion-core plugin: notices as JSON POSTs signed with HMAC-SHA256.

One POST per attempt, to the configured URL only: a redirect is not followed
(the signature and the idempotency key never go to another address) and
counts as a failure, retried later. The whole attempt ends within the
channel's ``deadline``, however slowly the server answers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import urllib.parse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from insertion_core import ConfigError, hookimpl
from insertion_core.notify import AttemptDeadline, deadline_of

if TYPE_CHECKING:
    import http.client

    from insertion_core.notify import Notice

__all__ = [
    "KEYS",
    "SIGNATURE_HEADER",
    "WebhookError",
    "WebhookNotifier",
    "register_notifiers",
    "sign",
    "validate_notifier_settings",
]

SIGNATURE_HEADER = "X-Insertion-Signature"


def sign(body: bytes, secret: str) -> str:
    """The signature header's value: ``sha256=`` and the HMAC-SHA256 of the body."""

    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(notice: Notice, notice_id: str) -> dict[str, Any]:
    """The JSON document posted for a notice."""
    document: dict[str, Any] = {
        "id": notice_id,
        "programme": notice.programme_id,
        "kind": notice.kind.value,
        "participant": notice.participant_ref,
        "counsellor": notice.counsellor,
        "date": notice.on.isoformat(),
        "checkpoint_months": notice.checkpoint_months,
        "subject": notice.subject,
        "text": notice.body,
    }
    return document


class WebhookError(RuntimeError):
    """The webhook answered something other than 2xx."""


class WebhookNotifier:
    """POSTs each notice to the configured URL."""

    name = "webhook"

    def send(self, notice: Notice, notice_id: str, settings: Mapping[str, Any]) -> None:
        """Deliver ``notice``; raises on a connection error, the deadline, or a non-2xx answer."""
        target = _target(settings)
        secret_env = settings.get("secret_env")
        if not isinstance(secret_env, str) or not os.environ.get(secret_env):
            raise ConfigError(
                "[notify.webhook]: secret_env: required, the name of an environment variable "
                "holding the shared secret"
            )
        if "timeout" in settings:
            raise ConfigError(
                "[notify.webhook]: timeout: replaced by deadline, the seconds a whole attempt "
                "may take"
            )
        deadline = deadline_of(settings, self.name)
        body = json.dumps(payload(notice, notice_id), ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": notice_id,
            SIGNATURE_HEADER: sign(body, os.environ[secret_env]),
        }
        connection = _connection(target, deadline)
        with AttemptDeadline(deadline, lambda: connection.sock) as limit:
            try:
                connection.connect()
                limit.check()
                connection.request("POST", _path(target), body=body, headers=headers)
                response = connection.getresponse()
            finally:
                connection.close()
        if 300 <= response.status < 400:
            raise WebhookError(
                f"webhook answered HTTP {response.status} (a redirect, not followed: "
                "set url to the address that takes the POST)"
            )
        if not 200 <= response.status < 300:
            raise WebhookError(f"webhook answered HTTP {response.status}")


def _target(settings: Mapping[str, Any]) -> urllib.parse.SplitResult:
    url = settings.get("url")
    problem = "required, expected an http(s) URL"
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        try:
            target = urllib.parse.urlsplit(url)
            target.port  # noqa: B018 (parses the port: ValueError when it is not one)
        except ValueError as error:
            problem = f"not a valid URL ({error})"
        else:
            if target.hostname:
                return target
    raise ConfigError(f"[notify.webhook]: url: {problem}")


def _connection(target: urllib.parse.SplitResult, deadline: float) -> http.client.HTTPConnection:
    """A connection (not opened yet) whose every socket operation also ends by the deadline."""
    import http.client  # here, as every insertion command loads this plugin
    import ssl

    host = target.hostname or ""
    if target.scheme == "https":
        return http.client.HTTPSConnection(
            host, target.port, timeout=deadline, context=ssl.create_default_context()
        )
    return http.client.HTTPConnection(host, target.port, timeout=deadline)


def _path(target: urllib.parse.SplitResult) -> str:
    path = target.path or "/"
    return f"{path}?{target.query}" if target.query else path


@hookimpl
def register_notifiers(register: Callable[[Any], None]) -> None:
    """The ``webhook`` channel."""
    register(WebhookNotifier())


#: The keys of ``[notify.webhook]`` (beside the shared ``deadline`` and ``include_names``).
KEYS = ("url", "secret_env")


@hookimpl
def validate_notifier_settings(channel: str, settings: Mapping[str, Any]) -> list[str] | None:
    """Check ``[notify.webhook]`` when the programme is loaded: every key known, a usable URL."""
    if channel != WebhookNotifier.name:
        return None
    from insertion_core.notify import unknown_keys

    problems = []
    if "timeout" in settings:
        problems.append(
            "[notify.webhook]: timeout: replaced by deadline, the seconds a whole attempt may take"
        )
    problems += unknown_keys(channel, {k: v for k, v in settings.items() if k != "timeout"}, KEYS)
    try:
        _target(settings)
    except ConfigError as error:
        problems.append(str(error))
    if not isinstance(settings.get("secret_env"), str) or not settings["secret_env"]:
        problems.append(
            "[notify.webhook]: secret_env: required, the name of an environment variable "
            "holding the shared secret"
        )
    return problems
