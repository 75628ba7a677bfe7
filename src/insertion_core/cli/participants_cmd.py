"""``insertion participants``: the people of a programme and one participant's journey, for staff."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from ..safety import json_document, terminal_text
from .app import CliState, pass_state
from .options import as_of_option, programme_option, text_or_json_option
from .rights_cmd import erase_command, personal_data_command
from .staff_output import format_option, names_option, reach_lines, staff_csv

if TYPE_CHECKING:
    from ..participants import ParticipantView

#: The statuses of ``--status`` (insertion_core.domain.standing.ParticipantStatus; kept here so
#: that ``--help`` loads no domain code; a test checks they agree).
STATUSES = ("planned", "in_programme", "in_followup", "closed")

LIST_COLUMNS = (
    "participant_id",
    "cohort_id",
    "counsellor",
    "entry_date",
    "exit_date",
    "status",
    "phase",
)


@click.group("participants")
def participants_group() -> None:
    """The people of a programme and their journeys (staff tools: they show names)."""


participants_group.add_command(personal_data_command)
participants_group.add_command(erase_command)


@participants_group.command("list")
@programme_option
@as_of_option
@click.option("--cohort", default=None, metavar="C", help="Only this cohort.")
@click.option("--counsellor", default=None, metavar="C", help="Only this counsellor's.")
@click.option(
    "--status", type=click.Choice(STATUSES), default=None, help="Only this status on the day."
)
@click.option("--phase", default=None, metavar="P", help="Only those in this phase on the day.")
@names_option
@format_option
@pass_state
def list_command(
    state: CliState,
    programme_id: str,
    as_of: dt.date | None,
    cohort: str | None,
    counsellor: str | None,
    status: str | None,
    phase: str | None,
    no_names: bool,
    format_name: str,
) -> None:
    """List the participants, by id, with their status, phase and how to reach them."""
    found = state.workspace().participants(
        programme_id,
        as_of=as_of,
        cohort=cohort,
        counsellor=counsellor,
        status=status,
        phase=phase,
        names=not no_names,
    )
    rows = [s.to_json_dict() for s in found]
    if format_name == "json":
        click.echo(json_document(rows, indent=1))
        return
    if format_name == "csv":
        click.echo(staff_csv(rows, LIST_COLUMNS, names=not no_names), nl=False)
        return
    if not found:
        click.echo("No participant matches.")
        return
    for row, summary in zip(rows, found, strict=True):
        click.echo(
            terminal_text(
                f"{row['participant_id']:<14}  {row['cohort_id']:<10}  {row['status']:<12}  "
                f"{row['phase'] or '-':<12}  {row['counsellor'] or '-'}"
            )
        )
        for line in reach_lines(summary.reach):
            click.echo(line)
    click.echo(f"{len(found)} participant(s)")


@participants_group.command("show")
@programme_option
@as_of_option
@click.argument("participant_id")
@text_or_json_option
@pass_state
def show_command(
    state: CliState,
    programme_id: str,
    as_of: dt.date | None,
    participant_id: str,
    format_name: str,
) -> None:
    """Show one participant whole: contact details, phases, exit, contacts, check-ins."""
    view = state.workspace().participant_view(programme_id, participant_id, as_of=as_of)
    if format_name == "json":
        click.echo(json_document(view.to_json_dict(), indent=1))
        return
    for line in _text(view):
        click.echo(terminal_text(line))


def _text(view: ParticipantView) -> list[str]:
    data = view.to_json_dict()
    name = " ".join(n for n in (data["first_name"], data["last_name"]) if n) or "(no name)"
    lines = [
        f"{data['participant_id']}: {name}",
        f"  phone {data['phone'] or '-'}, e-mail {data['email'] or '-'}",
        f"  cohort {data['cohort_id']}, counsellor {data['counsellor'] or '-'}, "
        f"entered {data['entry_date']}, status {data['status']}",
        "Phases:",
    ]
    lines += [f"  {p['start']} to {p['end'] or '...'}  {p['name']}" for p in data["phases"]]
    if not data["phases"]:
        lines.append("  none")
    exit_ = data["exit"]
    lines.append(
        "Exit: none"
        if exit_ is None
        else f"Exit: {exit_['date']} {exit_['reason']}, to {exit_['destination']}"
    )
    lines.append("Contacts:")
    for c in data["contacts"]:
        channel = f" ({c['channel']})" if c["channel"] else ""
        note = f"  {c['note']}" if c["note"] else ""
        lines.append(f"  {c['date']}  {c['situation']}{channel}{note}")
    if not data["contacts"]:
        lines.append("  none")
    lines.append("Check-ins:")
    lines += [f"  {c['checkpoint_months']} months: {c['status']}" for c in data["checkins"]]
    if not data["checkins"]:
        lines.append("  none")
    attendance = ", ".join(f"{n} {s}" for s, n in data["attendance"].items()) or "none recorded"
    lines.append(f"Attendance (half-days): {attendance}")
    lines.append("Eligibility warnings: " + ("; ".join(data["eligibility_warnings"]) or "none"))
    return lines
