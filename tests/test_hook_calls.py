"""The facade calls hooks through pluggy: wrappers run around the calls, tracing and monitoring see them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Generator, Sequence
from typing import Any

import attrs
import pluggy

from insertion_core import Participant, Workspace, get_plugin_manager, hookimpl
from insertion_core.domain import Event
from insertion_core.hooks import Hooks
from insertion_core.plugins import PluginManager

from .conftest import PROGRAMME_TOML
from .fakes import SharedMemoryPlugin
from .test_docs_meta import HOOKS_PAGE, load_example


@attrs.frozen
class Named:
    name: str


class SiteFormats:
    @hookimpl
    def register_report_formats(self, register: Callable[[Any], None]) -> None:
        register(Named("ods"))


class Timing:
    """A wrapper-only plugin, as a site would write to time or audit contributions."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    @hookimpl(wrapper=True)
    def register_report_formats(
        self, register: Callable[[Any], None]
    ) -> Generator[None, list[None], list[None]]:
        self.calls.append("before")
        result = yield
        self.calls.append("after")
        return result


class Forgiving:
    """A wrapper that turns one plugin's failing on_event into a warning of its own."""

    def __init__(self) -> None:
        self.caught: list[str] = []

    @hookimpl(wrapper=True)
    def on_event(self, event: Event) -> Generator[None, list[None], list[None]]:
        try:
            return (yield)
        except RuntimeError as error:
            self.caught.append(str(error))
            return []


class Exploding:
    @hookimpl
    def on_event(self, event: Event) -> None:
        raise RuntimeError(f"cannot notify about {event.participant_id}")


def manager(*plugins: tuple[str, object]) -> PluginManager:
    pm = get_plugin_manager(load_entry_points=False, strict=False)
    for name, plugin in plugins:
        pm.register(plugin, name=name)
    return pm


def test_a_wrapper_runs_around_each_plugins_contribution() -> None:
    timing = Timing()
    pm = manager(("site", SiteFormats()), ("timing", timing))
    formats = Hooks(pm).report_formats()
    assert set(formats) == {"ods", "json", "text", "markdown", "csv", "html", "xlsx"}
    # once around the site's call and once around the built-in formats' call
    assert timing.calls == ["before", "after", "before", "after"]


def test_a_wrapper_sees_and_may_catch_an_on_event_failure() -> None:
    forgiving = Forgiving()
    pm = manager(
        ("test-storage", SharedMemoryPlugin()), ("exploding", Exploding()), ("forgiving", forgiving)
    )
    with Workspace.open("test-memory://w", plugin_manager=pm) as workspace:
        workspace.save_programme(PROGRAMME_TOML)
        workspace.enrol("gonesse", Participant("P1", "C1", dt.date(2025, 9, 1)))
        assert forgiving.caught == ["cannot notify about P1", "cannot notify about P1"]
        assert workspace.event_failures == []


def test_tracing_sees_every_call() -> None:
    pm = manager(("site", SiteFormats()))
    lines: list[str] = []
    pm.trace.root.setwriter(lines.append)
    undo = pm.enable_tracing()
    try:
        Hooks(pm).report_formats()
    finally:
        undo()
    calls = [line for line in lines if "register_report_formats [hook]" in line]
    assert len(calls) == 2  # the site's and the built-in formats'


def test_monitoring_sees_one_call_per_implementing_plugin() -> None:
    timing = Timing()
    pm = manager(("site", SiteFormats()), ("timing", timing))
    seen: list[tuple[str, list[str]]] = []

    def before(hook_name: str, impls: Sequence[pluggy.HookImpl], kwargs: object) -> None:
        seen.append((hook_name, [impl.plugin_name for impl in impls]))

    def after(*args: object) -> None:
        pass

    undo = pm.add_hookcall_monitoring(before, after)
    try:
        Hooks(pm).report_formats()
        Hooks(pm).storage("memory://")
    finally:
        undo()
    assert seen == [
        ("register_report_formats", ["site", "timing"]),
        ("register_report_formats", ["insertion_core.default_plugins.report_formats", "timing"]),
        (
            "get_storage",
            ["insertion_core.default_plugins.memory", "insertion_core.default_plugins.sql"],
        ),
    ]


class Offline:
    @hookimpl
    def on_event(self, event: Event) -> None:
        raise ConnectionError("dashboard unreachable")


def test_the_documented_wrapper_example_works() -> None:
    """The wrapper of docs/plugin-hooks.md's introduction keeps a ConnectionError out of the failures."""
    introduction = HOOKS_PAGE.read_text(encoding="utf-8").split("\n## ", 1)[0]
    [block] = re.findall(r"^```python\n(.*?)^```", introduction, flags=re.MULTILINE | re.DOTALL)
    example = load_example(block, "wrapper_example")
    for plugins, failures in [((), 2), ((("wrapper", example),), 0)]:
        pm = manager(("test-storage", SharedMemoryPlugin()), ("offline", Offline()), *plugins)
        with Workspace.open("test-memory://doc", plugin_manager=pm) as workspace:
            workspace.save_programme(PROGRAMME_TOML)
            workspace.enrol("gonesse", Participant("P1", "C1", dt.date(2025, 9, 1)))
            assert len(workspace.event_failures) == failures
