"""Every hook of hookspecs.py, exercised through the typed facade as the host calls it.

Test names start with ``test_hook_<hook name>``: tests/test_hookspecs_meta.py
checks that every hookspec has at least one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import click
import pytest
from click.testing import CliRunner

from insertion_core import (
    Participant,
    PluginError,
    Programme,
    StorageError,
    Workspace,
    get_plugin_manager,
    hookimpl,
)
from insertion_core.cli import make_cli
from insertion_core.domain import Event, Verdict
from insertion_core.errors import NotEligibleError
from insertion_core.hooks import EventFailure, Hooks
from insertion_core.outcomes import Report
from insertion_core.plugins import PluginManager

from .conftest import PROGRAMME_TOML
from .fakes import CountingStorage, EventRecorder, SharedMemoryPlugin


def manager(*plugins: tuple[str, object]) -> PluginManager:
    pm = get_plugin_manager(load_entry_points=False, strict=False)
    for name, plugin in plugins:
        pm.register(plugin, name=name)
    return pm


def bare_manager(*plugins: tuple[str, object]) -> PluginManager:
    """A manager without the built-ins, for hooks the built-ins contribute to."""
    pm = get_plugin_manager(load_entry_points=False, builtins=(), strict=False)
    for name, plugin in plugins:
        pm.register(plugin, name=name)
    return pm


@attrs.frozen
class Named:
    """A contribution with a name, as indicator sets, report formats and notifiers are."""

    name: str


def contributor(hook_name: str, *items: object, trylast: bool = False) -> object:
    """A plugin whose ``hook_name`` registers ``items``."""

    def contribute(register: Callable[[Any], None]) -> None:
        for item in items:
            register(item)

    contribute.__name__ = hook_name
    plugin = type(
        "Contributor", (), {hook_name: staticmethod(hookimpl(trylast=trylast)(contribute))}
    )
    return plugin()


# get_storage


def test_hook_get_storage_first_non_none_result_is_used() -> None:
    calls: list[str] = []

    class Picky:
        @hookimpl(tryfirst=True)
        def get_storage(self, url: str) -> CountingStorage | None:
            calls.append("picky")
            return CountingStorage(url) if url.startswith("picky://") else None

    class Greedy:
        @hookimpl
        def get_storage(self, url: str) -> CountingStorage | None:
            calls.append("greedy")
            return CountingStorage("greedy:" + url)

    pm = manager(("greedy", Greedy()), ("picky", Picky()))
    hooks = Hooks(pm)
    assert hooks.storage("picky://x").url == "picky://x"
    assert calls == ["picky"]  # firstresult: the call stopped at the first answer
    assert hooks.storage("other://y").url == "greedy:other://y"
    assert calls == ["picky", "picky", "greedy"]


def test_hook_get_storage_none_everywhere_is_a_clear_error() -> None:
    pm = manager(("test-storage", SharedMemoryPlugin()))
    with pytest.raises(StorageError) as caught:
        Hooks(pm).storage("ftp://example.org/db")
    assert str(caught.value) == (
        "no storage plugin handles URLs of the form ftp:... "
        "(built in: sqlite:///FILE, postgresql+psycopg://..., memory://)"
    )
    with pytest.raises(
        StorageError, match=r"^no storage plugin handles URLs of the form nonsense:"
    ):
        Workspace.open("nonsense", plugin_manager=pm)


def test_hook_get_storage_opens_the_workspace(storage_plugin: SharedMemoryPlugin) -> None:
    pm = manager(("test-storage", storage_plugin))
    with Workspace.open("test-memory://here", plugin_manager=pm, initialise=True) as workspace:
        assert workspace.storage.url == "test-memory://here"
        [storage] = storage_plugin.opened
        assert storage.initialised == 1
    assert storage.closed


# register_situation_families


def test_hook_register_situation_families_extends_every_programme() -> None:
    plugin = contributor("register_situation_families", "own_business", "civic_plus")
    storage = SharedMemoryPlugin()
    pm = manager(("families", plugin), ("test-storage", storage))
    hooks = Hooks(pm)
    assert hooks.situation_families() == frozenset(
        {
            "employment",
            "training",
            "civic_service",
            "job_search",
            "inactive",
            "unreachable",
            "other",
            "own_business",
            "civic_plus",
        }
    )
    with Workspace.open("test-memory://f", plugin_manager=pm) as workspace:
        text = PROGRAMME_TOML.replace(
            '["employment", "training"]', '["employment", "own_business"]'
        )
        programme = workspace.save_programme(text, "families.toml")
        assert programme.outcomes.positive == ("employment", "own_business")
        assert (
            workspace.families_for(programme).parse("Own_Business.digital").family == "own_business"
        )


def test_hook_register_situation_families_a_builtin_family_may_be_declared_again() -> None:
    pm = manager(("site-families", contributor("register_situation_families", "training")))
    assert Hooks(pm).situation_families() == Hooks(manager()).situation_families()


def test_hook_register_situation_families_collision_names_both_plugins() -> None:
    pm = manager(
        ("site-a", contributor("register_situation_families", "own_business")),
        ("site-b", contributor("register_situation_families", "own_business")),
    )
    with pytest.raises(PluginError) as caught:
        Hooks(pm).situation_families()
    assert str(caught.value) == (
        "register_situation_families: 'own_business' is registered twice, "
        "by plugin site-b and by plugin site-a"
    )


@pytest.mark.parametrize("name", ["Own Business", "own-business", "", 3])
def test_hook_register_situation_families_refuses_what_is_not_a_family_name(name: object) -> None:
    pm = manager(("sloppy", contributor("register_situation_families", name)))
    with pytest.raises(PluginError) as caught:
        Hooks(pm).situation_families()
    assert str(caught.value) == (
        f"register_situation_families: plugin sloppy: {name!r} is not a situation family name "
        "(a lower-case slug: letters, digits and _, starting with a letter)"
    )


# register_eligibility_rules


@attrs.frozen
class ResidentOf:
    """Only residents of one town, known from the participant's qpv_code prefix."""

    prefix: str
    name: str = "resident"

    def check(self, programme: Programme, participant: Participant) -> Verdict | None:
        if participant.qpv_code is None:
            return Verdict.unknown(self.name, "no neighbourhood code")
        if participant.qpv_code.startswith(self.prefix):
            return Verdict.ok(self.name)
        return Verdict.failed(self.name, f"lives outside {self.prefix}")


