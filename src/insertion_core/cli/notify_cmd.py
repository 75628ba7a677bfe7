"""``insertion notify``: send due reminders and at-risk alerts; safe to run from cron."""

from __future__ import annotations

import datetime as dt

import click

from ..safety import terminal_text
from .app import CliState, actor_option, pass_state
from .options import as_of_option, programme_option


@click.command("notify")
@programme_option
@as_of_option
@actor_option
@pass_state
def notify_command(state: CliState, programme_id: str, as_of: dt.date | None) -> None:
    """Send the check-in reminders and at-risk alerts not sent yet, once per channel.

    Failed sends are recorded and retried with backoff on later runs. Runs may
    overlap: a notice another run is sending is left to it. Exits 1 when a
    notice failed or was given up in this run, so that cron reports it.
    """
    from ..notify.service import send_due_notices

    result = send_due_notices(state.workspace(), programme_id, as_of=as_of)
    in_flight = f", {len(result.in_flight)} in flight in another run" if result.in_flight else ""
    earlier = (
        f", {len(result.waiting)} waiting for a retry, {len(result.given_up)} given up earlier"
        if result.waiting or result.given_up
        else ""
    )
    click.echo(
        f"Notices: {len(result.sent)} sent, {len(result.failed)} failed, "
        f"{result.already_sent} already sent{in_flight}{earlier}"
    )
    for attempt in result.failed:
        entry = attempt.entry
        when = (
            f"retry after {entry.next_attempt_at:%Y-%m-%d %H:%M} UTC"
            if entry.next_attempt_at is not None
            else f"given up after {entry.attempts} attempts"
        )
        click.echo(
            terminal_text(
                f"  failed: {attempt.channel}: {attempt.notice.key}: {entry.last_error} ({when})"
            ),
            err=True,
        )
    for attempt in result.overtaken:
        click.echo(
            f"  lease ended: {attempt.channel}: {attempt.notice.key}: the attempt outlasted its "
            "lease and another run took the notice over (the receiver may get it twice, "
            "with the same id)",
            err=True,
        )
    for entry in result.in_flight:
        click.echo(
            f"  in flight: {entry.channel}: {entry.key}: another run is sending it "
            f"(lease until {entry.lease_until:%Y-%m-%d %H:%M:%S} UTC)",
            err=True,
        )
    for entry in result.waiting:
        click.echo(
            terminal_text(
                f"  waiting: {entry.channel}: {entry.key}: attempt {entry.attempts} failed "
                f"({entry.last_error}); next after {entry.next_attempt_at:%Y-%m-%d %H:%M} UTC"
            ),
            err=True,
        )
    for entry in result.given_up:
        click.echo(
            terminal_text(
                f"  given up: {entry.channel}: {entry.key} after {entry.attempts} attempts: "
                f"{entry.last_error}"
            ),
            err=True,
        )
    if not result.ok:
        click.get_current_context().exit(1)
