"""insertion_core.testing: the fixtures plugin authors get through the pytest11 entry point."""

from __future__ import annotations

import datetime as dt
import textwrap
import tomllib

import pluggy
import pytest

from insertion_core import Participant, Workspace, get_plugin_manager, hookimpl
from insertion_core.domain import loads_programme
from insertion_core.testing import InsertionCli, make_programme, register_plugin

pytest_plugins = ["pytester"]

# A storage like the built-in memory:// one: every opening gets a private store.
PRIVATE_STORAGE = """
import pytest
from insertion_core import hookimpl
from tests.fakes import CountingStorage


class PrivateStorage:
    def __init__(self):
        self.opened = 0

    @hookimpl
    def get_storage(self, url):
        if not url.startswith("private://"):
            return None
        self.opened += 1
        return CountingStorage(url)


@pytest.fixture
def private():
    return PrivateStorage()


@pytest.fixture
def insertion_db_url():
    return "private://"
"""


def test_make_programme_default_is_a_valid_programme() -> None:
    programme = loads_programme(make_programme())
    assert (programme.id, programme.locale) == ("sample", "en")
    assert [p.id for p in programme.phases] == ["welcome", "projects"]
    assert programme.reporting.min_cell == 0


def test_make_programme_merges_tables_and_replaces_lists() -> None:
    text = make_programme(
        programme={"id": "cergy", "name": 'Pass "numérique"'},
        followup={"months": 12, "checkpoints": [3, 6, 12]},
        phases=[{"id": "only", "name": "Only phase", "weeks": 4}],
        eligibility={"max_age": None},
    )
    programme = loads_programme(text)
    assert (programme.id, programme.name) == ("cergy", 'Pass "numérique"')
    assert (programme.followup.months, programme.followup.checkpoints) == (12, (3, 6, 12))
    assert [p.id for p in programme.phases] == ["only"]
    assert tomllib.loads(text)["eligibility"] == {"min_age": 16}


def test_make_programme_drops_a_table_set_to_none_and_writes_nested_tables() -> None:
    data = tomllib.loads(make_programme(eligibility=None, notify={"smtp": {"port": 25}}))
    assert "eligibility" not in data
    assert data["notify"] == {"smtp": {"port": 25}}


def test_make_programme_refuses_what_toml_cannot_say() -> None:
    with pytest.raises(TypeError, match="cannot write"):
        make_programme(followup={"months": object()})
    with pytest.raises(TypeError, match="must be a table"):
        make_programme(programme="sample")


class Misspelt:
    @hookimpl
    def register_report_format(self, register: object) -> None:
        """A misspelt hook name (format, not formats)."""


def test_register_plugin_checks_hook_names_at_once() -> None:
    pm = get_plugin_manager(load_entry_points=False)
    with pytest.raises(pluggy.PluginValidationError, match="register_report_format"):
        register_plugin(pm, Misspelt(), name="misspelt")


def test_register_plugin_returns_the_name() -> None:
    pm = get_plugin_manager(load_entry_points=False)
    assert register_plugin(pm, object(), name="nothing") == "nothing"


def test_workspace_and_cli_share_their_data(
    insertion_workspace: Workspace, insertion_cli: InsertionCli
) -> None:
    insertion_workspace.save_programme(make_programme())
    insertion_workspace.enrol("sample", Participant("P1", "2026-01", dt.date(2026, 1, 5)))
    listed = insertion_cli("programme", "list")
    assert "sample" in listed.stdout
    insertion_cli("programme", "load", "--help")
    refused = insertion_cli("report", "--programme", "nope", expect_exit=1)
    assert "no programme 'nope'" in refused.stderr


def test_cli_reports_an_unexpected_exit_code_with_its_output(insertion_cli: InsertionCli) -> None:
    with pytest.raises(AssertionError, match=r"(?s)exited with 1, expected 0.*no programme 'x'"):
        insertion_cli("report", "--programme", "x")