def test_hook_register_eligibility_rules_are_applied_at_enrolment(
    storage_plugin: SharedMemoryPlugin,
) -> None:
    pm = manager(
        ("test-storage", storage_plugin),
        ("resident", contributor("register_eligibility_rules", ResidentOf("QN095"))),
    )
    hooks = Hooks(pm)
    assert [r.name for r in hooks.eligibility_rules()] == [
        "resident",  # the plugin's, then the built-ins (trylast)
        "min_age",
        "max_age",
        "max_education_level",
    ]
    with Workspace.open("test-memory://e", plugin_manager=pm) as workspace:
        workspace.save_programme(PROGRAMME_TOML)
        outsider = Participant(
            "P1", "C1", dt.date(2025, 9, 1), birth_date=dt.date(1990, 1, 1), qpv_code="QN75001"
        )
        with pytest.raises(NotEligibleError) as caught:
            workspace.enrol("gonesse", outsider)
        assert caught.value.failures == (
            "resident: lives outside QN095",
            "max_age: aged 35 on entry, the maximum is 25",
        )
        unknown = attrs.evolve(outsider, birth_date=dt.date(2005, 1, 1), qpv_code=None)
        transition = workspace.enrol("gonesse", unknown)
        assert transition.warnings == (
            "participant P1: resident: no neighbourhood code",
            "participant P1: max_education_level: no education level, "
            "so the maximum level was not checked",
        )


def test_hook_register_eligibility_rules_a_site_rule_replaces_a_builtin_one() -> None:
    own = ResidentOf("X", name="min_age")
    pm = manager(("ages", contributor("register_eligibility_rules", own)))
    rules = Hooks(pm).eligibility_rules()
    assert [r.name for r in rules] == ["min_age", "max_age", "max_education_level"]
    assert rules[0] is own


