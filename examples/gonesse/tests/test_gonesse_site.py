"""The Gonesse site plugin: its ``gonesse`` set on hand-counted data and on the reference data."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from importlib.metadata import EntryPoint, distribution
from pathlib import Path
from typing import Any

import demo
import generate
import gonesse_site
import pytest

from insertion_core import Exit, Participant, Situation, Workspace, get_plugin_manager
from insertion_core.domain.codes import ExitReason
from insertion_core.hooks import Hooks
from insertion_core.outcomes import Rate
from insertion_core.testing import InsertionCli

HERE = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 11, 25)


@pytest.fixture
def insertion_plugins() -> list[object]:
    return [gonesse_site]


@pytest.fixture
def gonesse(insertion_workspace: Workspace) -> Workspace:
    insertion_workspace.load_programme(HERE / "programme.toml")
    return insertion_workspace


def leave(ws: Workspace, pid: str, reason: str, destination: str) -> None:
    """Enrol ``pid`` on 2025-01-06 and record their exit on 2025-06-06."""
    ws.enrol("gonesse", Participant(pid, "2025-01", dt.date(2025, 1, 6)))
    family, _, sector = destination.partition(".")
    situation = Situation(family, sector or "other")
    ws.record_exit("gonesse", pid, Exit(dt.date(2025, 6, 6), ExitReason(reason), situation))


def rates(ws: Workspace, min_cell: int) -> dict[str, Rate]:
    report = ws.report(
        "gonesse", as_of=AS_OF, sets=["gonesse"], min_cell=min_cell, audience="public"
    )
    return {k: v for k, v in report.indicators.items() if isinstance(v, Rate)}


def test_counted_by_hand(gonesse: Workspace) -> None:
    leave(gonesse, "A", "completed", "training.digital")  # positive, digital
    leave(gonesse, "B", "early_positive", "employment")  # positive, sector other
    leave(gonesse, "C", "dropout", "employment.digital")  # dropout class: not positive
    leave(gonesse, "D", "completed", "job_search")  # no outcome: not positive
    leave(gonesse, "E", "neutralised", "training.digital")  # out of every denominator
    found = rates(gonesse, min_cell=0)
    share, rate = found["digital_positive_share"], found["digital_positive_rate"]
    assert (share.numerator, share.denominator, share.value) == (1, 2, 0.5)
    assert (rate.numerator, rate.denominator, rate.value) == (1, 4, 0.25)
    training, employment = found["training_other_share"], found["employment_other_share"]
    assert (training.numerator, training.denominator) == (0, 1)  # A is digital
    assert (employment.numerator, employment.denominator) == (1, 1)  # B is sector other


def test_the_set_titles_its_own_section_in_the_programme_language(gonesse: Workspace) -> None:
    leave(gonesse, "A", "completed", "training.digital")
    report = gonesse.report("gonesse", as_of=AS_OF, sets=["key_figures", "gonesse"], min_cell=0)
    text = Hooks(gonesse.pm).report_formats()["text"].render(report)
    assert "\nChiffres de la Fabrique\n" in text
    assert "\nChiffres clés\n" in text  # the built-in sets keep their own titles
    assert report.set_titles == {"gonesse": "Chiffres de la Fabrique"}


def test_small_counts_are_suppressed(gonesse: Workspace) -> None:
    leave(gonesse, "A", "completed", "training.digital")
    leave(gonesse, "B", "completed", "employment")
    found = rates(gonesse, min_cell=11)
    assert all(r.suppressed and r.value is None for r in found.values())


def test_reference_data(tmp_path: Path, gonesse: Workspace, insertion_cli: InsertionCli) -> None:
    generate.write(tmp_path / "data")
    imported = insertion_cli("import", "--programme", "gonesse", str(tmp_path / "data"))
    assert imported.stderr == ""  # what a site records: no warning
    result = insertion_cli(
        "report", "--programme", "gonesse", "--as-of", AS_OF.isoformat(),
        "--set", "key_figures,gonesse", "--format", "json",
    )  # fmt: skip
    report: dict[str, Any] = json.loads(result.stdout)
    figures = report["indicators"]
    # 77 digital trainings + 26 digital jobs, among 140 + 40 positive of 200 mature
    assert figures["digital_positive_share"]["numerator"] == 103
    assert figures["digital_positive_share"]["denominator"] == 180
    assert figures["digital_positive_rate"]["value"] == pytest.approx(103 / 200, abs=1e-12)
    assert figures["remobilisation_rate"]["value"] == pytest.approx(0.9, abs=1e-12)
    # the other half of each published digital share: 63 of 140 trainings, 14 of 40 jobs
    other = {"training_other_share": (63, 140), "employment_other_share": (14, 40)}
    assert {n: (figures[n]["numerator"], figures[n]["denominator"]) for n in other} == other
    assert report["provenance"]["definitions_version"] == {"key_figures": "1", "gonesse": "2"}


def test_reference_data_has_phases(
    tmp_path: Path, gonesse: Workspace, insertion_cli: InsertionCli
) -> None:
    generate.write(tmp_path / "data")
    insertion_cli("import", "--programme", "gonesse", str(tmp_path / "data"))
    listed = insertion_cli(
        "participants", "list", "--programme", "gonesse", "--as-of", AS_OF.isoformat(),
        "--status", "in_programme", "--format", "json",
    )  # fmt: skip
    current = json.loads(listed.stdout)
    # the September 2026 cohort, 14 still in, now in their 12th week
    assert [p["phase"] for p in current] == ["projets"] * 14
    in_orientation = insertion_cli(
        "participants", "list", "--programme", "gonesse", "--as-of", AS_OF.isoformat(),
        "--phase", "orientation", "--format", "json",
    )  # fmt: skip
    # those who stayed past the 18th week left in the last phase; the current cohort is not there
    last = json.loads(in_orientation.stdout)
    assert last and all(p["phase"] == "orientation" for p in last)
    assert not {p["participant_id"] for p in last} & {p["participant_id"] for p in current}


def test_demo_runs_every_step(
    tmp_path: Path,
    insertion_db_url: str,
    insertion_cli: InsertionCli,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = demo.run(tmp_path, db=insertion_db_url, pm=insertion_cli.pm)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Remobilisation                      90,0 %  180/200" in out
    assert "Part numérique des sorties positives" in out
    assert "dont autre secteur (formation)         45,0 %   63/140" in out
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["indicators"]["training_digital_share"]["value"] == pytest.approx(0.55)


def test_demo_uses_the_installed_site_plugin() -> None:
    pm = demo.plugin_manager()
    assert pm.get_plugin("gonesse") is gonesse_site  # from the entry point, not registered here
    assert "gonesse" in Hooks(pm).indicator_sets()


def test_demo_without_the_site_plugin_says_how_to_install_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = get_plugin_manager(load_entry_points=False)
    assert demo.run(tmp_path / "work", pm=bare) == 1
    err = capsys.readouterr().err
    assert "Error: the Gonesse site plugin is not installed" in err
    assert "-m pip install -e " in err and "(make demo does it)" in err
    assert not (tmp_path / "work").exists()  # stopped before writing anything


def test_the_distribution_entry_point_loads_the_plugin() -> None:
    project = tomllib.loads((HERE / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "insertion-core-gonesse-site"
    ((name, value),) = project["project"]["entry-points"]["insertion_core"].items()
    assert EntryPoint(name, value, "insertion_core").load() is gonesse_site
    included = project["tool"]["hatch"]["build"]["targets"]["wheel"]["only-include"]
    assert included == ["gonesse_site.py", "gonesse_figures.py"]


def test_the_installed_distribution_offers_the_plugin_in_the_insertion_core_group() -> None:
    installed = distribution("insertion-core-gonesse-site").entry_points
    (entry,) = installed.select(group="insertion_core")
    assert (entry.name, entry.value) == ("gonesse", "gonesse_site")
    assert entry.load() is gonesse_site
