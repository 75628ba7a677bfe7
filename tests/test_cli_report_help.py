"""``insertion report --help`` names every report format, the plugins' included."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
import pytest

from insertion_core import hookimpl
from insertion_core.cli.reference import cli as reference_cli
from insertion_core.testing import InsertionCli


class Shout:
    """A plugin's report format: the programme id, loudly."""

    name = "shout"

    def render(self, report: Any) -> str:
        return f"{report.programme.upper()}!"


class ShoutPlugin:
    @hookimpl
    def register_report_formats(self, register: Callable[[Any], None]) -> None:
        register(Shout())


@pytest.fixture
def insertion_plugins() -> list[object]:
    return [ShoutPlugin()]


def test_help_lists_the_built_in_formats_and_the_plugins(insertion_cli: InsertionCli) -> None:
    result = insertion_cli("report", "--help")
    assert result.exit_code == 0
    help_text = " ".join(result.stdout.split())  # the help is wrapped to the terminal's width
    assert "--format NAME Report format: csv, html, json, markdown, shout, text, xlsx." in help_text
    assert "[default: text]" in help_text


def test_the_generated_reference_lists_the_built_in_formats() -> None:
    report = reference_cli.commands["report"]
    help_text = " ".join(report.get_help(click.Context(report, info_name="report")).split())
    assert "Report format: csv, html, json, markdown, text, xlsx." in help_text
    # docs/cli.md's table reads the option's help itself, outside any command line
    (option,) = [p for p in report.params if p.name == "format_name"]
    assert isinstance(option, click.Option)
    assert option.help == "Report format: csv, html, json, markdown, text, xlsx."
