"""Every number of the programme file has a documented range: the limit loads, one past it is
refused with a message naming the file and the key, before any report or due list can break."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from insertion_core.cli import make_cli
from insertion_core.domain.programme import RANGES
from insertion_core.errors import ConfigError
from insertion_core.plugins import get_plugin_manager
from insertion_core.programme_file import load_programme

from .test_programme_config import MINIMAL, write

DOCS = Path(__file__).parent.parent / "docs" / "data-formats.md"

#: How each key's unit is named in its message, written out independently of the loader.
UNITS = {
    "programme.duration_months": " of months",
    "eligibility.min_age": " of years",
    "eligibility.max_age": " of years",
    "phases.weeks": " of weeks",
    "followup.months": " of months",
    "followup.grace_days": " of days",
    "followup.overdue_days": " of days",
    "attendance.at_risk_absences": " of half-days",
    "attendance.at_risk_days": " of days",
    "reporting.min_cell": "",
    "privacy.retention_months": " of months",
}


def with_value(key: str, value: object) -> tuple[str, str]:
    """A valid minimal file with ``key`` set to ``value``, and the key as the message names it."""
    table, name = key.split(".")
    if table == "programme":
        return MINIMAL.replace('name = "Programme one"', f'name = "P"\n{name} = {value}'), key
    if table == "followup":
        if name == "months":
            return MINIMAL.replace("months = 6", f"months = {value}").replace("1, 3, 6", "1"), key
        return MINIMAL.replace("months = 6", f"months = 6\n{name} = {value}"), key
    if table == "phases":
        return MINIMAL + f'[[phases]]\nid = "a"\nname = "A"\n{name} = {value}\n', "phases[0].weeks"
    if key == "attendance.at_risk_absences":
        return MINIMAL + f"[attendance]\nat_risk_days = 366\n{name} = {value}\n", key
    if key == "attendance.at_risk_days":
        return MINIMAL + f"[attendance]\nat_risk_absences = 1\n{name} = {value}\n", key
    return MINIMAL + f"[{table}]\n{name} = {value}\n", key


def test_every_range_has_its_unit_here() -> None:
    assert set(UNITS) == set(RANGES)


@pytest.mark.parametrize("key", sorted(RANGES))
def test_each_limit_loads(tmp_path: Path, key: str) -> None:
    for limit in RANGES[key]:
        text, _ = with_value(key, limit)
        load_programme(write(tmp_path, text))


@pytest.mark.parametrize(
    ("key", "side"), [(key, side) for key in sorted(RANGES) for side in ("low", "high")]
)
def test_one_past_each_limit_is_refused_naming_file_and_key(
    tmp_path: Path, key: str, side: str
) -> None:
    low, high = RANGES[key]
    value = low - 1 if side == "low" else high + 1
    text, dotted = with_value(key, value)
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_programme(path)
    assert str(caught.value) == (
        f"{path}: {dotted}: expected a whole number{UNITS[key]} from {low} to {high}, got {value}"
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("followup.months", "99999999999999999999"),
        ("followup.grace_days", "99999999999"),
        ("followup.overdue_days", "-99999999999"),
        ("reporting.min_cell", "1e3"),
        ("followup.months", "6.0"),
        ("phases.weeks", "true"),
        ("programme.duration_months", "2026-01-01"),
        ("eligibility.min_age", '"16"'),
    ],
)
def test_huge_numbers_floats_booleans_dates_and_strings_are_refused(
    tmp_path: Path, key: str, value: str
) -> None:
    text, dotted = with_value(key, value)
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(path))}: {re.escape(dotted)}: "):
        load_programme(path)


def test_checkpoints_reach_followup_months_and_not_one_further(tmp_path: Path) -> None:
    on_the_limit = MINIMAL.replace("months = 6", "months = 120").replace("[1, 3, 6]", "[1, 120]")
    assert load_programme(write(tmp_path, on_the_limit)).followup.checkpoints == (1, 120)
    path = write(tmp_path, on_the_limit.replace("[1, 120]", "[1, 121]"))
    with pytest.raises(ConfigError) as caught:
        load_programme(path)
    assert str(caught.value) == (
        f"{path}: followup.checkpoints: expected a list of distinct whole numbers of months "
        "from 1 to followup.months (120), got [1, 121]"
    )


def test_absences_cannot_exceed_the_half_days_of_the_window(tmp_path: Path) -> None:
    rule = MINIMAL + "[attendance]\nat_risk_days = 14\nat_risk_absences = {n}\n"
    assert load_programme(write(tmp_path, rule.format(n=28))).attendance.at_risk_absences == 28
    path = write(tmp_path, rule.format(n=29))
    with pytest.raises(ConfigError) as caught:
        load_programme(path)
    assert str(caught.value) == (
        f"{path}: attendance.at_risk_absences: expected at most the 28 half-days "
        "of at_risk_days (14), got 29"
    )


@pytest.mark.parametrize(
    ("old", "key", "limit", "expected"),
    [
        (
            'id = "p1"',
            "id",
            64,
            "a slug of lower-case letters, digits, - and _, at most 64 characters",
        ),
        ('name = "Programme one"', "name", 200, "a non-empty string of at most 200 characters"),
    ],
)
def test_ids_and_names_have_a_maximum_length(
    tmp_path: Path, old: str, key: str, limit: int, expected: str
) -> None:
    longest = "p" * limit
    programme = load_programme(write(tmp_path, MINIMAL.replace(old, f'{key} = "{longest}"')))
    assert getattr(programme, key) == longest
    path = write(tmp_path, MINIMAL.replace(old, f'{key} = "{longest}p"'))
    with pytest.raises(ConfigError) as caught:
        load_programme(path)
    assert str(caught.value) == f"{path}: programme.{key}: expected {expected}, got '{longest}p'"


def test_the_data_formats_page_states_every_range() -> None:
    page = DOCS.read_text(encoding="utf-8")
    for key, (low, high) in RANGES.items():
        assert re.search(rf"\| `{re.escape(key)}` \| {low} to {high} \|", page), key


def test_programme_load_refuses_a_huge_follow_up_window_without_a_traceback(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, MINIMAL.replace("months = 6", "months = 99999999999999999999"))
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    result = CliRunner().invoke(
        cli, ["--db", f"sqlite:///{tmp_path / 'site.db'}", "programme", "load", str(path)]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}: followup.months: expected a whole number of months from 1 to 120, "
        "got 99999999999999999999\n"
    )
    assert "Traceback" not in result.output


def test_the_min_cell_option_has_the_range_of_the_programme_key(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'site.db'}"
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    assert CliRunner().invoke(cli, ["--db", db, "init"]).exit_code == 0
    loaded = CliRunner().invoke(
        cli, ["--db", db, "programme", "load", str(write(tmp_path, MINIMAL))]
    )
    assert loaded.exit_code == 0
    report = ["--db", db, "report", "--programme", "p1", "--as-of", "2026-01-01", "--min-cell"]
    assert CliRunner().invoke(cli, [*report, "1000"]).exit_code == 0
    refused = CliRunner().invoke(cli, [*report, "1001"])
    assert refused.exit_code == 2
    assert "Invalid value for '--min-cell': 1001 is not in the range 0<=x<=1000." in refused.stderr


AT_EVERY_LIMIT = {
    "upper": """\
