"""Plugin loading: entry points of fake distributions, failures named, strict mode, name clashes."""

from __future__ import annotations

import pytest

from insertion_core import PluginError, get_plugin_manager
from insertion_core import plugins as plugins_module
from insertion_core.hooks import Hooks
from insertion_core.plugins import (
    DEFAULT_PLUGINS,
    ENTRY_POINT_GROUP,
    STRICT_ENV,
    PluginFailure,
    PluginInfo,
)

from .conftest import GOOD_PLUGIN as GOOD
from .conftest import Install

BUILTIN_HOOKS = {
    "insertion_core.default_plugins.sql": ("get_storage",),
    "insertion_core.default_plugins.memory": ("get_storage",),
    "insertion_core.default_plugins.situations": ("register_situation_families",),
    "insertion_core.default_plugins.eligibility": ("register_eligibility_rules",),
    "insertion_core.default_plugins.commands": ("register_commands",),
    "insertion_core.default_plugins.console": ("on_event", "register_notifiers"),
    "insertion_core.default_plugins.indicator_sets": ("register_indicator_sets",),
    "insertion_core.default_plugins.report_formats": ("register_report_formats",),
}


def infos_by_name(pm: plugins_module.PluginManager) -> dict[str, PluginInfo]:
    return {info.name: info for info in pm.plugin_infos()}


def test_builtins_are_registered_like_plugins_and_listed(install: Install) -> None:
    pm = get_plugin_manager()
    infos = pm.plugin_infos()
    assert [i.name for i in infos] == sorted(DEFAULT_PLUGINS)
    version = plugins_module._own_version()
    for info in infos:
        assert info == PluginInfo(
            info.name, "insertion-core", version, BUILTIN_HOOKS[info.name], builtin=True
        )
    assert pm.failures == []


def test_a_good_plugin_is_registered_and_listed_with_its_distribution(install: Install) -> None:
    install("insertion-core-good", "1.2.3", {"good": "good_plugin"}, {"good_plugin": GOOD})
    pm = get_plugin_manager()
    infos = pm.plugin_infos()
    assert infos[0] == PluginInfo(
        "good",
        "insertion-core-good",
        "1.2.3",
        ("register_notifiers", "register_situation_families"),
        builtin=False,
    )
    assert [i.name for i in infos[1:]] == sorted(DEFAULT_PLUGINS)  # third-party first
    assert pm.failures == []
    assert "own_business" in Hooks(pm).situation_families()


def test_an_entry_point_may_name_an_object_in_a_module(install: Install) -> None:
    source = """
    from insertion_core import hookimpl

    class Plugin:
        @hookimpl
        def register_report_formats(self, register):
            pass

    plugin = Plugin()
    """
    install("insertion-core-obj", "0.1", {"obj": "obj_plugin:plugin"}, {"obj_plugin": source})
    pm = get_plugin_manager()
    assert infos_by_name(pm)["obj"].hooks == ("register_report_formats",)


def test_a_broken_plugin_is_named_and_the_others_load(install: Install) -> None:
    install("insertion-core-good", "1.0", {"good": "good_plugin"}, {"good_plugin": GOOD})
    install(
        "insertion-core-broken",
        "0.3",
        {"broken": "broken_plugin"},
        {"broken_plugin": "import a_dependency_that_is_not_installed\n"},
    )
    install(
        "insertion-core-crash",
        "2.0",
        {"crash": "crash_plugin"},
        {"crash_plugin": "raise RuntimeError('no configuration found')\n"},
    )
    install("insertion-core-gone", "0.1", {"gone": "gone_plugin:missing"}, {"gone_plugin": ""})
    pm = get_plugin_manager()
    assert pm.failures == [
        PluginFailure(
            "broken",
            "insertion-core-broken",
            "ModuleNotFoundError: No module named 'a_dependency_that_is_not_installed'",
        ),
        PluginFailure("crash", "insertion-core-crash", "RuntimeError: no configuration found"),
        PluginFailure(
            "gone",
            "insertion-core-gone",
            "AttributeError: module 'gone_plugin' has no attribute 'missing'",
        ),
    ]
    names = set(infos_by_name(pm))
    assert names == {"good", *DEFAULT_PLUGINS}


def test_a_plugin_with_a_misspelled_hook_is_named_and_not_registered(install: Install) -> None:
    typo = """
    from insertion_core import hookimpl

    @hookimpl
    def register_situation_familes(register):
        register("typo_family")
    """
    install("insertion-core-good", "1.0", {"good": "good_plugin"}, {"good_plugin": GOOD})
    install("insertion-core-typo", "0.1", {"typo": "typo_plugin"}, {"typo_plugin": typo})
    pm = get_plugin_manager()
    [failure] = pm.failures
    assert (failure.name, failure.distribution) == ("typo", "insertion-core-typo")
    assert failure.error.startswith(
        "unknown hook 'register_situation_familes' in plugin <module 'typo_plugin'"
    )
    assert "typo" not in infos_by_name(pm)
    assert pm.get_plugin("typo") is None
    assert "good" in infos_by_name(pm)


def test_a_plugin_whose_hook_takes_unknown_arguments_is_named(install: Install) -> None:
    bad_args = """
    from insertion_core import hookimpl

    @hookimpl
    def get_storage(uri):
        return None
    """
    install("insertion-core-args", "0.1", {"args": "args_plugin"}, {"args_plugin": bad_args})
    pm = get_plugin_manager()
    [failure] = pm.failures
    assert failure.name == "args"
    assert failure.error.startswith("PluginValidationError: Plugin 'args' for hook 'get_storage'")
    assert "Argument(s) {'uri'} are declared in the hookimpl" in failure.error


