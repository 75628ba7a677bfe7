"""The layering rules import-linter cannot see: what importing the domain loads,
who calls the hooks, and that the domain reads no clock and no file.

The import contracts themselves are in pyproject.toml (``lint-imports``, run by ``make lint``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import insertion_core

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "insertion_core"
PURE = ("domain", "outcomes")
FRAMEWORKS = ("pluggy", "click", "sqlalchemy", "alembic", "openpyxl")

#: Calls that read the clock or touch files, matched on the end of the dotted name.
CLOCK_AND_FILES = (
    "date.today",
    "datetime.today",
    "datetime.now",
    "datetime.utcnow",
    "time.time",
    "time.time_ns",
    "time.monotonic",
    "time.localtime",
    "open",
    "Path",
    "PurePath",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
)
#: Modules whose only use would be the clock, the file system or the environment.
IO_MODULES = ("time", "os", "pathlib", "io", "shutil", "tempfile", "glob", "importlib.metadata")


def loaded_modules(statement: str) -> set[str]:
    """The top-level modules in ``sys.modules`` after ``statement``, in a fresh interpreter."""
    code = f"{statement}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return {name.partition(".")[0] for name in out.split()}


@pytest.mark.parametrize("package", PURE)
def test_importing_the_pure_core_loads_no_framework(package: str) -> None:
    loaded = loaded_modules(f"import insertion_core.{package}")
    assert "insertion_core" in loaded  # the check itself ran
    assert sorted(loaded & set(FRAMEWORKS)) == []


def test_loaded_modules_sees_a_framework_when_one_is_imported() -> None:
    assert "pluggy" in loaded_modules("import insertion_core.plugins")


def dotted(node: ast.expr) -> str:
    """``a.b.c`` for a name or attribute chain; ``""`` for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = dotted(node.value)
        return f"{head}.{node.attr}" if head else f"?.{node.attr}"
    return ""


def clock_and_file_uses(source: str) -> Iterator[tuple[int, str]]:
    """(line, what) for each clock read, file access or I/O module import in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = dotted(node.func)
            parts = name.split(".")
            if any(parts[-len(s.split(".")) :] == s.split(".") for s in CLOCK_AND_FILES):
                yield node.lineno, name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in IO_MODULES:
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in IO_MODULES:
            yield node.lineno, f"from {node.module} import ..."


def test_the_scan_finds_clock_reads_and_file_access() -> None:
    source = (
        "import datetime as dt\nfrom pathlib import Path\nimport time\n"
        "dt.date.today()\ndt.datetime.now(dt.UTC)\ntime.time()\n"
        "open('f')\nPath('f').read_text()\nday.isoformat()\n"
    )
    assert sorted(clock_and_file_uses(source)) == [
        (2, "from pathlib import ..."),
        (3, "import time"),
        (4, "dt.date.today"),
        (5, "dt.datetime.now"),
        (6, "time.time"),
        (7, "open"),
        (8, "?.read_text"),
        (8, "Path"),
    ]


@pytest.mark.parametrize("package", PURE)
def test_the_pure_core_reads_no_clock_and_no_file(package: str) -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {what}"
        for path in sorted((PACKAGE / package).rglob("*.py"))
        for line, what in clock_and_file_uses(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def hook_accesses(source: str) -> Iterator[int]:
    """Lines that reach a plugin manager's hooks: ``x.hook`` or ``getattr(x, "hook")``."""
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and node.attr == "hook") or (
            isinstance(node, ast.Call)
            and dotted(node.func) == "getattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "hook"
        ):
            yield node.lineno


def library_sources() -> Iterator[Path]:
    yield from PACKAGE.rglob("*.py")
    yield from (ROOT / "plugins").glob("*/src/**/*.py")


def test_only_hooks_py_calls_the_hooks() -> None:
    callers = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in library_sources()
        if path != PACKAGE / "hooks.py"
        for line in hook_accesses(path.read_text(encoding="utf-8"))
    }
    assert sorted(callers) == []
    assert list(hook_accesses((PACKAGE / "hooks.py").read_text(encoding="utf-8")))


def test_the_hook_scan_finds_both_spellings() -> None:
    source = "pm.hook.get_storage(url=u)\ngetattr(pm, 'hook')\npm.hooks.storage(u)\n"
    assert sorted(hook_accesses(source)) == [1, 2]


def type_checking_imports() -> dict[str, str]:
    """Name -> module of the package's ``if TYPE_CHECKING:`` imports."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and dotted(node.test) == "TYPE_CHECKING"
    )
    return {
        alias.name: "." + (node.module or "")
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def test_the_lazy_package_names_each_public_name_once() -> None:
    homes = {name: module for module, names in insertion_core._HOMES.items() for name in names}
    assert homes == type_checking_imports()
    assert sorted([*homes, "__version__"]) == sorted(insertion_core.__all__)


def test_every_public_name_resolves_in_a_fresh_interpreter() -> None:
    code = (
        "import insertion_core as p\n"
        "missing = [n for n in p.__all__ if getattr(p, n, None) is None]\n"
        "assert not missing, missing\n"
        "assert p.load_programme.__module__ == 'insertion_core.programme_file'\n"
        "assert set(p.__all__) <= set(dir(p))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'insertion_core' has no attribute 'Nope'"):
        _ = insertion_core.Nope  # type: ignore[attr-defined]
