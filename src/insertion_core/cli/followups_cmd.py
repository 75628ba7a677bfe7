"""``insertion followups``: check-ins due and participants at risk."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

import click

from ..safety import csv_document, json_document, terminal_text
from .app import CliState, pass_state
from .options import as_of_option, csv_dialect_option, programme_option

format_option = click.option(
    "--format",
    "format_name",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)


@click.group("followups")
def followups_group() -> None:
    """Follow-up after the exit: due check-ins, and early warning during the programme."""


def _csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    return csv_document(columns, ([row.get(c) for c in columns] for row in rows))


def _locale_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str], locale: str) -> str:
    """The CSV the locale's spreadsheets open: for ``fr`` ``;``, dates as 31/12/2026, a BOM."""
    french = locale == "fr"

    def cell(value: Any) -> Any:
        if french and isinstance(value, str) and len(value) == 10 and value[4] == "-":
            try:
                return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                return value
        return value

    return csv_document(
        columns,
        ([cell(row.get(c)) for c in columns] for row in rows),
        delimiter=";" if french else ",",
        decimal_comma=french,
        bom=True,
    )


def _months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


@followups_group.command("due")
@programme_option
@as_of_option
@click.option("--overdue", is_flag=True, help="Only the overdue check-ins.")
@click.option(
    "--counsellor", default=None, metavar="C", help="Only this counsellor's participants."
)
@format_option
@csv_dialect_option
@pass_state
def due_command(
    state: CliState,
    programme_id: str,
    as_of: dt.date | None,
    overdue: bool,
    counsellor: str | None,
    format_name: str,
    csv_dialect: str | None,
) -> None:
    """List the check-ins due or overdue, by due date, with each counsellor's caseload."""
    workspace = state.workspace()
    due = workspace.due_checkins(
        programme_id, as_of=as_of, overdue_only=overdue, counsellor=counsellor
    )
    rows = [d.to_json_dict() for d in due]
    if format_name == "json":
        click.echo(json_document(rows, indent=1))
        return
    columns = ["participant_id", "checkpoint_months", "due_date", "status", "counsellor"]
    if format_name == "csv":
        programme = workspace.programme(programme_id)
        if (csv_dialect or programme.reporting.csv_dialect) == "plain":
            click.echo(_csv(rows, columns), nl=False)
        else:
            click.echo(_locale_csv(rows, columns, programme.locale), nl=False)
        return
    if not due:
        click.echo("No check-in due.")
        return
    click.echo(f"{'due date':<10}  {'status':<7}  {'participant':<14}  {'check-in':<9}  counsellor")
    for d in due:
        click.echo(
            f"{d.due_date.isoformat():<10}  {d.status:<7}  {terminal_text(d.participant_id):<14}  "
            f"{_months(d.checkpoint_months):<9}  {terminal_text(d.counsellor or '-')}"
        )
    caseload = Counter(terminal_text(d.counsellor or "-") for d in due)
    click.echo("")
    click.echo("Caseload: " + ", ".join(f"{c} {n}" for c, n in sorted(caseload.items())))
    statuses = Counter(d.status for d in due)
    click.echo(f"{len(due)} check-ins: {statuses['due']} due, {statuses['overdue']} overdue")


@followups_group.command("at-risk")
@programme_option
@as_of_option
@format_option
@pass_state
def at_risk_command(
    state: CliState, programme_id: str, as_of: dt.date | None, format_name: str
) -> None:
    """List participants in the programme with repeated unexcused absences lately."""
    workspace = state.workspace()
    found = workspace.at_risk(programme_id, as_of=as_of)
    rows = [
        {"participant_id": r.participant_id, "absences": r.absences, "counsellor": r.counsellor}
        for r in found
    ]
    if format_name == "json":
        click.echo(json_document(rows, indent=1))
        return
    if format_name == "csv":
        click.echo(_csv(rows, ["participant_id", "absences", "counsellor"]), nl=False)
        return
    if not found:
        click.echo("Nobody is at risk.")
        return
    policy = workspace.programme(programme_id).attendance
    click.echo(
        f"At risk: {policy.at_risk_absences} or more unexcused absent half-days "
        f"in the last {policy.at_risk_days} days"
    )
    for r in found:
        click.echo(
            f"  {terminal_text(r.participant_id):<14}  {r.absences} half-days  "
            f"{terminal_text(r.counsellor or '-')}"
        )