def test_two_plugins_with_one_name_is_an_error_naming_both(install: Install) -> None:
    install("insertion-core-alpha", "1.0", {"export": "alpha_plugin"}, {"alpha_plugin": GOOD})
    install("insertion-core-beta", "2.5", {"export": "beta_plugin"}, {"beta_plugin": GOOD})
    pm = get_plugin_manager()
    message = "plugin name used more than once: by insertion-core-alpha 1.0 and by insertion-core-beta 2.5"
    assert pm.failures == [
        PluginFailure("export", "insertion-core-alpha", message),
        PluginFailure("export", "insertion-core-beta", message),
    ]
    assert "export" not in infos_by_name(pm)  # neither is trusted


def test_a_plugin_named_like_a_builtin_is_refused(install: Install) -> None:
    name = "insertion_core.default_plugins.situations"
    install("insertion-core-evil", "6.6", {name: "evil_plugin"}, {"evil_plugin": GOOD})
    pm = get_plugin_manager()
    assert pm.failures == [
        PluginFailure(
            name,
            "insertion-core-evil",
            "plugin name used more than once: by insertion-core-evil 6.6 and by insertion-core",
        )
    ]
    info = infos_by_name(pm)[name]
    assert info.builtin and info.distribution == "insertion-core"
    assert "own_business" not in Hooks(pm).situation_families()


def test_strict_mode_from_the_environment_makes_a_failure_fatal(
    install: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(
        "insertion-core-broken",
        "0.3",
        {"broken": "broken_plugin"},
        {"broken_plugin": "import a_dependency_that_is_not_installed\n"},
    )
    monkeypatch.setenv(STRICT_ENV, "1")
    with pytest.raises(PluginError) as caught:
        get_plugin_manager()
    assert str(caught.value) == (
        "plugin broken (insertion-core-broken): "
        "ModuleNotFoundError: No module named 'a_dependency_that_is_not_installed'"
    )
    # an explicit argument wins over the environment
    assert [f.name for f in get_plugin_manager(strict=False).failures] == ["broken"]
    monkeypatch.setenv(STRICT_ENV, "0")
    assert [f.name for f in get_plugin_manager().failures] == ["broken"]
    monkeypatch.delenv(STRICT_ENV)
    with pytest.raises(PluginError, match="plugin broken"):
        get_plugin_manager(strict=True)


@pytest.mark.parametrize(
    ("value", "strict"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        (" on ", True),
        ("0", False),
        ("", False),
        ("no", False),
    ],
)
def test_strict_mode_values(monkeypatch: pytest.MonkeyPatch, value: str, strict: bool) -> None:
    monkeypatch.setenv(STRICT_ENV, value)
    assert plugins_module.is_strict() is strict


def test_strict_mode_names_every_failure(install: Install, monkeypatch: pytest.MonkeyPatch) -> None:
    install("insertion-core-a", "1", {"a": "a_plugin"}, {"a_plugin": "raise ValueError('a')\n"})
    install("insertion-core-b", "1", {"b": "b_plugin"}, {"b_plugin": "raise ValueError('b')\n"})
    monkeypatch.setenv(STRICT_ENV, "1")
    with pytest.raises(PluginError) as caught:
        get_plugin_manager()
    assert str(caught.value) == (
        "plugin a (insertion-core-a): ValueError: a; plugin b (insertion-core-b): ValueError: b"
    )


def test_entry_points_can_be_skipped(install: Install) -> None:
    install("insertion-core-good", "1.0", {"good": "good_plugin"}, {"good_plugin": GOOD})
    pm = get_plugin_manager(load_entry_points=False)
    assert "good" not in infos_by_name(pm)
    assert get_plugin_manager(load_entry_points=False, builtins=()).plugin_infos() == []


def test_each_call_builds_a_fresh_manager(install: Install) -> None:
    first, second = get_plugin_manager(), get_plugin_manager()
    assert first is not second
    first.unregister(name="insertion_core.default_plugins.situations")
    assert "insertion_core.default_plugins.situations" in infos_by_name(second)


def test_the_entry_point_group_is_the_project_name() -> None:
    assert ENTRY_POINT_GROUP == "insertion_core"
    pm = get_plugin_manager(load_entry_points=False)
    assert pm.project_name == "insertion_core"


def test_plugins_registered_directly_are_listed_without_a_distribution() -> None:
    pm = get_plugin_manager(load_entry_points=False, builtins=())

    class Local:
        pass

    pm.register(Local(), name="local")
    assert pm.plugin_infos() == [PluginInfo("local", "", "", (), builtin=False)]


def test_an_entry_point_naming_a_builtin_module_is_refused_not_fatal(install: Install) -> None:
    install(
        "insertion-core-copy",
        "1.0",
        {"copy": "insertion_core.default_plugins.situations"},
    )
    pm = get_plugin_manager()
    assert pm.failures == [
        PluginFailure(
            "copy",
            "insertion-core-copy",
            "PluginError: the entry point names the built-in plugin "
            "insertion_core.default_plugins.situations",
        )
    ]
    assert set(infos_by_name(pm)) == set(DEFAULT_PLUGINS)
