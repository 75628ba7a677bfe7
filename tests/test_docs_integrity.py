"""docs/integrity.md names, for each guarantee, the tests that prove it: each must exist.

A reference is ``tests/path.py::test_name``; a following ``::test_name`` alone refers to
the file named last. The test is found as a test function in that file's source.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "integrity.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?::(test_\w+)`")


def references() -> list[tuple[str, str]]:
    """Every (test file, test name) the page cites, in order."""
    found: list[tuple[str, str]] = []
    current = ""
    for match in REFERENCE.finditer(PAGE.read_text(encoding="utf-8")):
        current = match.group(1) or current
        assert current, f"::{match.group(2)} is cited before any test file"
        found.append((current, match.group(2)))
    return found


def test_every_test_the_integrity_page_cites_exists() -> None:
    cited = references()
    assert len(cited) > 50
    missing = [
        f"{path}::{name}"
        for path, name in cited
        if not (ROOT / path).is_file()
        or not re.search(
            rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), flags=re.MULTILINE
        )
    ]
    assert missing == []


def test_the_integrity_page_is_in_the_navigation() -> None:
    assert "integrity.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
