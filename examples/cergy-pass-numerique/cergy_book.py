"""The Cergy data as the site keeps it: one French workbook, sheet by sheet.

The same participants as :mod:`cergy_data` (same seed, same figures), written
as ``suivi-cergy.xlsx`` with French sheet names (Participants, Promotions,
Phases, Sorties, Suivi) and French headers, plus two headers of the site's
own (``N° dossier``, ``Conseiller référent``) that the programme file maps in
``[import.columns]``. The participants carry made-up names and phones from
the range reserved for fiction (06 39 98 ...), so that a counsellor's due
list has someone to call. :func:`write_contacts` writes the month's new
contacts alone, as a site sends them after the first import.

Run ``python examples/cergy-pass-numerique/cergy_book.py OUT_DIR``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import cergy_data
import openpyxl

BOOK = "suivi-cergy.xlsx"
#: Phase ids of programme.toml and the weeks after entry each one starts.
PHASE_STARTS = (("discovery", 0), ("immersion", 4), ("project", 10))
#: Each sheet: its name, the generator's table, and (header, column) pairs.
SHEETS = (
    ("Participants", "participants", (
        ("N° dossier", "participant_id"), ("Promotion", "cohort_id"),
        ("Date d'entrée", "entry_date"), ("Date de naissance", "birth_date"),
        ("Sexe", "gender"), ("Niveau de diplôme", "education_level"), ("QPV", "qpv"),
        ("Statut à l'entrée", "status_at_entry"), ("Conseiller référent", "counsellor"),
        ("Prénom", "first_name"), ("Nom", "last_name"), ("Téléphone", "phone"),
        ("Courriel", "email"), ("Commentaires", "Commentaires"),
    )),
    ("Promotions", "cohorts", (
        ("Promotion", "cohort_id"), ("Date de début", "start_date"),
        ("Date de fin", "end_date"), ("Capacité", "capacity"),
    )),
    ("Phases", "phases", (
        ("N° dossier", "participant_id"), ("Phase", "phase"), ("Date de début", "start_date"),
    )),
    ("Sorties", "exits", (
        ("N° dossier", "participant_id"), ("Date de sortie", "exit_date"),
        ("Motif de sortie", "exit_reason"), ("Situation à la sortie", "destination"),
        ("Contrat", "contract"), ("Durée du contrat (mois)", "contract_months"),
        ("Qualifiant", "qualifying"),
    )),
    ("Suivi", "followups", (
        ("N° dossier", "participant_id"), ("Date du contact", "contact_date"),
        ("Situation", "situation"), ("Canal", "channel"),
    )),
)  # fmt: skip
FIRST_NAMES = ("Inès", "Yanis", "Léa", "Moussa", "Chloé", "Karim", "Awa", "Lucas", "Sofia", "Nolan")
LAST_NAMES = ("Martin", "Diallo", "Bernard", "Nguyen", "Haddad", "Petit", "Traoré", "Moreau")


def tables(seed: int = cergy_data.SEED) -> dict[str, list[dict[str, str]]]:
    """The generator's tables, with made-up contact details and each participant's phases."""
    generator = cergy_data.Generator(seed)
    generator.build()
    found = dict(generator.tables)
    names = random.Random(seed + 1)  # its own stream: the figures' draws stay as they are
    for index, row in enumerate(found["participants"]):
        first, last = names.choice(FIRST_NAMES), names.choice(LAST_NAMES)
        row.update(
            first_name=first,
            last_name=last,
            phone=f"06 39 98 {index // 100:02d} {index % 100:02d}",
            email=f"{first.lower().replace('è', 'e').replace('é', 'e')}.{last.lower()}@example.org",
        )
    exits = {row["participant_id"]: row["exit_date"] for row in found["exits"]}
    found["phases"] = []
    for row in found["participants"]:
        entry = dt.date.fromisoformat(row["entry_date"])
        leaves = exits.get(row["participant_id"], cergy_data.AS_OF.isoformat())
        for phase, weeks in PHASE_STARTS:
            start = (entry + dt.timedelta(weeks=weeks)).isoformat()
            if start <= leaves:
                found["phases"].append(
                    {"participant_id": row["participant_id"], "phase": phase, "start_date": start}
                )
    return found


def _cell(value: str) -> str | dt.date:
    """A date as a real Excel date, as a site's workbook holds it; text unchanged."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value


def _save(path: Path, sheets: list[tuple[str, list[str], list[list[str]]]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, headers, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.append(headers)
        for row in rows:
            sheet.append([_cell(value) for value in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def write_workbook(out: Path, seed: int = cergy_data.SEED) -> dict[str, int]:
    """Write ``out/suivi-cergy.xlsx``, one sheet per kind; returns the row count of each kind."""
    found = tables(seed)
    sheets = []
    for name, kind, pairs in SHEETS:
        rows = [[row[column] for _, column in pairs] for row in found[kind]]
        sheets.append((name, [header for header, _ in pairs], rows))
    _save(out / BOOK, sheets)
    return {kind: len(found[kind]) for _, kind, _ in SHEETS}


def write_contacts(path: Path, contacts: list[tuple[str, dt.date, str, str]]) -> None:
    """Write a workbook of one ``Suivi`` sheet: the month's new contacts only."""
    _, _, pairs = SHEETS[-1]
    rows = [[pid, day.isoformat(), situation, channel] for pid, day, situation, channel in contacts]
    _save(path, [("Suivi", [header for header, _ in pairs], rows)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the workbook into")
    parser.add_argument("--seed", type=int, default=cergy_data.SEED)
    args = parser.parse_args()
    counts = write_workbook(args.out, args.seed)
    print(", ".join(f"{kind}: {n} rows" for kind, n in counts.items()))


if __name__ == "__main__":
    main()
