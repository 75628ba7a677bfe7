"""docs/personal-data.md names the tests that prove each guarantee: each must exist."""

from __future__ import annotations

import re

from .test_docs_integrity import REFERENCE, ROOT

PAGE = ROOT / "docs" / "personal-data.md"


def test_every_test_the_personal_data_page_cites_exists() -> None:
    current = ""
    cited: list[tuple[str, str]] = []
    for match in REFERENCE.finditer(PAGE.read_text(encoding="utf-8")):
        current = match.group(1) or current
        cited.append((current, match.group(2)))
    assert len(cited) >= 15
    missing = [
        f"{path}::{name}"
        for path, name in cited
        if not path
        or not re.search(
            rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), flags=re.MULTILINE
        )
    ]
    assert missing == []


def test_the_personal_data_page_is_in_the_navigation() -> None:
    assert "personal-data.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
