"""The qpv_only plugin, tested with the fixtures insertion-core ships (insertion_core.testing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import qpv_only

from insertion_core import ConfigError, Participant, Workspace
from insertion_core.errors import NotEligibleError
from insertion_core.testing import InsertionCli, make_programme

QPV_ONLY = {"qpv_only": {"require_qpv": True}}


@pytest.fixture
def insertion_plugins() -> list[object]:
    return [qpv_only]  # registered on a fresh plugin manager for every test


def young(pid: str, qpv: bool | None) -> Participant:
    return Participant(pid, "2026-01", dt.date(2026, 1, 5), birth_date=dt.date(2008, 3, 1), qpv=qpv)


def test_programmes_without_the_table_are_not_affected(insertion_workspace: Workspace) -> None:
    insertion_workspace.save_programme(make_programme())
    insertion_workspace.enrol("sample", young("P1", qpv=False))


def test_a_resident_is_enrolled(insertion_workspace: Workspace) -> None:
    insertion_workspace.save_programme(make_programme(plugins=QPV_ONLY))
    transition = insertion_workspace.enrol("sample", young("P1", qpv=True))
    assert transition.warnings == ()


def test_a_non_resident_is_refused(insertion_workspace: Workspace) -> None:
    insertion_workspace.save_programme(make_programme(plugins=QPV_ONLY))
    with pytest.raises(NotEligibleError, match="qpv_resident: does not live in a priority"):
        insertion_workspace.enrol("sample", young("P1", qpv=False))


def test_missing_data_is_a_warning(insertion_workspace: Workspace) -> None:
    insertion_workspace.save_programme(make_programme(plugins=QPV_ONLY))
    transition = insertion_workspace.enrol("sample", young("P1", qpv=None))
    assert transition.warnings == (
        "participant P1: qpv_resident: no qpv value, so residence in a QPV was not checked",
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"require_qpv": "yes"}, "require_qpv: expected true or false, got 'yes'"),
        ({"requires_qpv": True}, "plugins.qpv_only.requires_qpv: unknown key"),
    ],
)
def test_a_wrong_table_names_itself(
    insertion_workspace: Workspace, table: dict[str, object], message: str
) -> None:
    insertion_workspace.save_programme(make_programme(plugins={"qpv_only": table}))
    with pytest.raises(ConfigError, match=message):
        insertion_workspace.enrol("sample", young("P1", qpv=True))


def test_an_import_with_a_non_resident_writes_nothing(
    insertion_workspace: Workspace, insertion_cli: InsertionCli, tmp_path: Path
) -> None:
    insertion_workspace.save_programme(make_programme(plugins=QPV_ONLY))
    participants = tmp_path / "participants.csv"
    participants.write_text(
        "participant_id;cohort_id;entry_date;birth_date;qpv\n"
        "P1;2026-01;05/01/2026;01/03/2008;oui\n"
        "P2;2026-01;05/01/2026;01/03/2008;non\n",
        encoding="utf-8",
    )
    result = insertion_cli(
        "import", "--programme", "sample", "--kind", "participants", str(participants),
        expect_exit=1,
    )  # fmt: skip
    assert "P2 is not eligible: qpv_resident" in result.stderr
    assert list(insertion_workspace.journeys("sample")) == []
