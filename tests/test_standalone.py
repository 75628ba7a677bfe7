"""The repository stands on its own: no file reaches outside it or names a machine path.

A clone in an empty folder must test, build its docs and run its demo, so no
tracked file may read a folder beside the checkout, walk up past its root, or
name a path of one particular machine. The files are those git tracks or would
track when this is a git checkout, else every file not ignored by
``.gitignore`` (a copy of the tracked files, as ``.ci/run`` makes).
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from .paths import SAMPLE_SITE

ROOT = Path(__file__).resolve().parents[1]

# Built from pieces, so that this file does not match its own rules.
_SHARED = "shared"
_FILE = "__" + "file__"
_FORBIDDEN_TEXT = {
    "../" + _SHARED: "a folder beside the checkout",
    "find_" + _SHARED: "a lookup of a folder outside the repository",
    _SHARED + "_dir": "a lookup of a folder outside the repository",
}
#: The machines' absolute work folder; after ``sqlite://`` it is the relative ``work/`` folder.
_MACHINE_PATH = re.compile(r"(?<!sqlite://)/" + "work/")
#: ``Path(__file__)...parents[N]`` or ``.parent.parent...``: how far up a file looks.
_PARENTS = re.compile(r"__file__\)(?:\.resolve\(\))?\.parents\[(\d+)\]")
_PARENT_CHAIN = re.compile(r"__file__\)(?:\.resolve\(\))?((?:\.parent\b)+)")


def problems_in(relative: str, text: str) -> list[str]:
    """What in ``text`` (the file at ``relative``, POSIX, from the root) reaches outside."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{relative}:{number}"
        for needle, why in _FORBIDDEN_TEXT.items():
            if needle in line:
                found.append(f"{where}: {needle!r}: {why}")
        if _MACHINE_PATH.search(line):
            found.append(f"{where}: an absolute path of one machine")
        # parents[0] is the file's folder; parents[depth] is the repository root.
        depth = len(PurePosixPath(relative).parts) - 1
        ups = [int(n) for n in _PARENTS.findall(line)]
        ups += [chain.count(".parent") - 1 for chain in _PARENT_CHAIN.findall(line)]
        for up in ups:
            if up > depth:
                found.append(f"{where}: looks {up - depth} folder(s) above the repository")
    return found


def _ignore_rules() -> tuple[list[str], list[str]]:
    """The ``.gitignore`` patterns: folder names, and file names."""
    folders, files = [".git"], []
    for raw in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines():
        rule = raw.strip()
        if rule and not rule.startswith("#"):
            (folders if rule.endswith("/") else files).append(rule.rstrip("/"))
    return folders, files


def _walk(folder: Path, folders: list[str], files: list[str]) -> Iterator[Path]:
    for path in sorted(folder.iterdir()):
        patterns = folders if path.is_dir() else files
        if any(fnmatch.fnmatch(path.name, p) for p in patterns):
            continue
        if path.is_dir():
            yield from _walk(path, folders, files)
        else:
            yield path


def repository_files() -> list[str]:
    """The repository's files (tracked, or new and not ignored), POSIX paths from the root."""
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=ROOT, capture_output=True, text=True
    )
    if top.returncode == 0 and Path(top.stdout.strip()).resolve() == ROOT:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return [name for name in listed.stdout.split("\0") if name]
    folders, files = _ignore_rules()
    return [path.relative_to(ROOT).as_posix() for path in _walk(ROOT, folders, files)]


def test_no_file_reaches_outside_the_repository() -> None:
    names = repository_files()
    assert "tests/test_standalone.py" in names
    found = []
    for name in names:
        path = ROOT / name
        if path.is_file():
            found += problems_in(name, path.read_bytes().decode("utf-8", errors="replace"))
    assert found == []


@pytest.mark.parametrize(
    ("relative", "line", "expected"),
    [
        ("tests/conftest.py", "    return " + "find_" + "shared() / 'data'", "a lookup"),
        ("tests/x.py", "SITE = Path('/" + "work/" + "shared/data')", "an absolute path"),
        ("docs/a.md", "see ../" + "shared/design", "a folder beside"),
        (
            "tests/outcomes/s.py",
            f"P = Path({_FILE}).resolve().parents[3] / 'x'",
            "1 folder(s) above",
        ),
        ("tests/x.py", f"P = Path({_FILE}).parent.parent.parent", "1 folder(s) above"),
        ("docs/a.md", "export INSERTION_DB=sqlite:////" + "work/x.db", "an absolute path"),
    ],
)
def test_each_way_out_is_caught(relative: str, line: str, expected: str) -> None:
    [problem] = problems_in(relative, line)
    assert problem.startswith(f"{relative}:1: ")
    assert expected in problem


@pytest.mark.parametrize(
    ("relative", "line"),
    [
        ("docs/a.md", "insertion --db sqlite:///" + "work/cergy.db init"),
        ("tests/outcomes/s.py", f"P = Path({_FILE}).resolve().parents[2] / 'examples'"),
        ("tests/x.py", f"P = Path({_FILE}).parent.parent / 'docs'"),
        ("tests/x.py", "register(Named('" + _SHARED + "'))"),
    ],
)
def test_paths_inside_the_repository_pass(relative: str, line: str) -> None:
    assert problems_in(relative, line) == []


def test_the_sample_site_is_data_of_the_repository() -> None:
    assert SAMPLE_SITE.is_relative_to(ROOT)
    names = {path.name for path in SAMPLE_SITE.iterdir()}
    assert {"programme.toml", "participants.csv", "exits.csv", "followups.csv"} <= names
    assert {"expected-report-exit.json", "expected-report-entry.json", "README.md"} <= names
