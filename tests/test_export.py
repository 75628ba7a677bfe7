"""The pseudonymised export (issue 15, point 1): the key, the rows, the command line.

Pseudonyms are HMAC-SHA256 under the site's key; the key is refused when missing,
short or readable by others, and is never stored; rows hold no personal data.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from insertion_core import Workspace, get_plugin_manager
from insertion_core.cli import make_cli
from insertion_core.domain.journey import Journey
from insertion_core.errors import PseudonymKeyError
from insertion_core.export import (
    EXPORT_COLUMNS,
    KEY_ENV,
    MIN_KEY_BYTES,
    PseudonymKey,
    load_pseudonym_key,
    write_export,
)

from .export_site import KEY, OTHER_KEY, PERSONAL_VALUES, build_site

NO_KEY = (
    "Error: a pseudonymised export needs the site's secret key: set INSERTION_PSEUDONYM_KEY "
    "or give --key-file FILE (at least 32 bytes, for instance the output of `openssl rand "
    "-hex 32`, kept outside the database and its backups); nothing was exported\n"
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'site.db'}"
    with Workspace.open(
        url, plugin_manager=get_plugin_manager(load_entry_points=False), initialise=True
    ) as workspace:
        build_site(workspace)
    yield url


def run(db: str, *args: str, env: dict[str, str] | None = None) -> Result:
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    environment = {KEY_ENV: None, **(env or {})}
    return CliRunner().invoke(cli, ["--db", db, "export", *args], env=environment)


def key_file(tmp_path: Path, secret: bytes, mode: int = 0o600, name: str = "site.key") -> Path:
    path = tmp_path / name
    path.write_bytes(secret)
    path.chmod(mode)
    return path


def rows(text: str) -> tuple[str, list[dict[str, str]]]:
    """The metadata line and the rows of an export."""
    first, _, rest = text.partition("\n")
    return first, list(csv.DictReader(io.StringIO(rest)))


def key_id(secret: bytes) -> str:
    return hashlib.sha256(secret).hexdigest()[:8]


def test_without_a_key_the_export_is_refused_with_exit_code_1(db: str) -> None:
    result = run(db, "--programme", "gonesse", "--pseudonymised")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", NO_KEY)
    empty = run(db, "--programme", "gonesse", "--pseudonymised", env={KEY_ENV: ""})
    assert (empty.exit_code, empty.stderr) == (1, NO_KEY)


def test_the_export_must_say_it_is_pseudonymised(db: str) -> None:
    result = run(db, "--programme", "gonesse", env={KEY_ENV: KEY.decode()})
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        "Error: the only export is pseudonymised: add --pseudonymised (and give the key with "
        "INSERTION_PSEUDONYM_KEY or --key-file)" in result.stderr
    )


@pytest.mark.parametrize("length", [0, 1, MIN_KEY_BYTES - 1])
def test_a_key_shorter_than_32_bytes_is_refused(tmp_path: Path, length: int) -> None:
    short = b"x" * length
    if length:
        with pytest.raises(PseudonymKeyError) as refused:
            load_pseudonym_key(environ={KEY_ENV: short.decode()})
        assert str(refused.value) == (
            f"the pseudonym key from INSERTION_PSEUDONYM_KEY is {length} bytes long; a key must "
            "be at least 32 bytes, for instance the output of `openssl rand -hex 32`, kept "
            "outside the database and its backups"
        )
    path = key_file(tmp_path, short + b"\n")
    with pytest.raises(PseudonymKeyError, match=f"from the key file {path} is {length} bytes"):
        load_pseudonym_key(path)


def test_a_key_of_32_bytes_is_enough() -> None:
    key = load_pseudonym_key(environ={KEY_ENV: "x" * MIN_KEY_BYTES})
    assert key.secret == b"x" * MIN_KEY_BYTES and key.source == KEY_ENV


@pytest.mark.parametrize("mode", [0o604, 0o644, 0o602, 0o666])
def test_a_key_file_other_users_may_read_or_change_is_refused(
    db: str, tmp_path: Path, mode: int
) -> None:
    path = key_file(tmp_path, KEY, mode)
    result = run(db, "--programme", "gonesse", "--pseudonymised", "--key-file", str(path))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: the key file {path} may be read or changed by other users (mode {mode:04o}); "
        f"make it private with: chmod 600 {path}\n"
    )


def test_a_missing_key_file_is_named(db: str, tmp_path: Path) -> None:
    path = tmp_path / "none.key"
    result = run(db, "--programme", "gonesse", "--pseudonymised", "--key-file", str(path))
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: cannot read the key file {path}: No such file or directory\n",
    )


def test_the_key_file_wins_over_the_environment_and_its_line_end_is_not_key(
    db: str, tmp_path: Path
) -> None:
    path = key_file(tmp_path, KEY + b"\n", 0o640)
    from_file = run(
        db,
        "--programme",
        "gonesse",
        "--pseudonymised",
        "--key-file",
        str(path),
        env={KEY_ENV: OTHER_KEY.decode()},
    )
    from_env = run(db, "--programme", "gonesse", "--pseudonymised", env={KEY_ENV: KEY.decode()})
    assert from_file.exit_code == from_env.exit_code == 0
    assert from_file.stdout == from_env.stdout
    assert f"key_id={key_id(KEY)}" in from_file.stdout


def test_pseudonyms_are_the_keyed_hmac_and_another_key_gives_others(db: str) -> None:
    first = run(db, "--programme", "gonesse", "--pseudonymised", env={KEY_ENV: KEY.decode()})
    second = run(db, "--programme", "gonesse", "--pseudonymised", env={KEY_ENV: OTHER_KEY.decode()})
    meta, mine = rows(first.stdout)
    other_meta, theirs = rows(second.stdout)
    assert meta == (
        f"# insertion-core pseudonymised export; programme=gonesse; key_id={key_id(KEY)}; dates=day"
    )
    assert other_meta.endswith(f"key_id={key_id(OTHER_KEY)}; dates=day")
    expected = [
        hmac.new(KEY, f"gonesse\0{pid}".encode(), hashlib.sha256).hexdigest()
        for pid in ("A1", "B2", "C3")
    ]
    assert [r["pseudonym"] for r in mine] == expected
    assert {r["key_id"] for r in mine} == {key_id(KEY)}
    assert not {r["pseudonym"] for r in mine} & {r["pseudonym"] for r in theirs}
    unkeyed = {
        hashlib.sha256(text.encode()).hexdigest()
        for pid in ("A1", "B2", "C3")
        for text in (pid, f"gonesse{pid}", f"gonesse\0{pid}")
    }
    assert not unkeyed & {r["pseudonym"] for r in mine + theirs}
    assert (
        f"Exported 3 participant(s) of programme gonesse to standard output; pseudonyms under "
        f"key id {key_id(KEY)}, dates in days.\n" == first.stderr
    )


def test_the_same_participant_id_in_two_programmes_gets_two_pseudonyms() -> None:
    key = PseudonymKey(KEY, "test")
    assert key.pseudonym("gonesse", "A1") != key.pseudonym("cergy", "A1")
    assert key.pseudonym("ab", "c") != key.pseudonym("a", "bc")


def test_a_row_holds_birth_year_codes_and_dates_and_no_personal_data(db: str) -> None:
    result = run(db, "--programme", "gonesse", "--pseudonymised", env={KEY_ENV: KEY.decode()})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == ",".join(EXPORT_COLUMNS)
    _, found = rows(result.stdout)
    alice = found[0]
    assert alice == {
        "pseudonym": alice["pseudonym"],
        "key_id": key_id(KEY),
        "cohort_id": "'=C1",
        "birth_year": "2005",
        "gender": "F",
        "education_level": "",
        "qpv": "true",
        "status_at_entry": "",
        "scheme": "",
        "referrer": "",
        "entry_date": "2025-01-06",
        "phase": "projets",
        "exit_date": "2025-05-02",
        "exit_reason": "completed",
        "destination": "employment.other",
        "contract": "cdd",
        "contract_months": "6.5",
        "qualifying": "true",
        "followup_contacts": "2",
        "last_contact_date": "2025-08-01",
        "last_situation": "training.other",
    }
    assert [r["birth_year"] for r in found[1:]] == ["2007", ""]
    assert found[2]["exit_date"] == found[2]["last_contact_date"] == ""
    for value in (*PERSONAL_VALUES, "A1", "B2", "C3"):
        assert value not in result.stdout, value


def test_month_dates_keep_the_year_and_month_only(db: str) -> None:
    result = run(
        db,
        "--programme",
        "gonesse",
        "--pseudonymised",
        "--month-dates",
        env={KEY_ENV: KEY.decode()},
    )
    meta, found = rows(result.stdout)
    assert meta.endswith("dates=month")
    assert [(r["entry_date"], r["exit_date"], r["last_contact_date"]) for r in found] == [
        ("2025-01", "2025-05", "2025-08"),
        ("2025-09", "", ""),
        ("2025-09", "", ""),
    ]
    assert "dates in months." in result.stderr


def test_the_output_file_is_private_and_written_whole(db: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "export.csv"
    target.parent.mkdir()
    target.write_text("old")
    target.chmod(0o644)
    result = run(
        db,
        "--programme",
        "gonesse",
        "--pseudonymised",
        "-o",
        str(target),
        env={KEY_ENV: KEY.decode()},
    )
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        f"Exported 3 participant(s) of programme gonesse to {target}; pseudonyms under key id "
        f"{key_id(KEY)}, dates in days.\n"
    )
    assert target.stat().st_mode & 0o777 == 0o600
    assert rows(target.read_text(encoding="utf-8"))[1][0]["birth_year"] == "2005"
    assert sorted(p.name for p in target.parent.iterdir()) == ["export.csv"]


def test_a_failed_export_leaves_no_file(db: str, tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    result = run(
        db,
        "--programme",
        "nowhere",
        "--pseudonymised",
        "-o",
        str(target),
        env={KEY_ENV: KEY.decode()},
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no programme 'nowhere'")
    assert not target.exists()
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


def test_the_key_is_never_stored_in_the_database(db: str, tmp_path: Path) -> None:
    result = run(db, "--programme", "gonesse", "--pseudonymised", env={KEY_ENV: KEY.decode()})
    assert result.exit_code == 0
    _, found = rows(result.stdout)
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("site.db"))
    assert KEY not in stored and key_id(KEY).encode() not in stored
    assert not any(r["pseudonym"].encode() in stored for r in found)


def test_rows_are_written_while_journeys_are_read(db: str) -> None:
    """Streaming: the row of a participant is out before the next journey is read."""
    out = io.StringIO()
    with Workspace.open(db, plugin_manager=get_plugin_manager(load_entry_points=False)) as ws:
        real = ws.journeys
        seen: list[int] = []

        def journeys(programme_id: str) -> Iterator[Journey]:
            for journey in real(programme_id):
                seen.append(len(out.getvalue().splitlines()) - 2)  # data rows so far
                yield journey

        ws.journeys = journeys  # type: ignore[method-assign]
        summary = write_export(ws, "gonesse", PseudonymKey(KEY, "test"), out)
    assert summary.participants == 3 and summary.key_id == key_id(KEY)
    assert seen == [0, 1, 2]


def test_the_export_documents_each_column() -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "data-formats.md").read_text()
    section = page.split("### The pseudonymised export", 1)[1].split("\n## ", 1)[0]
    for column in EXPORT_COLUMNS:
        assert f"| `{column}` |" in section, column


def test_export_help_names_every_option() -> None:
    result = CliRunner().invoke(
        make_cli(get_plugin_manager(load_entry_points=False)), ["export", "-h"]
    )
    assert result.exit_code == 0
    for option in ("--programme", "--pseudonymised", "--key-file", "--month-dates", "--output"):
        assert option in result.output
