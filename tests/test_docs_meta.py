"""docs/plugin-hooks.md documents every hook of hookspecs.py with its exact signature (like
datasette's tests/test_docs.py), says whether it is firstresult, and its examples work.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from insertion_core import Participant, Programme, Workspace, get_plugin_manager
from insertion_core.cli import make_cli
from insertion_core.domain import Verdict, loads_programme
from insertion_core.hooks import Hooks

from .conftest import PROGRAMME_TOML
from .fakes import SharedMemoryPlugin
from .hookspec_info import hookspec_names, is_firstresult, signature

DOCS = Path(__file__).parents[1] / "docs"
HOOKS_PAGE = DOCS / "plugin-hooks.md"


@attrs.frozen
class Section:
    title: str
    text: str

    @property
    def python_blocks(self) -> list[str]:
        return re.findall(r"^```python\n(.*?)^```", self.text, flags=re.MULTILINE | re.DOTALL)


def sections(text: str) -> dict[str, Section]:
    """The ``## title`` sections of a markdown page, by title."""
    found = {}
    for chunk in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        title, _, body = chunk.partition("\n")
        found[title.strip()] = Section(title.strip(), body)
    return found


def hook_sections() -> dict[str, Section]:
    return sections(HOOKS_PAGE.read_text(encoding="utf-8"))


def load_example(source: str, name: str) -> types.ModuleType:
    """Run an example as a module, as if a plugin distribution had it."""
    module = types.ModuleType(name)
    exec(compile(source, f"{HOOKS_PAGE}:{name}", "exec"), module.__dict__)
    return module


@pytest.mark.parametrize("hook", hookspec_names())
def test_every_hook_has_a_section_with_its_exact_signature(hook: str) -> None:
    found = hook_sections()
    assert hook in found, f"docs/plugin-hooks.md has no section '## {hook}'"
    blocks = found[hook].python_blocks
    assert blocks, f"the section of {hook} has no python block with its signature"
    assert blocks[0].strip() == signature(hook), (
        f"the signature of {hook} in docs/plugin-hooks.md differs from hookspecs.py"
    )


@pytest.mark.parametrize("hook", hookspec_names())
def test_every_section_says_whether_the_hook_is_firstresult(hook: str) -> None:
    text = hook_sections()[hook].text
    expected = "yes" if is_firstresult(hook) else "no"
    assert f"- **firstresult:** {expected}." in text
    assert "- **When:**" in text


def test_every_section_is_about_an_existing_hook() -> None:
    assert sorted(hook_sections()) == hookspec_names()


@pytest.mark.parametrize("hook", hookspec_names())
def test_every_hook_example_is_a_valid_plugin(hook: str) -> None:
    examples = hook_sections()[hook].python_blocks[1:]
    assert examples, f"the section of {hook} has no example"
    for index, source in enumerate(examples):
        module = load_example(source, f"example_{hook}_{index}")
        pm = get_plugin_manager(load_entry_points=False, strict=False)
        pm.register(module, name="example")
        pm.check_pending()  # a misspelt hook or argument fails here
        assert hook in {caller.name for caller in pm.get_hookcallers(module) or []}


def example(hook: str) -> types.ModuleType:
    return load_example(hook_sections()[hook].python_blocks[1], f"example_{hook}")


def test_the_situation_family_example_works() -> None:
    pm = get_plugin_manager(load_entry_points=False, strict=False)
    pm.register(example("register_situation_families"), name="example")
    assert "own_business" in Hooks(pm).situation_families()


def test_the_eligibility_example_works() -> None:
    pm = get_plugin_manager(load_entry_points=False, strict=False)
    pm.register(example("register_eligibility_rules"), name="example")
    [rule] = [r for r in Hooks(pm).eligibility_rules() if r.name == "priority_neighbourhood"]
    with_qpv: Programme = loads_programme(PROGRAMME_TOML + '[plugins.qpv]\ncode_prefix = "QN095"\n')
    person = Participant("P1", "C1", dt.date(2025, 9, 1), qpv_code="QN09512M")
    assert rule.check(with_qpv, person) == Verdict.ok("priority_neighbourhood")
    elsewhere = attrs.evolve(person, qpv_code="QN07501M")
    assert rule.check(with_qpv, elsewhere) == Verdict.failed(
        "priority_neighbourhood", "neighbourhood QN07501M is not in QN095*"
    )
    assert rule.check(loads_programme(PROGRAMME_TOML), person) is None


def test_the_command_example_works(programme_file: Path) -> None:
    storage = SharedMemoryPlugin()
    pm = get_plugin_manager(load_entry_points=False, strict=False)
    pm.register(storage, name="test-storage")
    pm.register(example("register_commands"), name="example")
    cli = make_cli(pm)
    runner = CliRunner()
    db = ["--db", "test-memory://docs"]
    assert runner.invoke(cli, [*db, "programme", "load", str(programme_file)]).exit_code == 0
    with Workspace.open("test-memory://docs", plugin_manager=pm) as workspace:
        workspace.enrol("gonesse", Participant("P1", "C1", dt.date(2025, 9, 1)))
    result = runner.invoke(cli, [*db, "count", "--programme", "gonesse"])
    assert (result.exit_code, result.output) == (0, "1\n")
    result = runner.invoke(cli, [*db, "count", "--programme", "nowhere"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no programme 'nowhere' (known programmes: gonesse)")


def test_the_checks_read_sections_and_blocks() -> None:
    page = "# T\n\nintro\n\n## a\n\n```python\ndef a() -> None\n```\n\ntext\n\n```python\nx = 1\n```\n## b\nnone\n"
    found = sections(page)
    assert sorted(found) == ["a", "b"]
    assert found["a"].python_blocks == ["def a() -> None\n", "x = 1\n"]
    assert found["b"].python_blocks == []


def test_relative_links_between_docs_pages_resolve() -> None:
    pages = sorted(DOCS.glob("*.md"))
    assert {p.name for p in pages} >= {"index.md", "concepts.md", "plugin-hooks.md"}
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).is_file(), f"{page.name} links to missing {target}"
