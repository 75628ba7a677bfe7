"""``insertion followups``: check-ins due and participants at risk."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import click

from ..safety import json_document, terminal_text
from .app import CliState, pass_state
from .options import as_of_option, csv_dialect_option, programme_option
from .staff_output import format_option, names_option, reach_lines, staff_csv

counsellor_option = click.option(
    "--counsellor", default=None, metavar="C", help="Only this counsellor's participants."
)


@click.group("followups")
def followups_group() -> None:
    """Follow-up after the exit: due check-ins, and early warning during the programme."""


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


@followups_group.command("due")
@programme_option
@as_of_option
@click.option("--overdue", is_flag=True, help="Only the overdue check-ins.")
@counsellor_option
@names_option
@format_option
@csv_dialect_option
@pass_state
def due_command(
    state: CliState,
    programme_id: str,
    as_of: dt.date | None,
    overdue: bool,
    counsellor: str | None,
    no_names: bool,
    format_name: str,
    csv_dialect: str | None,
) -> None:
    """List the check-ins due or overdue, by due date: whom to call, how, and the last contact."""
    workspace = state.workspace()
    calls = workspace.due_calls(
        programme_id, as_of=as_of, overdue_only=overdue, counsellor=counsellor, names=not no_names
    )
    if format_name == "json":
        click.echo(json_document([c.to_json_dict() for c in calls], indent=1))
        return
    columns = ["participant_id", "checkpoint_months", "due_date", "status", "counsellor"]
    if format_name == "csv":
        programme = workspace.programme(programme_id)
        plain = (csv_dialect or programme.reporting.csv_dialect) == "plain"
        locale = None if plain else programme.locale
        rows = [c.to_json_dict() for c in calls]
        click.echo(staff_csv(rows, columns, names=not no_names, locale=locale), nl=False)
        return
    if not calls:
        click.echo("No check-in due.")
        return
    due = [c.checkin for c in calls]
    lines = [f"{'due date':<10}  {'status':<7}  {'participant':<14}  {'check-in':<9}  counsellor"]
    for call in calls:
        d = call.checkin
        lines.append(
            f"{d.due_date.isoformat():<10}  {d.status:<7}  {terminal_text(d.participant_id):<14}  "
            f"{_months(d.checkpoint_months):<9}  {terminal_text(d.counsellor or '-')}"
        )
        lines += reach_lines(call.reach, indent=" " * 12)
    caseload = Counter(terminal_text(d.counsellor or "-") for d in due)
    lines.append("")
    lines.append("Caseload: " + ", ".join(f"{c} {n}" for c, n in sorted(caseload.items())))
    statuses = Counter(d.status for d in due)
    lines.append(f"{len(due)} check-ins: {statuses['due']} due, {statuses['overdue']} overdue")
    click.echo("\n".join(lines))


@followups_group.command("at-risk")
@programme_option
@as_of_option
@counsellor_option
@names_option
@format_option
@pass_state
def at_risk_command(
    state: CliState,
    programme_id: str,
    as_of: dt.date | None,
    counsellor: str | None,
    no_names: bool,
    format_name: str,
) -> None:
    """List participants in the programme with repeated unexcused absences lately, whom to call."""
    workspace = state.workspace()
    calls = workspace.at_risk_calls(
        programme_id, as_of=as_of, counsellor=counsellor, names=not no_names
    )
    if format_name == "json":
        click.echo(json_document([c.to_json_dict() for c in calls], indent=1))
        return
    if format_name == "csv":
        columns = ["participant_id", "absences", "counsellor"]
        rows = [c.to_json_dict() for c in calls]
        click.echo(staff_csv(rows, columns, names=not no_names), nl=False)
        return
    if not calls:
        click.echo("Nobody is at risk.")
        return
    policy = workspace.programme(programme_id).attendance
    lines = [
        f"At risk: {policy.at_risk_absences} or more unexcused absent half-days "
        f"in the last {policy.at_risk_days} days"
    ]
    for call in calls:
        r = call.risk
        lines.append(
            f"  {terminal_text(r.participant_id):<14}  {r.absences} half-days  "
            f"{terminal_text(r.counsellor or '-')}"
        )
        lines += reach_lines(call.reach)
    # One write: a national list has tens of thousands of lines, and click.echo
    # costs about 10 microseconds a call.
    click.echo("\n".join(lines))