def test_hook_register_eligibility_rules_collision_names_both_plugins() -> None:
    pm = manager(
        ("ages", contributor("register_eligibility_rules", ResidentOf("X", name="min_age"))),
        ("more-ages", contributor("register_eligibility_rules", ResidentOf("Y", name="min_age"))),
    )
    with pytest.raises(PluginError) as caught:
        Hooks(pm).eligibility_rules()
    assert str(caught.value) == (
        "register_eligibility_rules: 'min_age' is registered twice, "
        "by plugin more-ages and by plugin ages"
    )


# register_indicator_sets, register_report_formats, register_notifiers


CONTRIBUTIONS: list[tuple[str, Callable[[Hooks], dict[str, Any]]]] = [
    ("register_indicator_sets", Hooks.indicator_sets),
    ("register_report_formats", Hooks.report_formats),
    ("register_notifiers", Hooks.notifiers),
]


def _check_contributions(hook_name: str, collect: Callable[[Hooks], dict[str, Any]]) -> None:
    a, b, c = Named("alpha"), Named("beta"), Named("gamma")
    pm = bare_manager(
        ("first", contributor(hook_name, a, b)),
        ("last", contributor(hook_name, c, trylast=True)),
    )
    found = collect(Hooks(pm))
    assert found == {"alpha": a, "beta": b, "gamma": c}
    assert list(found) == ["alpha", "beta", "gamma"]

    clash = bare_manager(
        ("site-a", contributor(hook_name, Named("shared"))),
        ("site-b", contributor(hook_name, Named("shared"))),
    )
    with pytest.raises(PluginError) as caught:
        collect(Hooks(clash))
    # pluggy calls the plugin registered last first
    assert str(caught.value) == (
        f"{hook_name}: 'shared' is registered twice, by plugin site-b and by plugin site-a"
    )
    assert collect(Hooks(bare_manager())) == {}

    # a trylast contribution is a default: an ordinary one with its name replaces it,
    # whichever pluggy calls first; two defaults with one name are refused
    own, default = Named("shared"), Named("shared")
    for first, second in [("site", "defaults"), ("defaults", "site")]:
        plugins = {
            "site": contributor(hook_name, own),
            "defaults": contributor(hook_name, default, Named("other"), trylast=True),
        }
        pm = bare_manager((first, plugins[first]), (second, plugins[second]))
        assert collect(Hooks(pm)) == {"shared": own, "other": Named("other")}
        assert collect(Hooks(pm))["shared"] is own
    two_defaults = bare_manager(
        ("defaults-a", contributor(hook_name, Named("shared"), trylast=True)),
        ("defaults-b", contributor(hook_name, Named("shared"), trylast=True)),
    )
    with pytest.raises(PluginError, match=r"by plugin defaults-a and by plugin defaults-b$"):
        collect(Hooks(two_defaults))


def test_hook_register_indicator_sets() -> None:
    _check_contributions(*CONTRIBUTIONS[0])


def test_hook_register_report_formats() -> None:
    _check_contributions(*CONTRIBUTIONS[1])


def test_hook_register_notifiers() -> None:
    _check_contributions(*CONTRIBUTIONS[2])


def test_hook_register_report_formats_a_site_format_replaces_a_builtin_one(
    programme_file: Path, tmp_path: Path
) -> None:
    @attrs.frozen
    class SiteText:
        name: str = "text"

        def render(self, report: Report) -> str:
            return f"{report.programme}: the site's own text\n"

    pm = manager(("site-text", contributor("register_report_formats", SiteText())))
    formats = Hooks(pm).report_formats()
    assert formats["text"] == SiteText()
    assert set(formats) == {"json", "text", "markdown", "csv", "html", "xlsx"}
    cli = make_cli(pm)
    db = ["--db", f"sqlite:///{tmp_path / 'site.db'}"]
    runner = CliRunner()
    assert runner.invoke(cli, [*db, "init"]).exit_code == 0
    assert runner.invoke(cli, [*db, "programme", "load", str(programme_file)]).exit_code == 0
    args = [*db, "report", "--programme", "gonesse", "--as-of", "2026-01-01", "--format", "text"]
    result = runner.invoke(cli, args)
    assert (result.exit_code, result.stdout) == (0, "gonesse: the site's own text\n")


