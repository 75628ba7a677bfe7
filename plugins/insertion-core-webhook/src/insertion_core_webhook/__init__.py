"""insertion-core plugin: notices as JSON POSTs signed with HMAC-SHA256."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from insertion_core import ConfigError, hookimpl

if TYPE_CHECKING:
    from insertion_core.notify import Notice

__all__ = ["SIGNATURE_HEADER", "WebhookNotifier", "register_notifiers", "sign"]

SIGNATURE_HEADER = "X-Insertion-Signature"


def sign(body: bytes, secret: str) -> str:
    """The signature header's value: ``sha256=`` and the HMAC-SHA256 of the body."""
    import hashlib
    import hmac

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


class WebhookNotifier:
    """POSTs each notice to the configured URL."""

    name = "webhook"

    def send(self, notice: Notice, notice_id: str, settings: Mapping[str, Any]) -> None:
        """Deliver ``notice``; raises on a connection error or a non-2xx answer."""
        import json
        import urllib.request  # here, as every insertion command loads this plugin

        url = settings.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ConfigError("[notify.webhook]: url: required, expected an http(s) URL")
        secret_env = settings.get("secret_env")
        if not isinstance(secret_env, str) or not os.environ.get(secret_env):
            raise ConfigError(
                "[notify.webhook]: secret_env: required, the name of an environment variable "
                "holding the shared secret"
            )
        body = json.dumps(payload(notice, notice_id), ensure_ascii=False).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": notice_id,
                SIGNATURE_HEADER: sign(body, os.environ[secret_env]),
            },
        )
        timeout = float(settings.get("timeout", 10))
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if not 200 <= response.status < 300:
                raise RuntimeError(f"webhook answered HTTP {response.status}")


@hookimpl
def register_notifiers(register: Callable[[Any], None]) -> None:
    """The ``webhook`` channel."""
    register(WebhookNotifier())
