"""Staff lists on the command line: whom to call in ``followups``, and ``participants list/show``.

A small site built through the Workspace API: a participant in follow-up with
two failed calls since the last time she was reached, one at risk in the
programme, one planned for next month, one whose follow-up is over.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner, Result

from insertion_core import (
    AttendanceRecord,
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
    Situation,
    Workspace,
    get_plugin_manager,
)
from insertion_core.cli import make_cli
from insertion_core.cli.participants_cmd import STATUSES
from insertion_core.domain import AttendanceStatus, Channel, ExitReason
from insertion_core.domain.standing import ParticipantStatus

from .conftest import PROGRAMME_TOML

AS_OF = "2026-06-01"
DAY = dt.date(2026, 6, 1)


def run(db: str, *args: str) -> Result:
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('staff') / 'site.db'}"
    d = dt.date
    with Workspace.open(url, initialise=True) as ws:
        ws.save_programme(PROGRAMME_TOML, "gonesse.toml")
        alice = Participant("A1", "C1", d(2026, 1, 5), birth_date=d(2005, 1, 1), counsellor="cip-1")
        ws.enrol(
            "gonesse", alice, PersonalData("A1", "Alice", "Martin", "alice@example.org", "0611")
        )
        ws.start_next_phase("gonesse", "A1", d(2026, 1, 19))
        ws.record_exit(
            "gonesse", "A1", Exit(d(2026, 5, 4), ExitReason.COMPLETED, Situation("job_search"))
        )
        for day, family, channel in [
            (d(2026, 5, 10), "employment", Channel.PHONE),
            (d(2026, 5, 15), "unreachable", Channel.PHONE),
            (d(2026, 5, 18), "unreachable", Channel.SMS),
        ]:
            contact = FollowUpContact(day, Situation(family), channel=channel, note="rappeler")
            ws.record_followup("gonesse", "A1", contact)
        bruno = Participant("B2", "C2", d(2026, 3, 2), counsellor="cip-2")
        ws.enrol("gonesse", bruno, PersonalData("B2", "Bruno", None, None, "0622"))
        for day in (d(2026, 5, 26), d(2026, 5, 28)):
            ws.record_attendance("gonesse", "B2", AttendanceRecord(day, AttendanceStatus.ABSENT))
        ws.enrol("gonesse", Participant("C3", "C3", d(2026, 7, 1), birth_date=d(2004, 2, 2)))
        ws.enrol("gonesse", Participant("D4", "C1", d(2024, 9, 2), birth_date=d(2004, 2, 2)))
        ws.record_exit(
            "gonesse", "D4", Exit(d(2025, 1, 10), ExitReason.COMPLETED, Situation("training"))
        )
    return url


def test_the_status_choices_are_the_domain_statuses() -> None:
    assert tuple(s.value for s in ParticipantStatus) == STATUSES


def test_due_list_shows_whom_to_call_and_the_calls_since(db: str) -> None:
    result = run(db, "followups", "due", "--programme", "gonesse", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:4] == [
        "2026-06-04  due      A1              1 month    cip-1",
        "            Alice Martin  0611  alice@example.org",
        "            last contact 2026-05-18 unreachable.other (sms), 2 unreachable attempts since",
    ]
    [item] = json.loads(
        run(
            db, "followups", "due", "--programme", "gonesse", "--as-of", AS_OF, "--format", "json"
        ).stdout
    )
    assert item == {
        "participant_id": "A1",
        "checkpoint_months": 1,
        "due_date": "2026-06-04",
        "status": "due",
        "counsellor": "cip-1",
        "first_name": "Alice",
        "last_name": "Martin",
        "phone": "0611",
        "email": "alice@example.org",
        "last_contact": {"date": "2026-05-18", "situation": "unreachable.other", "channel": "sms"},
        "attempts_since": 2,
    }


def test_the_last_contact_is_the_latest_on_or_before_as_of(db: str) -> None:
    base = ["followups", "due", "--programme", "gonesse", "--format", "json"]
    [item] = json.loads(run(db, *base, "--as-of", "2026-05-26").stdout)
    assert item["last_contact"]["date"] == "2026-05-18"
    with Workspace.open(db) as ws:
        [risk_free] = ws.participants(
            "gonesse", as_of=dt.date(2026, 5, 16), cohort="C1", status="in_followup"
        )
    assert risk_free.reach.last_contact is not None
    assert risk_free.reach.last_contact.contact_date == dt.date(2026, 5, 15)
    assert risk_free.reach.attempts_since == 1


def test_at_risk_shows_the_person_and_filters_by_counsellor(db: str) -> None:
    base = ["followups", "at-risk", "--programme", "gonesse", "--as-of", AS_OF]
    result = run(db, *base)
    assert result.exit_code == 0
    assert "  B2              4 half-days  cip-2" in result.stdout
    assert "    Bruno  0622  no e-mail" in result.stdout
    assert "    no contact yet" in result.stdout
    csv = run(db, *base, "--format", "csv", "--no-names").stdout.splitlines()
    assert csv == [
        "participant_id,absences,counsellor,last_contact_date,last_contact_situation,"
        "last_contact_channel,attempts_since",
        "B2,4,cip-2,,,,0",
    ]
    assert json.loads(run(db, *base, "--counsellor", "cip-1", "--format", "json").stdout) == []


def test_participants_list_by_status_with_their_phase(db: str) -> None:
    base = ["participants", "list", "--programme", "gonesse", "--as-of", AS_OF, "--format", "json"]
    listed = json.loads(run(db, *base).stdout)
    assert [(p["participant_id"], p["status"], p["phase"]) for p in listed] == [
        ("A1", "in_followup", "projets"),
        ("B2", "in_programme", "accueil"),
        ("C3", "planned", None),
        ("D4", "closed", "accueil"),
    ]
    assert listed[0]["exit_date"] == "2026-05-04" and listed[1]["exit_date"] is None
    for status, ids in [("planned", ["C3"]), ("closed", ["D4"]), ("in_programme", ["B2"])]:
        found = json.loads(run(db, *base, "--status", status).stdout)
        assert [p["participant_id"] for p in found] == ids
    assert [
        p["participant_id"] for p in json.loads(run(db, *base, "--phase", "projets").stdout)
    ] == ["A1"]
    assert [p["participant_id"] for p in json.loads(run(db, *base, "--cohort", "C1").stdout)] == [
        "A1",
        "D4",
    ]
    assert [
        p["participant_id"] for p in json.loads(run(db, *base, "--counsellor", "cip-2").stdout)
    ] == ["B2"]


def test_participants_list_as_text_and_csv_without_names(db: str) -> None:
    base = ["participants", "list", "--programme", "gonesse", "--as-of", AS_OF]
    text = run(db, *base, "--cohort", "C1")
    assert text.exit_code == 0
    assert text.stdout.splitlines() == [
        "A1              C1          in_followup   projets       cip-1",
        "    Alice Martin  0611  alice@example.org",
        "    last contact 2026-05-18 unreachable.other (sms), 2 unreachable attempts since",
        "D4              C1          closed        accueil       -",
        "    (no name)  no phone  no e-mail",
        "    no contact yet",
        "2 participant(s)",
    ]
    csv = run(db, *base, "--format", "csv", "--no-names", "--status", "in_followup").stdout
    assert "Alice" not in csv and "0611" not in csv
    assert (
        csv.splitlines()[1]
        == "A1,C1,cip-1,2026-01-05,2026-05-04,in_followup,projets,2026-05-18,unreachable.other,sms,2"
    )
    nobody = run(db, *base, "--cohort", "none")
    assert (nobody.exit_code, nobody.stdout) == (0, "No participant matches.\n")


def test_participants_list_refuses_an_unknown_status(db: str) -> None:
    result = run(db, "participants", "list", "--programme", "gonesse", "--status", "gone")
    assert result.exit_code == 2
    assert (
        "'gone' is not one of 'planned', 'in_programme', 'in_followup', 'closed'" in result.stderr
    )


def test_participants_show_the_whole_journey(db: str) -> None:
    result = run(db, "participants", "show", "--programme", "gonesse", "--as-of", "1/6/2026", "A1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "A1: Alice Martin",
        "  phone 0611, e-mail alice@example.org",
        "  cohort C1, counsellor cip-1, entered 2026-01-05, status in_followup",
        "Phases:",
        "  2026-01-05 to 2026-01-19  Accueil et diagnostic",
        "  2026-01-19 to 2026-05-04  Projets",
        "Exit: 2026-05-04 completed, to job_search.other",
        "Contacts:",
        "  2026-05-10  employment.other (phone)  rappeler",
        "  2026-05-15  unreachable.other (phone)  rappeler",
        "  2026-05-18  unreachable.other (sms)  rappeler",
        "Check-ins:",
        "  1 months: missing",
        "  3 months: missing",
        "  6 months: missing",
        "Attendance (half-days): none recorded",
        "Eligibility warnings: max_education_level: no education level, so the maximum level "
        "was not checked",
    ]


def test_participants_show_as_json_with_attendance_and_warnings(db: str) -> None:
    args = ["participants", "show", "--programme", "gonesse", "--as-of", AS_OF, "B2"]
    shown = json.loads(run(db, *args, "--format", "json").stdout)
    assert shown["first_name"] == "Bruno" and shown["last_name"] is None
    assert shown["status"] == "in_programme" and shown["exit"] is None
    assert shown["phases"] == [
        {"phase": "accueil", "name": "Accueil et diagnostic", "start": "2026-03-02", "end": None}
    ]
    assert shown["attendance"] == {"absent": 4}
    assert shown["checkins"] == [] and shown["contacts"] == []
    assert [w.split(":")[0] for w in shown["eligibility_warnings"]] == [
        "min_age",
        "max_age",
        "max_education_level",
    ]


def test_participants_show_an_unknown_participant_is_bad_input(db: str) -> None:
    result = run(db, "participants", "show", "--programme", "gonesse", "Z9")
    assert result.exit_code == 1
    assert "Error: no participant 'Z9' in programme 'gonesse'" in result.stderr


def test_a_date_option_names_what_is_wrong(db: str) -> None:
    result = run(db, "participants", "list", "--programme", "gonesse", "--as-of", "31/02/2026")
    assert result.exit_code == 2
    assert "'31/02/2026' is not a real day of the calendar" in result.stderr


def test_workspace_methods_give_the_same_lists(db: str) -> None:
    with Workspace.open(db) as ws:
        assert [
            s.journey.participant_id
            for s in ws.participants("gonesse", as_of=DAY, status="planned")
        ] == ["C3"]
        view = ws.participant_view("gonesse", "A1", as_of=DAY)
        assert view.personal is not None and view.personal.first_name == "Alice"
        assert view.attempts_since == 2
        [call] = ws.due_calls("gonesse", as_of=DAY, names=False)
        assert call.reach.personal is None and "first_name" not in call.to_json_dict()
        report = ws.report("gonesse", as_of=DAY, min_cell=0)
        assert ws.render_report(report, "json").startswith("{")
