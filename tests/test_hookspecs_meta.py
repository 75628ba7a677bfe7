"""Every hook in hookspecs.py has a test named ``test_hook_<hook name>...`` (like datasette's
``test_plugin_hooks_have_tests``), and every such test names a hook that exists.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterable
from pathlib import Path

import pytest

from .hookspec_info import hookspec_names

TESTS = Path(__file__).parent
PREFIX = "test_hook_"


def defined_test_names(folder: Path = TESTS) -> set[str]:
    """Names of the test functions defined in the test modules of ``folder``."""
    names = set()
    for module in folder.glob("test_*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test_"
            ):
                names.add(node.name)
    return names


def hook_of(test_name: str, hooks: Collection[str]) -> str | None:
    """The hook a ``test_hook_...`` test is about: the longest hook name that follows the prefix."""
    if not test_name.startswith(PREFIX):
        return None
    rest = test_name.removeprefix(PREFIX)
    matches = [h for h in hooks if rest == h or rest.startswith(h + "_")]
    return max(matches, key=len) if matches else None


def untested_hooks(hooks: Collection[str], test_names: Iterable[str]) -> list[str]:
    tested = {hook_of(name, hooks) for name in test_names}
    return sorted(set(hooks) - tested)


def stray_hook_tests(hooks: Collection[str], test_names: Iterable[str]) -> list[str]:
    return sorted(n for n in test_names if n.startswith(PREFIX) and hook_of(n, hooks) is None)


def test_there_are_hooks() -> None:
    assert "get_storage" in hookspec_names()
    assert len(hookspec_names()) >= 8


@pytest.mark.parametrize("hook", hookspec_names())
def test_every_hookspec_has_a_test(hook: str) -> None:
    assert untested_hooks([hook], defined_test_names()) == [], (
        f"hook {hook} has no test: write a test named test_hook_{hook}_... "
        "that exercises it (tests/test_hooks.py)"
    )


def test_every_hook_test_names_an_existing_hook() -> None:
    assert stray_hook_tests(hookspec_names(), defined_test_names()) == []


def test_the_check_finds_what_is_missing() -> None:
    hooks = ["on_event", "on_event_batch", "get_storage"]
    tests = {"test_hook_on_event_batch_is_fanned_out", "test_something_else", "test_get_storage"}
    # test_hook_on_event_batch_... is about on_event_batch, not on_event
    assert untested_hooks(hooks, tests) == ["get_storage", "on_event"]
    assert untested_hooks(hooks, tests | {"test_hook_on_event", "test_hook_get_storage_x"}) == []
    assert stray_hook_tests(hooks, {"test_hook_get_storag", "test_hook_on_event"}) == [
        "test_hook_get_storag"
    ]


def test_the_check_reads_the_test_modules(tmp_path: Path) -> None:
    (tmp_path / "test_sample.py").write_text(
        "def test_hook_a_one():\n    pass\n\nclass TestX:\n    def test_hook_b(self):\n        pass\n"
        "\ndef helper_test_hook_c():\n    pass\n",
        encoding="utf-8",
    )
    (tmp_path / "other.py").write_text("def test_hook_d():\n    pass\n", encoding="utf-8")
    assert defined_test_names(tmp_path) == {"test_hook_a_one", "test_hook_b"}
    assert untested_hooks(["a", "b", "c", "d"], defined_test_names(tmp_path)) == ["c", "d"]
