"""Deterministic synthetic data for the Fabrique numérique de Gonesse reference deployment.

No real person is in it: identifiers, names and contact details are made up
from a fixed seed. The outcome classes of the mature participants are dealt
in exact numbers, so that the report reproduces the Fabrique's published
key figures: remobilisation 90 %, training 70 % (55 % digital, 45 % other),
first job within six months 20 % (65 % digital, 35 % other), dropout 10 %.
Around them sit participants still in the programme and participants whose
follow-up window is still open, so pending figures and due check-ins show too.

Run ``python examples/gonesse/generate.py OUT_DIR`` to write the canonical
CSV files (docs/data-formats.md, The spreadsheets); ``--dialect excel-fr`` writes what French
Excel writes (``;``, Windows-1252, DD/MM/YYYY).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

AS_OF = dt.date(2026, 11, 25)
SEED = 20161
MATURE_PER_COHORT = 10
#: Outcome classes dealt among the 200 mature participants: (class, sector) -> count.
MATURE_CLASSES = {
    ("dropout", None): 20,
    ("training", "digital"): 77,
    ("training", "other"): 63,
    ("employment", "digital"): 26,
    ("employment", "other"): 14,
}
NEUTRALISED_COHORTS = ("2017-09", "2020-01", "2023-09")
COUNSELLORS = ("cip-1", "cip-2", "cip-3")

_SYLLABLES = ("ka", "li", "mo", "ra", "ne", "so", "ti", "du", "ya", "el", "in", "ou", "za", "be")


@dataclass
class Row:
    """One participant's rows in every file."""

    participant: dict[str, str]
    exit: dict[str, str] | None = None
    contacts: list[dict[str, str]] = field(default_factory=list)
    attendance: list[dict[str, str]] = field(default_factory=list)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same rule as the library's calendar: the day is clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def cohort_starts() -> Iterator[tuple[str, dt.date]]:
    """Two cohorts a year since 2016, starting on the second Monday of January and September."""
    for year in range(2016, 2027):
        for month in (1, 9):
            first = dt.date(year, month, 1)
            monday = first + dt.timedelta(days=(7 - first.weekday()) % 7 + 7)
            yield f"{year}-{month:02d}", monday


