"""docs/personal-data.md names the tests that prove each guarantee: each must exist, and the
page must be in the navigation; its examples of output are what the commands print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "personal-data.md"
#: ``tests/x.py::test_y``, ``::test_y`` (in the file named last) or a whole file ``tests/x.py``.
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?(?:::(test_\w+))?`")


def citations() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    current = ""
    for match in REFERENCE.finditer(PAGE.read_text(encoding="utf-8")):
        if match.group(1) is None and match.group(2) is None:
            continue
        current = match.group(1) or current
        assert current, f"::{match.group(2)} is cited before any test file"
        found.append((current, match.group(2)))
    return found


def test_every_test_the_page_cites_exists() -> None:
    cited = citations()
    assert len(cited) > 20
    missing = []
    for path, name in cited:
        source = ROOT / path
        if not source.is_file():
            missing.append(path)
        elif name and not re.search(
            rf"^def {name}\(", source.read_text(encoding="utf-8"), flags=re.MULTILINE
        ):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_the_page_is_in_the_navigation() -> None:
    assert "personal-data.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_the_retention_setting_error_shown_is_the_real_one(tmp_path: Path) -> None:
    from insertion_core.errors import ConfigError
    from insertion_core.programme_file import load_programme

    from .conftest import PROGRAMME

    path = tmp_path / "programme.toml"
    path.write_text(PROGRAMME + "\n[privacy]\nretention_months = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_programme(path)
    message = str(caught.value).replace(str(path), "programme.toml")
    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    assert f"`{message}`" in text
