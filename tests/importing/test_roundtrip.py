"""Files written from journeys read back as the same journeys, in every dialect, and again."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core import DataError, Workspace
from insertion_core.domain import (
    AttendanceRecord,
    AttendanceStatus,
    Channel,
    Cohort,
    Contract,
    EducationLevel,
    Exit,
    ExitReason,
    FollowUpContact,
    Gender,
    HalfDay,
    Journey,
    Participant,
    PersonalData,
    Programme,
    Referrer,
    Scheme,
    Sector,
    Situation,
    StatusAtEntry,
)
from insertion_core.importing import import_directory, import_file

from ..paths import SAMPLE_SITE
from ..strategies import populations, programmes
from .conftest import open_workspace, snapshot, store_programme, write
from .files import (
    EXCEL_FR,
    EXCEL_FR_UTF8,
    EXCEL_FR_UTF8_NO_BOM,
    PLAIN,
    Dialect,
    csv_text,
    rows_of,
    write_directory,
)

AFTER_EVERYTHING = dt.date(2030, 1, 1)  # strategies draw contacts up to mid-2028


def _workspace_for(programme: Programme) -> Workspace:
    workspace = open_workspace()
    store_programme(workspace, programme)
    return workspace


def _personal(journeys: list[Journey]) -> dict[str, PersonalData]:
    names = ["Thérèse", "Maëlys", "Jérôme", "Œdipe", "Zoé"]
    return {
        j.participant_id: PersonalData(
            j.participant_id,
            first_name=names[n % len(names)],
            last_name="N’Diaye" if n % 2 else None,
            phone="06 12 34 56 78" if n % 3 == 0 else None,
        )
        for n, j in enumerate(journeys)
    }


def _cohorts(journeys: list[Journey]) -> list[Cohort]:
    ids = sorted({j.participant.cohort_id for j in journeys})
    return [Cohort(c, dt.date(int(c[1:5]), int(c[5:]), 1), None, 16) for c in ids]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_journeys_read_back_and_reimport_changes_nothing(data: st.DataObject) -> None:
    programme = attrs.evolve(data.draw(programmes()), phases=())
    journeys = data.draw(populations(programme, max_size=12))
    dialect = data.draw(st.sampled_from([PLAIN, EXCEL_FR, EXCEL_FR_UTF8, EXCEL_FR_UTF8_NO_BOM]))
    personal = _personal(journeys)
    cohorts = _cohorts(journeys)
    workspace = _workspace_for(programme)
    with TemporaryDirectory() as folder:
        write_directory(Path(folder), journeys, dialect, personal, cohorts)
        first = import_directory(workspace, programme.id, folder, today=AFTER_EVERYTHING)
        stored = snapshot(workspace, programme.id)
        assert stored["journeys"] == sorted(journeys, key=lambda j: j.participant_id)
        assert stored["cohorts"] == cohorts
        assert stored["personal"] == [personal[j.participant_id] for j in stored["journeys"]]
        assert first.counts["participants"].added == len(journeys)
        again = import_directory(workspace, programme.id, folder, today=AFTER_EVERYTHING)
        assert not again.changed
        assert snapshot(workspace, programme.id) == stored


def _mixed_journeys() -> list[Journey]:
    """A fixed population that uses every column, with characters Windows-1252 can encode."""

    journeys = []
    for n in range(12):
        entry = dt.date(2023, 1 + n % 12, 1 + n)
        participant = Participant(
            f"{n:05d}",
            f"C{entry:%Y%m}",
            entry,
            birth_date=dt.date(2003, 12, 31) - dt.timedelta(days=40 * n),
            gender=[Gender.F, Gender.M, Gender.X, None][n % 4],
            education_level=[EducationLevel.NONE, EducationLevel.L3, EducationLevel.L4][n % 3],
            qpv=[True, False, None][n % 3],
            qpv_code="QN09512M" if n % 2 else None,
            status_at_entry=list(StatusAtEntry)[n % 5],
            scheme=list(Scheme)[n % 4],
            referrer=list(Referrer)[n % 9],
            counsellor=f"cip-{n % 3}",
        )
        exit_ = None
        contacts: tuple[FollowUpContact, ...] = ()
        if n % 4:
            day = entry + dt.timedelta(days=150)
            exit_ = Exit(
                day,
                list(ExitReason)[n % 5],
                Situation("employment", Sector.DIGITAL if n % 2 else Sector.OTHER),
                contract=Contract.CDD,
                contract_months=Decimal("4.5"),
                qualifying=bool(n % 2),
            )
            contacts = (
                FollowUpContact(
                    day + dt.timedelta(days=31),
                    Situation("training"),
                    channel=Channel.SMS,
                    note="a rappelé, très motivée",
                ),
                FollowUpContact(
                    day + dt.timedelta(days=92), Situation("job_search"), qualifying=False
                ),
            )
        attendance = (
            AttendanceRecord(entry, AttendanceStatus.PRESENT),
            AttendanceRecord(
                entry + dt.timedelta(days=1),
                AttendanceStatus.ABSENT,
                HalfDay.AM,
                reason="rendez-vous médical",
            ),
        )
        journeys.append(Journey(participant, (), exit_, contacts, attendance))
    return journeys


def test_french_excel_dialect_reads_back_identical_to_plain(tmp_path: Path) -> None:
    journeys = _mixed_journeys()
    personal = _personal(journeys)
    cohorts = _cohorts(journeys)
    snapshots = []
    for dialect in (PLAIN, EXCEL_FR, EXCEL_FR_UTF8, EXCEL_FR_UTF8_NO_BOM):
        folder = write_directory(
            tmp_path / str(len(snapshots)), journeys, dialect, personal, cohorts
        )
        workspace = open_workspace(_PROGRAMME_NO_LIMITS)
        import_directory(workspace, "demo", folder, today=dt.date(2025, 6, 30))
        snapshots.append(snapshot(workspace))
    assert snapshots[0]["journeys"] == journeys
    assert all(s == snapshots[0] for s in snapshots[1:])
    raw = (tmp_path / "1" / "participants.csv").read_bytes()
    assert raw.startswith(b"sep=;\r\nParticipant Id;") and "Thérèse".encode("cp1252") in raw


_PROGRAMME_NO_LIMITS = """
[programme]
id = "demo"
name = "Demo"
[followup]
months = 6
checkpoints = [1, 3, 6]
[outcomes]
positive = ["employment", "training"]
"""


@pytest.fixture
def sample_site() -> Path:
    """The sample site (docs/data-formats.md, The CSV files; plain dialect)."""
    return SAMPLE_SITE


def test_sample_site_imports(sample_site: Path) -> None:
    workspace = open_workspace((sample_site / "programme.toml").read_text())
    summary = import_directory(workspace, "sample-site", sample_site, today=dt.date(2026, 11, 25))
    assert summary.lines() == [
        "participants: 158 added, 0 updated, 0 unchanged",
        "exits: 150 added, 0 updated, 0 unchanged",
        "followups: 374 added, 0 updated, 0 unchanged",
    ]
    assert all(w.split(": ")[2] == "warning" for w in summary.warnings)
    edge = workspace.journey("sample-site", "EDGE09")
    assert edge.participant.cohort_id
    again = import_directory(workspace, "sample-site", sample_site, today=dt.date(2026, 11, 25))
    assert not again.changed


def test_one_bad_row_among_thousands_refuses_the_whole_file(tmp_path: Path) -> None:
    journeys = [
        Journey(attrs.evolve(j.participant, participant_id=f"P{n:05d}"))
        for n, j in enumerate(_mixed_journeys() * 250)
    ]
    rows = rows_of("participants", journeys)
    rows[2716]["entry_date"] = "2024-02-30"
    path = write(tmp_path / "participants.csv", csv_text("participants", rows, EXCEL_FR), "cp1252")
    workspace = open_workspace(_PROGRAMME_NO_LIMITS)
    try:
        import_file(workspace, "demo", "participants", path, today=dt.date(2025, 6, 30))
    except DataError as error:
        # sep line, header, then rows with an empty row after every seventh from the fourth.
        line = 3 + 2716 + (2716 + 3) // 7
        assert [str(p) for p in error.problems] == [
            f"{path}:{line}: entry_date: '2024-02-30' is not a real day of the calendar"
        ]
        assert path.read_text("cp1252").splitlines()[line - 1].startswith(" P02716")
    else:
        raise AssertionError("the file was accepted")
    assert snapshot(workspace)["journeys"] == []
    rows[2716]["entry_date"] = dt.date(2024, 2, 29)
    write(path, csv_text("participants", rows, EXCEL_FR), "cp1252")
    summary = import_file(workspace, "demo", "participants", path, today=dt.date(2025, 6, 30))
    assert summary.lines() == ["participants: 3000 added, 0 updated, 0 unchanged"]


def test_sample_site_copy_with_one_bad_exit_writes_nothing(
    tmp_path: Path, sample_site: Path
) -> None:
    folder = tmp_path / "site"
    shutil.copytree(sample_site, folder)
    exits = (folder / "exits.csv").read_text("utf-8-sig").splitlines()
    exits[5] = exits[5].replace(",completed,", ",finished,").replace(",dropout,", ",finished,")
    (folder / "exits.csv").write_text("\n".join(exits) + "\n", "utf-8-sig")
    workspace = open_workspace((sample_site / "programme.toml").read_text())
    try:
        import_directory(workspace, "sample-site", folder, today=dt.date(2026, 11, 25))
    except DataError as error:
        assert [str(p) for p in error.problems] == [
            f"{folder / 'exits.csv'}:6: exit_reason: unknown value 'finished', expected one of: "
            "completed, early_positive, dropout, other, neutralised"
        ]
    else:
        raise AssertionError("the directory was accepted")
    assert snapshot(workspace, "sample-site")["journeys"] == []


def test_dialect_helper_writes_what_excel_writes() -> None:
    text = csv_text(
        "attendance",
        [{"participant_id": "P1", "date": dt.date(2024, 9, 9)}],
        Dialect(";", "cp1252", french=True),
    )
    assert text == "participant_id;date;half_day;status;reason\r\nP1;09/09/2024;;;\r\n"
