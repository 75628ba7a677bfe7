"""The ``insertion`` command line: output, standard error and exit codes (docs/cli.md)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from insertion_core import __version__, get_plugin_manager, hookimpl
from insertion_core.cli import main, make_cli
from insertion_core.errors import DataError, NotFoundError, Problem
from insertion_core.plugins import DEFAULT_PLUGINS, STRICT_ENV, PluginManager, _own_version
from insertion_core.workspace import DB_ENV

from .conftest import GOOD_PLUGIN, PROGRAMME_TOML, Install
from .fakes import SharedMemoryPlugin

BROKEN = "import a_dependency_that_is_not_installed\n"


def run(pm: PluginManager, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(make_cli(pm), list(args), env=env, prog_name="insertion")


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_version(pm: PluginManager) -> None:
    result = run(pm, "--version")
    assert (result.exit_code, result.output) == (0, f"insertion, version {__version__}\n")


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_the_builtin_commands(pm: PluginManager, flag: str) -> None:
    result = run(pm, flag)
    assert result.exit_code == 0
    assert result.output.startswith("Usage: insertion [OPTIONS] COMMAND [ARGS]...")
    assert "--db URL" in result.output
    commands = result.output.split("Commands:")[1].split()
    assert {"init", "plugins", "programme"} <= set(commands)


def test_init_on_the_test_storage(pm: PluginManager, storage_plugin: SharedMemoryPlugin) -> None:
    result = run(pm, "--db", "test-memory://cli", "init")
    assert (result.exit_code, result.stdout) == (0, "Database ready: test-memory://cli\n")
    [storage] = storage_plugin.opened
    assert storage.initialised == 1
    assert storage.closed  # the workspace is closed when the command ends


def test_the_database_url_comes_from_the_environment(
    pm: PluginManager, storage_plugin: SharedMemoryPlugin
) -> None:
    result = run(pm, "init", env={DB_ENV: "test-memory://env"})
    assert (result.exit_code, result.stdout) == (0, "Database ready: test-memory://env\n")
    result = run(pm, "--db", "test-memory://flag", "init", env={DB_ENV: "test-memory://env"})
    assert result.stdout == "Database ready: test-memory://flag\n"  # --db wins


@pytest.mark.parametrize("command", [("init",), ("programme", "list")])
def test_an_empty_database_url_is_a_usage_error(
    pm: PluginManager, storage_plugin: SharedMemoryPlugin, command: tuple[str, ...]
) -> None:
    result = run(pm, "--db", "", *command)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        "Error: Invalid value for '--db': the database URL is empty; "
        "give one, such as sqlite:///insertion.db\n"
    )
    result = run(pm, *command, env={DB_ENV: ""})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        "Error: INSERTION_DB is set but empty: give a database URL, "
        "or unset it for sqlite:///insertion.db\n"
    )
    assert storage_plugin.opened == []


def test_programme_load_then_list(pm: PluginManager, programme_file: Path) -> None:
    db = ("--db", "test-memory://cli")
    result = run(pm, *db, "programme", "load", str(programme_file))
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "Programme gonesse loaded: Fabrique numérique de Gonesse\n",
        "",
    )
    other = programme_file.with_name("other.toml")
    other.write_text(PROGRAMME_TOML.replace('id = "gonesse"', 'id = "argenteuil"'), "utf-8")
    assert run(pm, *db, "programme", "load", str(other)).exit_code == 0
    result = run(pm, *db, "programme", "list")
    assert (result.exit_code, result.stdout) == (0, "argenteuil\ngonesse\n")


def test_the_sample_site_programme_loads(pm: PluginManager, sample_programme: Path) -> None:
    result = run(pm, "--db", "test-memory://cli", "programme", "load", str(sample_programme))
    assert (result.exit_code, result.stdout) == (0, "Programme sample-site loaded: Sample site\n")


def test_a_bad_programme_file_is_exit_1_with_the_message_on_stderr(
    pm: PluginManager, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(PROGRAMME_TOML.replace("months = 6", "months = 0"), encoding="utf-8")
    result = run(pm, "--db", "test-memory://cli", "programme", "load", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {bad}: followup.months: expected a whole number of months from 1 to 120, got 0\n"
    )
    assert_no_traceback(result)
    listed = run(pm, "--db", "test-memory://cli", "programme", "list")
    assert (listed.exit_code, listed.stdout) == (0, "")  # nothing was written


def test_a_missing_programme_file_is_exit_1(pm: PluginManager, tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    result = run(pm, "--db", "test-memory://cli", "programme", "load", str(missing))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {missing}: cannot read the programme file: No such file or directory\n"
    )
    assert_no_traceback(result)


def test_an_unknown_database_scheme_is_exit_1(pm: PluginManager) -> None:
    result = run(pm, "--db", "ftp://example.org/x", "init")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no storage plugin handles URLs of the form ftp:... "
        "(built in: sqlite:///FILE, postgresql+psycopg://..., memory://)\n"
    )
    assert_no_traceback(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["frobnicate"], "Error: No such command 'frobnicate'."),
        (["programme", "load"], "Error: Missing argument 'FILE'."),
        (["--db"], "Error: Option '--db' requires an argument."),
        (["plugins", "--yaml"], "Error: No such option '--yaml'."),
    ],
)
def test_a_usage_error_is_exit_2(pm: PluginManager, args: list[str], message: str) -> None:
    result = run(pm, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == message
    assert_no_traceback(result)


class Failing:
    """Commands that fail the ways library code does."""

    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        @cli.command("bad-data")
        def bad_data() -> None:
            raise DataError(
                [
                    Problem("participants.csv", 3, "entry_date", "not a date: '31/02/2025'"),
                    Problem("participants.csv", 7, "gender", "unknown value 'Q'"),
                ],
                truncated=5,
            )

        @cli.command("missing")
        def missing() -> None:
            click.echo("partial output")
            raise NotFoundError("no programme 'x' (known programmes: gonesse)")


def test_a_data_error_lists_every_problem_on_stderr() -> None:
    pm = get_plugin_manager(load_entry_points=False, strict=False)
    pm.register(Failing(), name="failing")
    result = run(pm, "bad-data")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "participants.csv:3: entry_date: not a date: '31/02/2025'\n"
        "participants.csv:7: gender: unknown value 'Q'\n"
        "... and 5 more problems\n"
        "Error: 7 problem(s); nothing was written.\n"
    )
    assert_no_traceback(result)


def test_a_library_error_is_a_message_not_a_traceback() -> None:
    pm = get_plugin_manager(load_entry_points=False, strict=False)
    pm.register(Failing(), name="failing")
    result = run(pm, "missing")
    assert result.exit_code == 1
    assert result.stdout == "partial output\n"
    assert result.stderr == "Error: no programme 'x' (known programmes: gonesse)\n"
    assert_no_traceback(result)


# insertion plugins


def builtin_lines() -> list[str]:
    """What 'insertion plugins' must print for the built-ins, read from their modules."""
    origin = f"[insertion-core {_own_version()}] (built in)"
    lines = []
    for name in sorted(DEFAULT_PLUGINS):
        module = importlib.import_module(name)
        hooks = sorted(
            attr
            for attr, value in vars(module).items()
            if callable(value) and hasattr(value, "insertion_core_impl")
        )
        lines += [f"{name}  {origin}", f"    hooks: {', '.join(hooks)}"]
    return lines


def test_plugins_lists_the_builtins(install: Install) -> None:
    result = run(get_plugin_manager(), "plugins")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == builtin_lines()


def test_plugins_lists_third_party_plugins_and_failures(install: Install) -> None:
    install("insertion-core-good", "1.2.3", {"good": "good_plugin"}, {"good_plugin": GOOD_PLUGIN})
    install("insertion-core-broken", "0.3", {"broken": "broken_plugin"}, {"broken_plugin": BROKEN})
    result = run(get_plugin_manager(), "plugins")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "good  [insertion-core-good 1.2.3]",
        "    hooks: register_notifiers, register_situation_families",
        *builtin_lines(),
        "",
        "Failed to load:",
        "  broken [insertion-core-broken]: "
        "ModuleNotFoundError: No module named 'a_dependency_that_is_not_installed'",
    ]


def test_plugins_as_json(install: Install) -> None:
    install("insertion-core-good", "1.2.3", {"good": "good_plugin"}, {"good_plugin": GOOD_PLUGIN})
    install("insertion-core-broken", "0.3", {"broken": "broken_plugin"}, {"broken_plugin": BROKEN})
    result = run(get_plugin_manager(), "plugins", "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)  # standard output holds the JSON and nothing else
    assert document["plugins"][0] == {
        "name": "good",
        "distribution": "insertion-core-good",
        "version": "1.2.3",
        "builtin": False,
        "hooks": ["register_notifiers", "register_situation_families"],
    }
    assert [(p["name"], p["distribution"], p["builtin"]) for p in document["plugins"][1:]] == [
        (name, "insertion-core", True) for name in sorted(DEFAULT_PLUGINS)
    ]
    assert document["failures"] == [
        {
            "name": "broken",
            "distribution": "insertion-core-broken",
            "error": "ModuleNotFoundError: No module named 'a_dependency_that_is_not_installed'",
        }
    ]


def test_plugins_registered_without_a_distribution_are_marked(pm: PluginManager) -> None:
    result = run(pm, "plugins")
    assert "test-storage  [?]" in result.stdout.splitlines()


# main(): the installed script


def test_main_runs_the_command_line(
    install: Install, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["insertion", "--version"])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"insertion, version {__version__}\n"


def test_main_with_a_broken_plugin_carries_on(
    install: Install, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    install("insertion-core-broken", "0.3", {"broken": "broken_plugin"}, {"broken_plugin": BROKEN})
    monkeypatch.setattr(sys, "argv", ["insertion", "plugins"])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 0
    assert "  broken [insertion-core-broken]: ModuleNotFoundError" in capsys.readouterr().out


def test_main_with_a_broken_plugin_in_strict_mode_exits_1(
    install: Install, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    install("insertion-core-broken", "0.3", {"broken": "broken_plugin"}, {"broken_plugin": BROKEN})
    monkeypatch.setenv(STRICT_ENV, "1")
    monkeypatch.setattr(sys, "argv", ["insertion", "plugins"])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "Error: plugin broken (insertion-core-broken): "
        "ModuleNotFoundError: No module named 'a_dependency_that_is_not_installed'\n"
    )


def test_main_with_a_usage_error_exits_2(
    install: Install, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["insertion", "frobnicate"])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 2
    assert "Error: No such command 'frobnicate'." in capsys.readouterr().err
