"""The SMTP notifier against a real SMTP server on a loopback port."""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import attrs
import pytest
from aiosmtpd.controller import Controller
from insertion_core_smtp import SmtpNotifier

from insertion_core import ConfigError, PersonalData
from insertion_core.hooks import Hooks
from insertion_core.notify import DeadlineExceeded, Notice, NoticeKind
from insertion_core.notify.testing import SlowDripServer
from insertion_core.plugins import get_plugin_manager


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


NOTICE = Notice(
    programme_id="gonesse",
    kind=NoticeKind.CHECKIN_DUE,
    participant_ref="GON-0042",
    on=dt.date(2026, 11, 30),
    counsellor="cip-1",
    checkpoint_months=6,
    locale="fr",
)


def settings(port: int, **more: Any) -> dict[str, Any]:
    return {
        "host": "127.0.0.1",
        "port": port,
        "from": "notices@example.org",
        "to": "team@example.org",
        "counsellors": {"cip-1": "cip1@example.org"},
        **more,
    }


def test_sends_one_mail_to_the_counsellor_with_the_notice_id(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    SmtpNotifier().send(NOTICE, "abc123", settings(port))
    [(recipients, message)] = handler.messages
    assert recipients == ["cip1@example.org"]
    assert message["Message-ID"] == "<abc123@insertion-core>"
    assert (
        message["Subject"]
        == "Point d'étape à faire : GON-0042 (point à 6 mois, prévu le 2026-11-30)"
    )
    assert "GON-0042" in message.get_content()


def test_a_counsellor_without_an_address_goes_to_the_team(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    notice = Notice("gonesse", NoticeKind.AT_RISK, "GON-0007", dt.date(2026, 11, 23), "cip-9")
    SmtpNotifier().send(notice, "id-2", settings(port))
    assert handler.messages[0][0] == ["team@example.org"]


def test_names_appear_only_when_the_notice_carries_them(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    SmtpNotifier().send(NOTICE, "id-3", settings(port))
    with_name = attrs.evolve(NOTICE, personal=PersonalData("GON-0042", "Ana", "Lopa"))
    SmtpNotifier().send(with_name, "id-4", settings(port))
    plain, named = (m.get_content() for _, m in handler.messages)
    assert "Ana" not in plain and "Lopa" not in plain
    assert "Nom: Ana Lopa" in named


def test_an_unreachable_server_raises() -> None:
    with pytest.raises(OSError):
        SmtpNotifier().send(NOTICE, "id-5", settings(free_port(), deadline=2))


def test_a_server_that_drips_its_greeting_is_cut_at_the_deadline() -> None:
    with SlowDripServer(b"220 slow.example.org ESMTP ready\r\n", interval=0.2) as drip:
        started = time.monotonic()
        with pytest.raises(
            DeadlineExceeded, match=r"^no complete answer within the 0.6 s deadline$"
        ):
            SmtpNotifier().send(NOTICE, "id-7", settings(drip.port, deadline=0.6))
        assert 0.5 < time.monotonic() - started < 1.3  # the greeting alone takes 6.8 s
        assert drip.connections == 1


def test_a_missing_host_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError, match=r"\[notify.smtp\]: host: required"):
        SmtpNotifier().send(NOTICE, "id-6", {"from": "a@example.org", "to": "b@example.org"})


def test_the_plugin_registers_the_smtp_channel_through_its_entry_point() -> None:
    pm = get_plugin_manager()
    assert "smtp" in Hooks(pm).notifiers()
    info = next(i for i in pm.plugin_infos() if i.name == "smtp")
    assert info.distribution == "insertion-core-smtp"
    assert "register_notifiers" in info.hooks


def test_the_settings_are_checked_when_the_programme_is_loaded() -> None:
    from insertion_core_smtp import validate_notifier_settings

    good = {"host": "smtp.example.org", "from": "a@example.org", "to": "b@example.org"}
    assert validate_notifier_settings("smtp", {**good, "port": 587, "include_names": True}) == []
    assert validate_notifier_settings("webhook", {"url": 1}) is None  # not this plugin's
    assert validate_notifier_settings(
        "smtp", {"hots": "smtp.example.org", "from": "a@example.org", "port": "587"}
    ) == [
        "[notify.smtp]: hots: unknown key (known keys: counsellors, deadline, from, host, "
        "include_names, password_env, port, starttls, to, username)",
        "[notify.smtp]: host: required, expected a str",
        "[notify.smtp]: to: required when counsellors does not give every address",
        "[notify.smtp]: port: expected a port number from 1 to 65535, got '587'",
    ]
    assert validate_notifier_settings("smtp", {**good, "username": "u", "starttls": 1}) == [
        "[notify.smtp]: starttls: expected true or false",
        "[notify.smtp]: password_env: required with username, the name of an environment "
        "variable holding the password",
    ]
