"""What the audit trail tests share: a participant with personal data, every write, files to import.

The personal values are distinctive, so a search of the journal for them
cannot succeed by accident; the participant ids are too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from insertion_core import (
    AttendanceRecord,
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
    Situation,
    Workspace,
)
from insertion_core.domain import AttendanceStatus, ExitReason, HalfDay, Sector

from .conftest import PROGRAMME_TOML

D = dt.date
PROGRAMME = "gonesse"
ALICE = Participant("A001", "2025-09", D(2025, 9, 1), birth_date=D(2006, 4, 2))
ALICE_PERSONAL = PersonalData(
    "A001",
    first_name="Zoéline",
    last_name="Tanguy-Marchetti",
    email="zoeline.tanguy@example.org",
    phone="06 12 34 56 78",
)
CONTACT_NOTE = "Rappeler après son entretien chez Boulangerie Vermeil"
ABSENCE_REASON = "Rendez-vous médical à l'hôpital Bichat"

#: The operations :func:`write_everything` records, in order.
EVERY_OPERATION = [
    "programme.save",
    "participant.enrol",
    "participant.phase",
    "participant.attendance",
    "participant.exit",
    "participant.followup",
]

IMPORT_PARTICIPANTS = (
    "participant_id,cohort_id,entry_date,birth_date,first_name,last_name,email,phone\n"
    "B777,2025-09,2025-09-01,2006-01-02,Anatolia,Quennevilliers,anatolia.q@example.net,"
    "07 98 76 54 32\n"
    "B778,2025-09,2025-09-01,2005-03-04,Bérengère,Oudinot-Laval,b.oudinot@example.net,"
    "+33 6 11 22 33 44\n"
)
IMPORT_EXITS = (
    "participant_id,exit_date,exit_reason,destination\nB777,2026-01-30,completed,employment.other\n"
)
IMPORT_FOLLOWUPS = (
    "participant_id,contact_date,situation,note\n"
    "B777,2026-03-02,employment.other,Embauché chez Menuiserie Plantagenêt\n"
)

#: Every personal value written by :func:`write_everything` and the import files.
PERSONAL_VALUES = (
    "Zoéline",
    "Tanguy-Marchetti",
    "zoeline.tanguy@example.org",
    "06 12 34 56 78",
    CONTACT_NOTE,
    ABSENCE_REASON,
    "Anatolia",
    "Quennevilliers",
    "anatolia.q@example.net",
    "07 98 76 54 32",
    "Bérengère",
    "Oudinot-Laval",
    "b.oudinot@example.net",
    "+33 6 11 22 33 44",
    "Menuiserie Plantagenêt",
)
PARTICIPANT_IDS = ("A001", "B777", "B778")


def write_everything(workspace: Workspace) -> None:
    """Load the programme, then enrol Alice and change her journey by every Workspace method."""
    workspace.save_programme(PROGRAMME_TOML, "gonesse.toml")
    workspace.enrol(PROGRAMME, ALICE, ALICE_PERSONAL)
    workspace.start_next_phase(PROGRAMME, "A001", D(2025, 9, 15))
    workspace.record_attendance(
        PROGRAMME,
        "A001",
        AttendanceRecord(
            D(2025, 9, 16), AttendanceStatus.EXCUSED, HalfDay.AM, reason=ABSENCE_REASON
        ),
    )
    workspace.record_exit(
        PROGRAMME,
        "A001",
        Exit(D(2026, 1, 30), ExitReason.COMPLETED, Situation("training", Sector.DIGITAL)),
    )
    workspace.record_followup(
        PROGRAMME,
        "A001",
        FollowUpContact(D(2026, 3, 2), Situation("employment"), note=CONTACT_NOTE),
    )


def import_folder(root: Path) -> Path:
    """A folder of participants, exits and followups files holding personal data."""
    folder = root / "to-import"
    folder.mkdir()
    (folder / "participants.csv").write_text(IMPORT_PARTICIPANTS, encoding="utf-8")
    (folder / "exits.csv").write_text(IMPORT_EXITS, encoding="utf-8")
    (folder / "followups.csv").write_text(IMPORT_FOLLOWUPS, encoding="utf-8")
    return folder