def test_hook_register_notifiers_one_plugin_registering_a_name_twice() -> None:
    pm = manager(("twice", contributor("register_notifiers", Named("log"), Named("log"))))
    with pytest.raises(PluginError) as caught:
        Hooks(pm).notifiers()
    assert str(caught.value) == (
        "register_notifiers: 'log' is registered twice, by plugin twice and by plugin twice"
    )


# on_event


class Exploding:
    @hookimpl(tryfirst=True)
    def on_event(self, event: Event) -> None:
        raise RuntimeError(f"cannot notify about {event.participant_id}")


def test_hook_on_event_failures_are_collected_and_do_not_stop_others(
    storage_plugin: SharedMemoryPlugin, recorder: EventRecorder
) -> None:
    pm = manager(
        ("test-storage", storage_plugin), ("exploding", Exploding()), ("recorder", recorder)
    )
    with Workspace.open("test-memory://ev", plugin_manager=pm) as workspace:
        workspace.save_programme(PROGRAMME_TOML)
        transition = workspace.enrol("gonesse", Participant("P1", "C1", dt.date(2025, 9, 1)))
        assert recorder.events == list(transition.events)
        assert recorder.visible == [True, True]  # on_event saw the committed data
        assert workspace.event_failures == [
            EventFailure("exploding", "enrolled", "RuntimeError: cannot notify about P1"),
            EventFailure("exploding", "phase_started", "RuntimeError: cannot notify about P1"),
        ]
        # the failure never rolled anything back
        assert workspace.journey("gonesse", "P1") == transition.journey


def test_hook_on_event_is_given_only_the_arguments_it_declares(
    storage_plugin: SharedMemoryPlugin,
) -> None:
    seen: list[tuple[str, object]] = []

    class Both:
        @hookimpl
        def on_event(self, event: Event, workspace: Workspace) -> None:
            seen.append((event.name, workspace))

    class EventOnly:
        @hookimpl
        def on_event(self, event: Event) -> None:
            seen.append((event.name, None))

    pm = manager(("test-storage", storage_plugin), ("both", Both()), ("event-only", EventOnly()))
    with Workspace.open("test-memory://args", plugin_manager=pm) as workspace:
        workspace.save_programme(PROGRAMME_TOML)
        workspace.enrol("gonesse", Participant("P1", "C1", dt.date(2025, 9, 1)))
        assert seen == [
            ("enrolled", None),
            ("enrolled", workspace),
            ("phase_started", None),
            ("phase_started", workspace),
        ]


# register_commands


def test_hook_register_commands_adds_a_command() -> None:
    class Greeter:
        @hookimpl
        def register_commands(self, cli: click.Group) -> None:
            @cli.command("hello")
            @click.argument("who")
            def hello(who: str) -> None:
                """Say hello."""
                click.echo(f"Bonjour {who}")

    pm = manager(("greeter", Greeter()))
    cli = make_cli(pm)
    assert {"hello", "init", "programme", "plugins"} <= set(cli.commands)  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli, ["hello", "Gonesse"])
    assert (result.exit_code, result.output) == (0, "Bonjour Gonesse\n")
    help_text = CliRunner().invoke(cli, ["--help"]).output
    assert "hello" in help_text and "Say hello." in help_text


class OwnInit:
    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        @cli.command("init")
        def init() -> None:
            """Prepare the site's database."""
            click.echo("site-specific init")


def test_hook_register_commands_a_site_command_replaces_a_builtin_one() -> None:
    cli = make_cli(manager(("own-init", OwnInit())))
    result = CliRunner().invoke(cli, ["init"])
    assert (result.exit_code, result.output) == (0, "site-specific init\n")
    assert {"programme", "import", "report"} <= set(cli.commands)  # type: ignore[attr-defined]


def test_hook_register_commands_collision_names_both_plugins() -> None:
    with pytest.raises(PluginError) as caught:
        make_cli(manager(("own-init", OwnInit()), ("other-init", OwnInit())))
    assert str(caught.value) == (
        "register_commands: command 'init' is added twice, "
        "by plugin other-init and by plugin own-init"
    )