class Generator:
    """Deals participants into cohorts and writes their journeys."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.rows: list[Row] = []
        self.cohorts: list[dict[str, str]] = []
        self.serial = 0

    def new_participant(self, cohort_id: str, entry: dt.date) -> Row:
        rng = self.rng
        self.serial += 1
        pid = f"GON-{self.serial:04d}"
        age = rng.randint(16, 25)
        birth = entry.replace(year=entry.year - age) - dt.timedelta(days=rng.randint(0, 360))
        first = "".join(rng.choice(_SYLLABLES) for _ in range(2)).title()
        last = "".join(rng.choice(_SYLLABLES) for _ in range(3)).title()
        participant = {
            "participant_id": pid,
            "cohort_id": cohort_id,
            "entry_date": entry.isoformat(),
            "birth_date": birth.isoformat(),
            "gender": rng.choice("FFMMMX" if rng.random() < 0.05 else "FFMMM"),
            # checked at entry (eligibility), so always recorded; six choices keep the sequence
            "education_level": rng.choice(["none", "none", "1", "2", "2", "none"]),
            "qpv": rng.choice(["oui", "oui", "oui", "non"]),
            "status_at_entry": rng.choice(["unemployed", "long_term_unemployed", "inactive"]),
            "scheme": rng.choice(["cej", "cej", "pacea", "none"]),
            "referrer": rng.choice(["mission_locale", "mission_locale", "france_travail", "self"]),
            "counsellor": rng.choice(COUNSELLORS),
            "first_name": first,
            "last_name": last,
            "email": f"{first.lower()}.{last.lower()}.{self.serial}@example.org",
            "phone": f"06 39 98 {self.serial // 100 % 100:02d} {self.serial % 100:02d}",
        }
        row = Row(participant)
        self.rows.append(row)
        return row

    def build(self) -> None:
        classes = [k for k, n in MATURE_CLASSES.items() for _ in range(n)]
        self.rng.shuffle(classes)
        for cohort_id, start in cohort_starts():
            end = add_months(start, 5) - dt.timedelta(days=3)
            self.cohorts.append(
                {
                    "cohort_id": cohort_id,
                    "start_date": start.isoformat(),
                    "end_date": end.isoformat(),
                    "capacity": "16",
                }
            )
            if start.year <= 2025:
                for _ in range(MATURE_PER_COHORT):
                    family, sector = classes.pop()
                    self.mature(self.new_participant(cohort_id, start), start, end, family, sector)
                if cohort_id in NEUTRALISED_COHORTS:
                    self.neutralised(self.new_participant(cohort_id, start), start)
            elif start.month == 1:
                for _ in range(10):
                    self.pending(self.new_participant(cohort_id, start), start, end)
            else:
                self.current(cohort_id, start)
        assert not classes

    def exit_row(self, row: Row, day: dt.date, reason: str, destination: str, **extra: str) -> None:
        row.exit = {
            "participant_id": row.participant["participant_id"],
            "exit_date": day.isoformat(),
            "exit_reason": reason,
            "destination": destination,
            "contract": extra.get("contract", ""),
            "contract_months": extra.get("contract_months", ""),
            "qualifying": extra.get("qualifying", ""),
        }

    def contact(self, row: Row, day: dt.date, situation: str, **extra: str) -> None:
        row.contacts.append(
            {
                "participant_id": row.participant["participant_id"],
                "contact_date": day.isoformat(),
                "situation": situation,
                "contract": extra.get("contract", ""),
                "contract_months": extra.get("contract_months", ""),
                "qualifying": extra.get("qualifying", ""),
                "channel": self.rng.choice(["phone", "phone", "sms", "visit", "email"]),
                "note": "",
            }
        )

    def checkins(self, row: Row, exit_day: dt.date, situations: dict[int, str]) -> None:
        """Contacts near the 1-, 3- and 6-month check-ins, most of them on time."""
        for months, situation in sorted(situations.items()):
            day = add_months(exit_day, months) + dt.timedelta(days=self.rng.randint(-6, 12))
            if day <= AS_OF:
                self.contact(row, day, situation)

    def job(self) -> dict[str, str]:
        contract = self.rng.choice(["cdi", "cdd", "cdd", "interim", "apprenticeship", "subsidised"])
        months = str(self.rng.choice([3, 6, 12])) if contract in ("cdd", "interim") else ""
        return {"contract": contract, "contract_months": months}

    def mature(
        self, row: Row, start: dt.date, end: dt.date, family: str, sector: str | None
    ) -> None:
        rng = self.rng
        if family == "dropout":
            day = start + dt.timedelta(days=rng.randint(20, 110))
            self.exit_row(
                row, day, "dropout", rng.choice(["job_search", "inactive", "unreachable"])
            )
            later = "employment.other" if rng.random() < 0.3 else "unreachable"
            self.checkins(row, day, {1: "unreachable", 3: "job_search", 6: later})
            return
        code = f"{family}.{sector}"
        extra = (
            self.job() if family == "employment" else {"qualifying": rng.choice(["oui", "oui", ""])}
        )
        path = rng.random()
        if path < 0.45:  # straight into training or work at the end of the programme
            self.exit_row(row, end, "completed", code, **extra)
            self.checkins(row, end, {1: code, 3: code, 6: rng.choice([code, "job_search"])})
        elif path < 0.6:  # left early for it
            day = end - dt.timedelta(days=rng.randint(10, 60))
            self.exit_row(row, day, "early_positive", code, **extra)
            self.checkins(row, day, {1: code, 6: code})
        else:  # found it during the follow-up
            self.exit_row(row, end, "completed", "job_search")
            found = rng.choice([1, 3])
            plan = (
                {1: "job_search", 3: code, 6: code} if found == 3 else {1: code, 3: code, 6: code}
            )
            self.checkins(row, end, plan)
            if rng.random() < 0.1:  # a missed check-in: nobody answered
                row.contacts.pop()

    def neutralised(self, row: Row, start: dt.date) -> None:
        day = start + dt.timedelta(days=self.rng.randint(30, 90))
        self.exit_row(row, day, "neutralised", "other")

    def pending(self, row: Row, start: dt.date, end: dt.date) -> None:
        """This year's January cohort: left in late May or June, follow-up window still open."""
        rng = self.rng
        day = end - dt.timedelta(days=rng.randint(0, 14))
        code = rng.choice(
            ["training.digital", "training.other", "employment.digital", "job_search"]
        )
        self.exit_row(row, day, "completed", code)
        plan = {1: code, 3: code}
        if rng.random() < 0.3:
            plan.pop(3)
        self.checkins(row, day, plan)

    def current(self, cohort_id: str, start: dt.date) -> None:
        """This year's September cohort: in the programme on the reference day, two already gone."""
        for index in range(16):
            row = self.new_participant(cohort_id, start)
            last = AS_OF
            if index < 2:  # left early: a first check-in overdue, another one due
                last = dt.date(2026, 10, 5) if index == 0 else dt.date(2026, 10, 20)
                self.exit_row(row, last, "dropout", "job_search")
            self.attendance(row, start, last, at_risk=index in (2, 3))

    def attendance(self, row: Row, start: dt.date, last: dt.date, at_risk: bool) -> None:
        day = start
        pid = row.participant["participant_id"]
        while day <= last:
            if day.weekday() < 5:
                status = "present"
                if at_risk and (AS_OF - day).days < 10 and day.weekday() in (0, 2, 3):
                    status = "absent"
                elif self.rng.random() < 0.04:
                    status = self.rng.choice(["absent", "excused", "late"])
                row.attendance.append(
                    {
                        "participant_id": pid,
                        "date": day.isoformat(),
                        "half_day": "",
                        "status": status,
                        "reason": "",
                    }
                )
            day += dt.timedelta(days=1)


