"""Report formats and the built-in plugins that register them and the indicator sets."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import attrs
import pluggy
import pytest

from insertion_core import hookspecs
from insertion_core.default_plugins import indicator_sets, report_formats
from insertion_core.outcomes import compute_report
from insertion_core.reporting import CsvFormat, builtin_formats

from .builders import day, journey, programme

AT = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)


def _report(locale="en", min_cell=3):
    prog = attrs.evolve(programme(min_cell=min_cell), locale=locale)
    js = [
        *(journey(f"T{i}", exit="2024-01-02", destination="training.digital", gender="F") for i in range(7)),
        *(journey(f"E{i}", exit="2024-01-02", destination="employment", gender="M") for i in range(2)),
        *(journey(f"J{i}", exit="2024-01-02", gender="M") for i in range(4)),
    ]  # fmt: skip
    return compute_report(
        prog, js, day("2025-06-30"), by=["gender"], generated_at=AT, audience="public"
    )


def test_json_format_is_the_report_document():
    report = _report()
    assert json.loads(builtin_formats()["json"].render(report)) == report.to_json_dict()


@pytest.mark.parametrize(
    ("locale", "label", "pct"), [("en", "Training", "53.8%"), ("fr", "Formation", "53,8 %")]
)
def test_text_format_shows_labels_percent_counts_and_interval(locale, label, pct):
    text = builtin_formats()["text"].render(_report(locale, min_cell=0))
    line = next(row for row in text.splitlines() if row.startswith(label + " "))
    assert pct in line and "7/13" in line and "[" in line
    assert "<" not in text


def test_text_marks_small_and_masked_cells():
    text = builtin_formats()["text"].render(_report("en"))
    rows = text.splitlines()
    employment = next(row for row in rows if row.startswith("Access to employment "))
    assert "suppressed" in employment and "<3/13" in employment
    # remobilisation − training would give employment back: remobilisation (9) and
    # no outcome (4) are withheld, as training alone would leave employment in [0, 2]
    remobilisation = next(row for row in rows if row.startswith("Remobilisation "))
    assert "suppressed" in remobilisation and "s/13" in remobilisation


def test_markdown_format_has_tables():
    md = builtin_formats()["markdown"].render(_report("en", min_cell=0))
    assert md.startswith("# ")
    assert "| Training | 53.8% | 7/13 |" in md


def test_csv_format_round_trips_the_figures():
    report = _report("en", min_cell=0)
    plain = CsvFormat(dialect="plain")
    rows = list(csv.DictReader(io.StringIO(plain.render(report))))
    training = next(r for r in rows if r["indicator"] == "training_rate" and not r["breakdown"])
    assert (training["numerator"], training["denominator"]) == ("7", "13")
    assert float(training["value"]) == report.to_json_dict()["indicators"]["training_rate"]["value"]
    female = next(
        r
        for r in rows
        if r["breakdown"] == "gender"
        and r["group"] == "F"
        and r["indicator"] == "population.selected"
    )
    assert female["count"] == "7"


def test_builtin_plugins_register_sets_and_formats():
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(indicator_sets)
    pm.register(report_formats)
    sets: list = []
    formats: list = []
    pm.hook.register_indicator_sets(register=sets.append)
    pm.hook.register_report_formats(register=formats.append)
    assert [s.name for s in sets] == ["key_figures", "esf_plus", "dynamic_exits", "followup"]
    assert [f.name for f in formats] == ["json", "text", "markdown", "csv", "html", "xlsx"]
    registry = {s.name: s for s in sets}
    report = compute_report(
        programme(),
        [journey(exit="2024-01-02")],
        day("2025-01-01"),
        indicator_sets=registry,
        sets=["followup"],
        generated_at=AT,
    )
    assert list(report.indicators) == ["checkin_completion_rate", "checkin_reached_rate"]
    for s in sets:
        for ind in s.indicators(programme()):
            assert ind.definition.text_fr and ind.definition.text_en, ind.id


@pytest.mark.parametrize(
    ("locale", "banner"),
    [("en", "internal — not for publication"), ("fr", "interne — ne pas diffuser")],
)
@pytest.mark.parametrize("format_name", ["text", "markdown"])
def test_an_internal_report_says_so_in_the_programmes_language(locale, banner, format_name):
    page = builtin_formats()[format_name].render(_report(locale, min_cell=0))
    assert banner in page
    assert page.index(banner) < page.index("Population")


def test_the_key_of_the_marks_comes_before_the_first_table_that_uses_them():
    text = builtin_formats()["text"].render(_report("en"))
    key = text.index("<3: small cell (1 to 2)")
    assert key < text.index("Population") < text.index("<3/13")
    assert "internal" not in text


def test_a_merged_category_is_said_in_words():
    prog = attrs.evolve(programme(min_cell=3), locale="fr")
    js = [journey(f"F{i}", exit="2024-01-02", gender="F") for i in range(6)]
    js += [journey("X0", exit="2024-01-02", gender="X")]
    report = compute_report(
        prog, js, day("2025-06-30"), sets=["esf_plus"], generated_at=AT, audience="public"
    )
    text = builtin_formats()["text"].render(report)
    assert "X compté avec inconnu (genre), effectif trop petit" in text
    assert "F / M / inconnu" in text


def test_every_csv_row_says_whom_the_figures_are_for():
    internal = builtin_formats()["csv"].render(_report("fr", min_cell=0))
    rows = list(csv.reader(io.StringIO(internal.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][-1] == "diffusion"
    assert {row[-1] for row in rows[1:]} == {"interne — ne pas diffuser"}
    public = builtin_formats()["csv"].render(_report("en"))
    rows = list(csv.reader(io.StringIO(public.lstrip("\ufeff"))))
    assert {row[-1] for row in rows[1:]} == {"public (disclosure control, k = 3)"}


@pytest.mark.parametrize("format_name", ["text", "markdown"])
def test_the_title_names_the_programme_without_its_internal_id(format_name):
    first = builtin_formats()[format_name].render(_report("en")).splitlines()[0]
    assert "Test" in first and "(test)" not in first
