"""``tests/with-postgresql.sh`` as root: which user runs the server, and what it says about it.

The script runs for real with ``id``, ``useradd``, ``runuser`` and ``chown``
replaced by stubs that log their calls, so no user is created and no server
is started; ``id -u`` says root, and only the users in ``FAKE_USERS`` exist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent / "with-postgresql.sh"
STUBS = {
    "id": """[ "$#" = 1 ] && { echo 0; exit 0; }
for user in $FAKE_USERS; do [ "$user" = "$2" ] && { echo 1000; exit 0; }; done
exit 1""",
    "useradd": 'echo "useradd $*" >> "$CALLS"',
    "runuser": 'echo "runuser $2" >> "$CALLS"',
    "chown": 'echo "chown $1" >> "$CALLS"',
}

needs_postgresql = pytest.mark.skipif(
    not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) and not shutil.which("initdb"),
    reason="the script only picks a user when PostgreSQL is installed",
)


def run_as_root(
    tmp_path: Path, users: str, **env: str
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run the script as a stubbed root where ``users`` exist; its result and the stubs' calls."""
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name, body in STUBS.items():
        (stubs / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (stubs / name).chmod(0o755)
    calls = tmp_path / "calls"
    calls.touch()
    base = {k: v for k, v in os.environ.items() if not k.startswith("INSERTION_TEST_")}
    done = subprocess.run(
        ["bash", str(SCRIPT), "sh", "-c", 'echo "$INSERTION_TEST_POSTGRESQL_URL"'],
        env={
            **base,
            "PATH": f"{stubs}:{os.environ['PATH']}",
            "FAKE_USERS": users,
            "CALLS": str(calls),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done, calls.read_text(encoding="utf-8").splitlines()


@needs_postgresql
def test_the_postgres_account_is_reused_and_no_user_created(tmp_path: Path) -> None:
    done, calls = run_as_root(tmp_path, "postgres insertion-pg")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("postgresql+psycopg://insertion@127.0.0.1:")
    assert done.stderr == (
        "with-postgresql: running the test server as user postgres "
        "(PostgreSQL refuses to run as root)\n"
    )
    assert not [c for c in calls if c.startswith("useradd")]
    assert set(calls) == {"chown postgres", "runuser postgres"}


@needs_postgresql
def test_a_user_made_by_an_earlier_run_is_reused(tmp_path: Path) -> None:
    done, calls = run_as_root(tmp_path, "insertion-pg")
    assert done.returncode == 0, done.stderr
    assert "running the test server as user insertion-pg" in done.stderr
    assert set(calls) == {"chown insertion-pg", "runuser insertion-pg"}


@needs_postgresql
def test_a_user_is_created_only_when_none_fits_and_it_says_so(tmp_path: Path) -> None:
    done, calls = run_as_root(tmp_path, "")
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        "with-postgresql: creating system user insertion-pg to run the test server "
        "(PostgreSQL refuses to run as root)\n"
    )
    assert calls[0] == "useradd --system --no-create-home --shell /usr/sbin/nologin insertion-pg"


@needs_postgresql
def test_the_user_can_be_named(tmp_path: Path) -> None:
    done, calls = run_as_root(tmp_path, "postgres ci", INSERTION_TEST_PG_USER="ci")
    assert done.returncode == 0, done.stderr
    assert set(calls) == {"chown ci", "runuser ci"}


@needs_postgresql
def test_a_named_user_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    done, calls = run_as_root(tmp_path, "postgres", INSERTION_TEST_PG_USER="nobody-here")
    assert done.returncode == 2
    assert done.stderr == "with-postgresql: INSERTION_TEST_PG_USER: no user nobody-here\n"
    assert calls == []
