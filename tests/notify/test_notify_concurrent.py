"""Concurrent ``insertion notify`` runs, started a moment apart against a slow webhook.

Each run is its own process, as cron or two hosts would start them; the
webhook takes half a second per POST, so the runs overlap for seconds. Each
notice must be POSTed exactly once, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from insertion_core import Workspace

from ..storage.conftest import pg_admin, pg_url  # noqa: F401 (fixtures)
from .conftest import SITE_AS_OF, small_site
from .webhooks import serving

RUNS = 3
NOTICES = 6
POST_SECONDS = 0.5
START_GAP = 0.3


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'site.db'}"
    return str(request.getfixturevalue("pg_url").render_as_string(hide_password=False))


def test_overlapping_runs_post_each_notice_exactly_once(db_url: str) -> None:
    command = [
        sys.executable,
        "-c",
        "from insertion_core.cli import main; main()",
        "--db",
        db_url,
        "notify",
        "--programme",
        "site",
        "--as-of",
        SITE_AS_OF.isoformat(),
    ]
    env = {**os.environ, "SITE_WEBHOOK_SECRET": "shared-secret"}
    with serving(delay=POST_SECONDS) as webhook:
        with Workspace.open(db_url, initialise=True) as workspace:
            small_site(
                workspace,
                NOTICES,
                f'[notify.webhook]\nurl = "{webhook.url}"\nsecret_env = "SITE_WEBHOOK_SECRET"\n',
            )
        runs = []
        for _ in range(RUNS):
            runs.append(
                subprocess.Popen(
                    command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                )
            )
            time.sleep(START_GAP)
        outputs = [run.communicate(timeout=120) for run in runs]
        posts = webhook.posts_by_key()
    for run, (_, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, stderr
        assert "failed" not in stderr, stderr
    assert len(posts) == NOTICES
    assert set(posts.values()) == {1}, posts  # no notice twice
    sent = []
    for stdout, _ in outputs:
        match = re.match(r"Notices: (\d+) sent, 0 failed, (\d+) already sent", stdout)
        assert match is not None, stdout
        sent.append(int(match[1]))
    assert sum(sent) == NOTICES
    assert sum(1 for n in sent if n) >= 2, sent  # the runs did overlap and share the work