COLUMNS = {
    "participants": [
        "participant_id",
        "cohort_id",
        "entry_date",
        "birth_date",
        "gender",
        "education_level",
        "qpv",
        "status_at_entry",
        "scheme",
        "referrer",
        "counsellor",
        "first_name",
        "last_name",
        "email",
        "phone",
    ],
    "cohorts": ["cohort_id", "start_date", "end_date", "capacity"],
    "exits": [
        "participant_id",
        "exit_date",
        "exit_reason",
        "destination",
        "contract",
        "contract_months",
        "qualifying",
    ],
    "followups": [
        "participant_id",
        "contact_date",
        "situation",
        "contract",
        "contract_months",
        "qualifying",
        "channel",
        "note",
    ],
    "attendance": ["participant_id", "date", "half_day", "status", "reason"],
    "phases": ["participant_id", "phase", "start_date"],
}


def phase_plan() -> list[tuple[str, int]]:
    """Each phase of programme.toml and the week after entry it starts in (first: week 0)."""
    with (Path(__file__).parent / "programme.toml").open("rb") as handle:
        phases = tomllib.load(handle)["phases"]
    plan, week = [], 0
    for phase in phases:
        plan.append((phase["id"], week))
        week += phase.get("weeks", 0)
    return plan


def phase_rows(row: Row, plan: list[tuple[str, int]]) -> list[dict[str, str]]:
    """The phases a participant moved on to, on schedule, up to their exit or the reference day.

    The first phase starts at enrolment, so it has no row. Computed from the dates
    alone (no random draw), so the figures stay those published.
    """
    entry = dt.date.fromisoformat(row.participant["entry_date"])
    last = AS_OF if row.exit is None else dt.date.fromisoformat(row.exit["exit_date"])
    pid = row.participant["participant_id"]
    starts = [(phase, entry + dt.timedelta(weeks=week)) for phase, week in plan[1:]]
    return [
        {"participant_id": pid, "phase": phase, "start_date": day.isoformat()}
        for phase, day in starts
        if day <= min(last, AS_OF)
    ]


def _french(value: str) -> str:
    """An ISO date as French Excel writes it; anything else unchanged."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def write(out: Path, dialect: str = "plain", seed: int = SEED) -> dict[str, int]:
    """Write the six canonical files into ``out``; returns the row count of each."""
    generator = Generator(seed)
    generator.build()
    plan = phase_plan()
    tables = {
        "participants": [r.participant for r in generator.rows],
        "cohorts": generator.cohorts,
        "exits": [r.exit for r in generator.rows if r.exit is not None],
        "followups": [c for r in generator.rows for c in r.contacts],
        "attendance": [a for r in generator.rows for a in r.attendance],
        "phases": [p for r in generator.rows for p in phase_rows(r, plan)],
    }
    out.mkdir(parents=True, exist_ok=True)
    excel = dialect == "excel-fr"
    for kind, rows in tables.items():
        path = out / f"{kind}.csv"
        with path.open("w", newline="", encoding="cp1252" if excel else "utf-8") as handle:
            writer = csv.writer(handle, delimiter=";" if excel else ",", lineterminator="\r\n")
            writer.writerow(COLUMNS[kind])
            for row in rows:
                writer.writerow([_french(row[c]) if excel else row[c] for c in COLUMNS[kind]])
    return {kind: len(rows) for kind, rows in tables.items()}


def summary(counts: dict[str, int]) -> str:
    """The line ``main`` prints: the row count of each file written."""
    return ", ".join(f"{kind}: {n} rows" for kind, n in counts.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the CSV files into")
    parser.add_argument("--dialect", choices=["plain", "excel-fr"], default="plain")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    counts = write(args.out, args.dialect, args.seed)
    print(summary(counts))


if __name__ == "__main__":
    main()
