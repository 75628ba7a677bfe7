"""Deterministic synthetic data for the made-up Pass numérique de Cergy.

No real person is in it, and the site itself is invented. The files are
written the way French Excel saves them (``;``, Windows-1252, DD/MM/YYYY,
oui/non) with a free-text ``Commentaires`` column that the programme file
tells the importer to skip. The 48 mature participants' outcome classes are
dealt in exact numbers (:data:`MATURE_CLASSES`), so a test can check every
key figure; around them sit 2 neutralised participants, a cohort whose
one-year follow-up is still open and a cohort still in the programme.

Run ``python examples/cergy-pass-numerique/cergy_data.py OUT_DIR``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

AS_OF = dt.date(2026, 6, 30)
SEED = 95000
PROGRAMME_WEEKS = 18
#: Cohort id, first day (a Monday), and what happens to its participants.
COHORTS = (
    ("2023-03", dt.date(2023, 3, 6), "mature"),
    ("2023-10", dt.date(2023, 10, 2), "mature"),
    ("2024-03", dt.date(2024, 3, 4), "mature"),
    ("2024-10", dt.date(2024, 10, 7), "mature"),
    ("2025-11", dt.date(2025, 11, 3), "pending"),
    ("2026-04", dt.date(2026, 4, 6), "current"),
)
#: Outcome classes dealt among the 48 mature participants: (class, sector) -> count.
MATURE_CLASSES = {
    ("dropout", None): 6,
    ("employment", "digital"): 8,
    ("employment", "other"): 6,
    ("business_creation", "digital"): 5,
    ("business_creation", "other"): 3,
    ("training", "digital"): 4,
    ("training", "other"): 6,
    ("civic_service", None): 4,
    ("none", None): 6,
}
CHECKPOINTS = (3, 6, 12)

COLUMNS = {
    "participants": [
        "participant_id", "cohort_id", "entry_date", "birth_date", "gender",
        "education_level", "qpv", "status_at_entry", "counsellor", "Commentaires",
    ],
    "cohorts": ["cohort_id", "start_date", "end_date", "capacity"],
    "exits": [
        "participant_id", "exit_date", "exit_reason", "destination", "contract",
        "contract_months", "qualifying",
    ],
    "followups": ["participant_id", "contact_date", "situation", "channel"],
}  # fmt: skip


def add_months(day: dt.date, months: int) -> dt.date:
    """The library's calendar rule: the day is clamped to the month's end."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class Generator:
    """Deals the participants of every cohort and writes their rows."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.tables: dict[str, list[dict[str, str]]] = {kind: [] for kind in COLUMNS}
        self.count = 0

    def build(self) -> None:
        classes = [key for key, n in MATURE_CLASSES.items() for _ in range(n)]
        self.rng.shuffle(classes)
        for cohort_id, start, fate in COHORTS:
            end = start + dt.timedelta(weeks=PROGRAMME_WEEKS, days=-3)
            size = {"mature": 12, "pending": 10, "current": 8}[fate]
            self.tables["cohorts"].append(
                {"cohort_id": cohort_id, "start_date": iso(start), "end_date": iso(end),
                 "capacity": "14"}
            )  # fmt: skip
            for index in range(size):
                pid = self.participant(cohort_id, start)
                if fate == "mature":
                    self.mature(pid, start, end, *classes.pop())
                elif fate == "pending":
                    self.leave(pid, end, "completed", self.rng.choice(["employment", "job_search"]))
                    if index % 3:  # every third one missed the three-month check-in
                        self.checkins(pid, end, {3: "employment.digital"})
            if cohort_id in ("2023-03", "2023-10"):  # moved away: withdrawn from denominators
                pid = self.participant(cohort_id, start)
                self.leave(pid, start + dt.timedelta(days=40), "neutralised", "other")
        assert not classes

    def participant(self, cohort_id: str, start: dt.date) -> str:
        self.count += 1
        pid = f"CPN-{self.count:03d}"
        rng = self.rng
        age = rng.randint(18, 28)
        birth = start - dt.timedelta(days=365 * age + rng.randint(10, 300))
        self.tables["participants"].append(
            {
                "participant_id": pid,
                "cohort_id": cohort_id,
                "entry_date": iso(start),
                "birth_date": iso(birth),
                "gender": rng.choice(["F", "M", "F", "H", ""]),
                "education_level": rng.choice(["none", "2", "3", "4", "V", ""]),
                "qpv": rng.choice(["oui", "non", "non"]),
                "status_at_entry": rng.choice(["unemployed", "inactive", "long_term_unemployed"]),
                "counsellor": rng.choice(["cergy-a", "cergy-b"]),
                "Commentaires": rng.choice(["", "à recontacter", "très motivé·e"]),
            }
        )
        return pid

    def leave(self, pid: str, day: dt.date, reason: str, destination: str) -> None:
        extra = {"contract": "", "contract_months": "", "qualifying": ""}
        if destination.startswith("employment"):
            extra["contract"] = self.rng.choice(["cdi", "cdd"])
            extra["contract_months"] = "6,5" if extra["contract"] == "cdd" else ""
        elif destination.startswith("training"):
            extra["qualifying"] = "oui"
        self.tables["exits"].append(
            {"participant_id": pid, "exit_date": iso(day), "exit_reason": reason,
             "destination": destination, **extra}
        )  # fmt: skip

    def checkins(self, pid: str, exit_day: dt.date, plan: dict[int, str]) -> None:
        """A contact a few days before each planned checkpoint, up to the reference day."""
        for months, situation in sorted(plan.items()):
            day = add_months(exit_day, months) - dt.timedelta(days=self.rng.randint(0, 5))
            if day <= AS_OF:
                self.tables["followups"].append(
                    {"participant_id": pid, "contact_date": iso(day), "situation": situation,
                     "channel": self.rng.choice(["phone", "sms", "visit"])}
                )  # fmt: skip

    def mature(
        self, pid: str, start: dt.date, end: dt.date, outcome: str, sector: str | None
    ) -> None:
        if outcome == "dropout":
            day = start + dt.timedelta(days=self.rng.randint(20, 90))
            self.leave(pid, day, "dropout", "job_search")
            self.checkins(pid, day, {3: "unreachable", 6: "employment.other"})
            return
        if outcome == "none":
            self.leave(pid, end, "completed", "job_search")
            self.checkins(pid, end, {3: "job_search", 6: "inactive", 12: "unreachable"})
            return
        code = outcome if sector is None else f"{outcome}.{sector}"
        if self.rng.random() < 0.5:  # straight into it at the end of the programme
            self.leave(pid, end, "completed", code)
            self.checkins(pid, end, {k: code for k in CHECKPOINTS})
        else:  # found it by the three-month check-in
            self.leave(pid, end, "completed", "job_search")
            self.checkins(pid, end, {3: code, 6: code, 12: code})


def iso(day: dt.date) -> str:
    return day.isoformat()


def _french(value: str) -> str:
    """An ISO date as French Excel writes it; anything else unchanged."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def write(out: Path, seed: int = SEED) -> dict[str, int]:
    """Write participants, cohorts, exits and followups into ``out``; returns row counts."""
    generator = Generator(seed)
    generator.build()
    out.mkdir(parents=True, exist_ok=True)
    for kind, rows in generator.tables.items():
        with (out / f"{kind}.csv").open("w", newline="", encoding="cp1252") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(COLUMNS[kind])
            for row in rows:
                writer.writerow([_french(row[c]) for c in COLUMNS[kind]])
    return {kind: len(rows) for kind, rows in generator.tables.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the CSV files into")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    counts = write(args.out, args.seed)
    print(", ".join(f"{kind}: {n} rows" for kind, n in counts.items()))


if __name__ == "__main__":
    main()
