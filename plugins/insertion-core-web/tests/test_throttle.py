"""The login throttle on its own, with a clock the test moves."""

from __future__ import annotations

from insertion_core_web.throttle import LoginThrottle


def make() -> tuple[LoginThrottle, list[float]]:
    now = [0.0]
    return LoginThrottle(per_name=3, per_address=5, window=60, clock=lambda: now[0]), now


def test_a_name_waits_after_its_limit_until_the_oldest_failure_is_a_window_old() -> None:
    throttle, now = make()
    for second in (0, 10, 20):
        now[0] = second
        assert throttle.wait("cip-1", "10.0.0.1") == 0
        throttle.failed("cip-1", "10.0.0.1")
    assert throttle.wait("cip-1", "10.0.0.2") == 40  # 0 + 60 - 20
    assert throttle.wait("CIP-1", "10.0.0.3") == 40  # names compared without case
    now[0] = 60
    assert throttle.wait("cip-1", "10.0.0.1") == 0


def test_an_address_waits_after_its_own_limit_whatever_the_name() -> None:
    throttle, _ = make()
    for n in range(5):
        throttle.failed(f"name-{n}", "10.0.0.9")
    assert throttle.wait("someone-else", "10.0.0.9") == 60
    assert throttle.wait("someone-else", "10.0.0.1") == 0


def test_a_success_clears_the_name() -> None:
    throttle, _ = make()
    for _ in range(3):
        throttle.failed("cip-1", "10.0.0.1")
    throttle.succeeded("cip-1")
    assert throttle.wait("cip-1", "10.0.0.2") == 0


def test_expired_failures_are_dropped_when_many_names_are_tried() -> None:
    throttle, now = make()
    for n in range(6000):
        throttle.failed(f"old-{n}", f"address-old-{n}")
    now[0] = 120  # every failure above has expired
    for n in range(5000):
        throttle.failed(f"new-{n}", f"address-new-{n}")
    kept = set(throttle._failures)
    assert len(kept) == 10_000  # the 5,000 new names and their addresses
    assert not any("old-" in key for key in kept)
    assert "name:new-4999" in kept
