"""The Gonesse HTML report in a real browser: headless Chromium reads, shows and prints it.

Chromium is Debian's package (``.ci/run`` installs it). On a developer's machine
without it the test is skipped; under CI (``CI=true``) a missing browser fails.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

GONESSE = Path(__file__).resolve().parents[1] / "examples" / "gonesse"
sys.path.insert(0, str(GONESSE))

import demo  # noqa: E402

#: A4 in PostScript points, as a PDF's MediaBox gives it.
A4 = (595.0, 842.0)


def chromium() -> str:
    """The browser's program; skipped without one, except under CI where it must be there."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def browse(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium on ``page``: as root in CI it needs ``--no-sandbox``."""
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--user-data-dir={page.parent / 'chromium-profile'}",
        *args,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    with redirect_stdout(io.StringIO()):
        assert demo.run(folder) == 0
    return folder


def test_the_key_numbers_are_in_the_dom(work: Path) -> None:
    dom = browse(work / "report.html", "--dump-dom").stdout
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom)).replace("&nbsp;", " ")
    text = text.replace("\u00a0", " ")
    for figure in ("90,0 %", "180/200", "70,0 %", "140/200", "20,0 %", "40/200", "10,0 %"):
        assert figure in text, figure
    assert "Interne — ne pas diffuser" in text
    assert "<svg" in dom and "<script" not in dom


def test_the_screenshot_is_taken(work: Path) -> None:
    shot = work / "report.png"
    browse(work / "report.html", "--window-size=1200,2000", f"--screenshot={shot}")
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_it_prints_on_a4_with_every_cohort(work: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    pdf = work / "report.pdf"
    browse(work / "report.html", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    reader = pypdf.PdfReader(str(pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4, abs=1.0), size
    text = " ".join(page.extract_text() for page in reader.pages)
    with (work / "data" / "participants.csv").open(encoding="utf-8") as rows:
        cohorts = {row["cohort_id"] for row in csv.DictReader(rows)}
    assert len(cohorts) >= 20
    missing = sorted(c for c in cohorts if c not in text)
    assert missing == [], f"cohorts cut off in print: {missing}"
    assert "Interne — ne pas diffuser" in text  # on the printed pages too
