"""The guarantee pages (docs/integrity.md, docs/personal-data.md) name, for each guarantee,
the tests that prove it: each must exist.

A reference is ``tests/path.py::test_name``; a following ``::test_name`` alone refers to
the file named last. The test is found as a test function in that file's source.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "integrity.md"
#: Each guarantee page, and the fewest tests it cites (so that an emptied page fails).
PAGES = {"integrity.md": 50, "personal-data.md": 40}
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?::(test_\w+)`")


def references(page: Path = PAGE) -> list[tuple[str, str]]:
    """Every (test file, test name) the page cites, in order."""
    found: list[tuple[str, str]] = []
    current = ""
    for match in REFERENCE.finditer(page.read_text(encoding="utf-8")):
        current = match.group(1) or current
        assert current, f"::{match.group(2)} is cited before any test file"
        found.append((current, match.group(2)))
    return found


def missing_tests(cited: list[tuple[str, str]]) -> list[str]:
    """The cited tests that are not a test function of the file named."""
    return [
        f"{path}::{name}"
        for path, name in cited
        if not (ROOT / path).is_file()
        or not re.search(
            rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), flags=re.MULTILINE
        )
    ]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_test_a_guarantee_page_cites_exists(page: str) -> None:
    cited = references(ROOT / "docs" / page)
    assert len(cited) > PAGES[page]
    assert missing_tests(cited) == []


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_guarantee_pages_are_in_the_navigation(page: str) -> None:
    assert page in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_a_missing_test_is_caught() -> None:
    assert missing_tests([("tests/test_docs_integrity.py", "test_that_does_not_exist")]) == [
        "tests/test_docs_integrity.py::test_that_does_not_exist"
    ]
    assert missing_tests([("tests/nowhere.py", "test_a_missing_test_is_caught")]) != []
