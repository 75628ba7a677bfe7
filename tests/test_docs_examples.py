"""The documentation's code runs: every Python block is executed here, or elsewhere by a test.

- ``index.md`` and ``getting-started.md``: their Python blocks run here, in
  order, in a temporary folder where ``examples/`` is the project's; a
  ``text`` block introduced by "It prints:" is what the code before it must
  print, exactly.
- ``plugin-hooks.md``: ``tests/test_docs_meta.py`` runs its hooks' examples, and
  ``tests/test_hook_calls.py`` the wrapper of its introduction.
- Every other page shows Python only by including a file under ``examples/``
  (``--8<-- "examples/..."``), which the examples' own tests run (``make pytest``).

Every fenced block says its language, so a reader knows what is shell.
"""

from __future__ import annotations

import re
import textwrap
import tomllib
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXECUTED = ("index.md", "getting-started.md")
TESTED_ELSEWHERE = ("plugin-hooks.md",)
LANGUAGES = {"python", "sh", "text", "toml", "csv", "json"}
FENCE = re.compile(r"^( *)```(\S*)\n(.*?)^\1```\n", re.MULTILINE | re.DOTALL)
INCLUDE = re.compile(r'^--8<-- "([^"]+)"$')


@attrs.frozen
class Block:
    page: str
    line: int
    language: str
    code: str
    before: str  # the prose between the previous block and this one


def blocks(page: str) -> list[Block]:
    text = (DOCS / page).read_text(encoding="utf-8")
    found, last = [], 0
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        code = textwrap.dedent(match[3])
        found.append(Block(page, line, match[2], code, text[last : match.start()]))
        last = match.end()
    return found


def pages() -> list[str]:
    return sorted(p.name for p in DOCS.glob("*.md"))


def runnable(page: str) -> list[tuple[Block, Block | None]]:
    """Each Python block of ``page`` and the output block that follows it, if any."""
    found = blocks(page)
    pairs = []
    for index, block in enumerate(found):
        if block.language != "python":
            continue
        after = found[index + 1] if index + 1 < len(found) else None
        prints = after is not None and after.language == "text"
        pairs.append((block, after if prints and "It prints:" in after.before else None))
    return pairs


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary folder that looks like the top of the checkout."""
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.mark.parametrize("page", EXECUTED)
@pytest.mark.usefixtures("checkout")
def test_python_blocks_run_and_print_what_the_page_says(
    page: str, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace: dict[str, object] = {"__name__": f"docs.{page}"}
    pairs = runnable(page)
    assert pairs, f"{page} has no python block"
    for block, output in pairs:
        exec(compile(block.code, f"docs/{page}:{block.line}", "exec"), namespace)
        printed = capsys.readouterr().out
        if output is not None:
            assert printed == output.code, f"docs/{page}:{output.line}: the output differs"


def test_getting_started_shows_its_output() -> None:
    assert [out is not None for _, out in runnable("getting-started.md")] == [True]


@pytest.mark.parametrize("page", pages())
def test_every_block_says_its_language(page: str) -> None:
    for block in blocks(page):
        assert block.language in LANGUAGES, (
            f"docs/{page}:{block.line}: a code block needs one of {sorted(LANGUAGES)}"
        )


@pytest.mark.parametrize("page", [p for p in pages() if p not in EXECUTED + TESTED_ELSEWHERE])
def test_other_pages_show_python_only_from_tested_files(page: str) -> None:
    for block in blocks(page):
        if block.language != "python":
            continue
        match = INCLUDE.match(block.code.strip())
        assert match, f"docs/{page}:{block.line}: include a tested file under examples/ instead"
        path = ROOT / match[1]
        assert path.is_file(), f"docs/{page}:{block.line}: {match[1]} does not exist"
        assert path.is_relative_to(ROOT / "examples"), f"{match[1]} is not under examples/"


def test_the_examples_are_part_of_the_test_run() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"pytest -q( -n \d+)? tests examples", makefile)
    included = {
        INCLUDE.match(b.code.strip())[1]  # type: ignore[index]
        for page in pages()
        for b in blocks(page)
        if INCLUDE.match(b.code.strip())
    }
    for path in included:
        if path.endswith(".py") and "/tests/" not in path:
            folder = (ROOT / path).parent
            assert list((folder / "tests").glob("test_*.py")), f"{path} has no tests beside it"


def test_the_worked_plugins_entry_point_loads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = ROOT / "examples" / "plugin-guide"
    monkeypatch.syspath_prepend(str(folder))
    project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    ((name, value),) = project["project"]["entry-points"]["insertion_core"].items()
    plugin = EntryPoint(name, value, "insertion_core").load()
    assert plugin.__name__ == "qpv_only"
    assert callable(plugin.register_eligibility_rules)
