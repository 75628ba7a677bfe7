"""Which notice keys are about which participant: what the right of access and erasure rely on."""

from __future__ import annotations

import datetime as dt

import pytest

from insertion_core.notify.notice import Notice, NoticeKind, is_about, key_prefixes


@pytest.mark.parametrize("kind", list(NoticeKind))
@pytest.mark.parametrize("months", [None, 3, 12])
def test_every_notice_key_is_about_its_participant(kind: NoticeKind, months: int | None) -> None:
    notice = Notice("gonesse", kind, "GON 0001/b", dt.date(2025, 2, 28), checkpoint_months=months)
    assert is_about(notice.key, "gonesse", "GON 0001/b")
    assert any(notice.key.startswith(prefix) for prefix in key_prefixes("gonesse", "GON 0001/b"))


@pytest.mark.parametrize(
    ("programme", "participant"),
    [("gonesse", "GON"), ("gonesse", "GON 0001"), ("gonesse", "0001/b"), ("cergy", "GON 0001/b")],
)
def test_a_key_is_not_about_another_participant(programme: str, participant: str) -> None:
    notice = Notice("gonesse", NoticeKind.AT_RISK, "GON 0001/b", dt.date(2025, 2, 28))
    assert not is_about(notice.key, programme, participant)


def test_a_participant_whose_id_ends_like_a_day_is_not_taken_for_another() -> None:
    notice = Notice("gonesse", NoticeKind.CHECKIN_DUE, "P1/2025-01-31", dt.date(2025, 2, 28))
    assert is_about(notice.key, "gonesse", "P1/2025-01-31")
    assert not is_about(notice.key, "gonesse", "P1")