[programme]
id = "p1"
name = "P"
duration_months = 120

[[phases]]
id = "a"
name = "A"
weeks = 520

[followup]
months = 120
checkpoints = [1, 120]
grace_days = 366
overdue_days = 366

[attendance]
at_risk_absences = 100
at_risk_days = 366

[outcomes]
positive = ["employment"]

[reporting]
min_cell = 1000
""",
    "lower": """\
[programme]
id = "p1"
name = "P"
duration_months = 1

[eligibility]
min_age = 0
max_age = 0

[[phases]]
id = "a"
name = "A"
weeks = 1

[followup]
months = 1
checkpoints = [1]
grace_days = 0
overdue_days = 0

[attendance]
at_risk_absences = 1
at_risk_days = 1

[outcomes]
positive = ["employment"]

[reporting]
min_cell = 0
""",
}


@pytest.mark.parametrize("limits", sorted(AT_EVERY_LIMIT))
def test_a_programme_at_every_limit_runs_every_command_over_the_whole_date_range(
    tmp_path: Path, limits: str
) -> None:
    """The ranges are narrow enough that no date arithmetic overflows (issue 14, attack 7)."""
    db = f"sqlite:///{tmp_path / 'site.db'}"
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    programme = tmp_path / "programme.toml"
    programme.write_text(AT_EVERY_LIMIT[limits], encoding="utf-8")
    (tmp_path / "participants.csv").write_text(
        "participant_id,cohort_id,entry_date,counsellor\n"
        "P1,C1,2026-01-05,c1\nP2,C1,1900-01-01,c1\nP3,C1,1900-01-01,c1\n",
        encoding="utf-8",
    )
    (tmp_path / "exits.csv").write_text(
        "participant_id,exit_date,exit_reason,destination\n"
        "P1,2026-01-06,completed,employment\nP2,1900-01-02,completed,employment\n",
        encoding="utf-8",
    )
    setup = [
        ["init"],
        ["programme", "load", str(programme)],
        [
            "import",
            "--programme",
            "p1",
            "--kind",
            "participants",
            str(tmp_path / "participants.csv"),
        ],
        ["import", "--programme", "p1", "--kind", "exits", str(tmp_path / "exits.csv")],
    ]
    for args in setup:
        done = CliRunner().invoke(cli, ["--db", db, *args])
        assert done.exit_code == 0, (args, done.output)
    commands = [["followups", "due"], ["followups", "at-risk"], ["report"], ["notify"]]
    for as_of in ("1900-01-01", "2026-02-06", "2100-12-31"):
        for command in commands:
            done = CliRunner().invoke(
                cli, ["--db", db, *command, "--programme", "p1", "--as-of", as_of]
            )
            assert (done.exit_code, done.stderr) == (0, ""), (command, as_of, done.output)
    late = CliRunner().invoke(
        cli, ["--db", db, "report", "--programme", "p1", "--as-of", "9999-12-31"]
    )
    assert late.exit_code == 2  # dates run from 1900 to 2100, as in the data files
    assert "dates run from 1900-01-01 to 2100-12-31" in late.stderr
    due = CliRunner().invoke(
        cli, ["--db", db, "followups", "due", "--programme", "p1", "--as-of", "2026-02-06"]
    )
    assert "2026-02-06  due      P1              1 month    c1" in due.stdout