def test_the_fixtures_reach_any_test_session(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--fixtures")
    result.stdout.fnmatch_lines(
        [
            "*fixtures defined from insertion_core.testing*",
            "insertion_plugins -- *",
            "insertion_db_url -- *",
            "insertion_plugin_manager -- *",
            "insertion_workspace -- *",
            "insertion_cli -- *",
        ]
    )


def test_default_url_is_the_memory_storage(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_url(insertion_db_url, insertion_plugins):
            assert insertion_db_url == "memory://"
            assert list(insertion_plugins) == []
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_plugin_authors_tests(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(PRIVATE_STORAGE)
    pytester.makepyfile(
        shout=textwrap.dedent(
            """
            from insertion_core import hookimpl

            class Shout:
                name = "shout"

                def render(self, report):
                    return f"{report.programme.upper()}: {report.population['selected']}!"

            @hookimpl
            def register_report_formats(register):
                register(Shout())
            """
        )
    )
    pytester.makepyfile(
        test_shout="""
        import datetime as dt
        import pytest
        import shout
        from insertion_core import Participant
        from insertion_core.testing import make_programme

        @pytest.fixture
        def insertion_plugins(private):
            return [private, shout]

        def test_only_the_manager_opens_nothing(insertion_plugin_manager, private):
            assert insertion_plugin_manager.has_plugin("shout")
            assert private.opened == 0

        def test_report_in_my_format(insertion_workspace, insertion_cli, private, tmp_path):
            (tmp_path / "p.toml").write_text(make_programme(), encoding="utf-8")
            insertion_cli("programme", "load", str(tmp_path / "p.toml"))
            insertion_workspace.enrol("sample", Participant("P1", "c1", dt.date(2026, 1, 5)))
            result = insertion_cli("report", "--programme", "sample", "--format", "shout",
                                   "--as-of", "2026-02-01")
            assert result.stdout == "SAMPLE: 1!\\n"
            assert private.opened == 1

        def test_unknown_format(insertion_cli):
            result = insertion_cli("report", "--programme", "sample", "--format", "nope",
                                   expect_exit=2)
            assert "shout" in result.stderr
        """
    )
    pytester.runpytest().assert_outcomes(passed=3)


def test_a_misspelt_plugin_fails_the_tests_that_use_it(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from insertion_core import hookimpl

        class Broken:
            @hookimpl
            def register_report_format(self, register):
                pass

        @pytest.fixture
        def insertion_plugins():
            return [Broken()]

        def test_uses_it(insertion_plugin_manager):
            pass

        def test_does_not(insertion_db_url):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*register_report_format*"])


def test_the_same_tests_on_sqlite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from insertion_core.testing import make_programme

        @pytest.fixture
        def insertion_db_url(tmp_path):
            return f"sqlite:///{tmp_path / 'test.db'}"

        def test_on_sqlite(insertion_workspace, insertion_cli, tmp_path):
            insertion_workspace.save_programme(make_programme())
            assert insertion_cli("programme", "list").stdout == "sample\\n"
            assert (tmp_path / "test.db").is_file()
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_postgresql_test_url_reads_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from insertion_core.testing import POSTGRESQL_URL_ENV, postgresql_test_url

    monkeypatch.setenv(POSTGRESQL_URL_ENV, "postgresql://tester@localhost/tests")
    assert postgresql_test_url() == "postgresql://tester@localhost/tests"


def test_postgresql_test_url_skips_without_a_server_and_fails_under_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from insertion_core.testing import POSTGRESQL_URL_ENV, postgresql_test_url

    monkeypatch.delenv(POSTGRESQL_URL_ENV, raising=False)
    monkeypatch.setenv("CI", "false")
    with pytest.raises(
        pytest.skip.Exception, match=r"run the tests through tests/with-postgresql\.sh"
    ):
        postgresql_test_url()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=f"{POSTGRESQL_URL_ENV} is not set"):
        postgresql_test_url()
