"""The national-scale section of docs/performance.md: its tables, its targets, its saved sizes.

The tables and verdicts are checked from given figures (no timing); one run
of the harness at 100 participants checks that a measured size is saved and
shown beside a size saved before, which ``--resume`` does not measure again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import reference_check  # benchmarks/ is not a package: on the path just above
import run as bench
import scale_results
import scale_table
from scale_data import Counts
from scale_results import Reference, Result
from scale_targets import STEPS, Step, judge

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def steps(**seconds: float) -> dict[str, Step]:
    """Every step at 1 s and 100 MiB, but for those given (``key_figures`` for its report)."""
    names = {"key_figures": "report --set key_figures", "by": "report --by gender"}
    found = {name: Step(1.0, 100.0) for name in ("plain load", "plain query", *STEPS)}
    for name, value in seconds.items():
        found[names.get(name, name.rstrip("_").replace("_", " "))] = Step(value, 100.0)
    return found


def result(size: int, backend: str = "SQLite", **seconds: float) -> Result:
    counts = Counts(size, size - 1, 2 * size, 3)
    return Result(backend, size, counts, steps(**seconds), "2026-11-30", 2.5)


def test_a_target_met_and_one_not_met_each_say_so_with_the_figure() -> None:
    figures = steps(**{"plain load": 10.0, "import": 14.0})
    figures["import"] = Step(14.0, 350.0)
    assert judge("import", figures) == (
        "≤ 1.5× plain load; RSS < 300 MB",
        "met (1.40×); not met (350 MiB)",
    )
    assert judge("followups due", steps(followups_due=0.4)) == ("< 1 s", "met (0.40 s)")
    assert judge("followups at-risk", steps(**{"followups at-risk": 2.5})) == (
        "< 1 s",
        "not met (2.50 s)",
    )


def test_limits_are_read_as_the_issue_writes_them() -> None:
    # ≤ keeps its bound, < does not; 300 MB is 286.1 MiB
    assert judge("import", steps(**{"plain load": 2.0, "import": 3.0}))[1].startswith("met")
    assert judge("followups due", steps(followups_due=1.0))[1] == "not met (1.00 s)"
    heavy = steps()
    heavy["import"] = Step(1.0, 290.0)
    assert judge("import", heavy)[1] == "met (1.00×); not met (290 MiB)"


def test_key_figures_are_judged_against_the_milestone_and_the_target() -> None:
    target, verdict = judge("report --set key_figures", steps(plain_query=10.0, key_figures=3.0))
    assert target == "≤ 0.5× plain query (milestone); ≤ 0.1× plain query"
    assert verdict == "met (0.30×); not met (0.30×)"


def test_a_breakdown_is_judged_against_the_report_without_it() -> None:
    figures = steps(**{"report (all sets)": 2.0, "by": 5.0})
    assert judge("report --by gender", figures) == (
        "≤ 2× the report without `--by`",
        "not met (2.50×)",
    )


def test_steps_without_a_target_or_not_measured_show_a_dash() -> None:
    assert judge("report (all sets)", steps()) == ("—", "—")
    assert judge("plain load", steps()) == ("—", "—")
    older = steps()
    del older["followups at-risk"]
    assert judge("followups at-risk", older) == ("< 1 s", "—")


def test_the_table_has_a_row_per_step_and_a_cell_per_column() -> None:
    lines = scale_table.table([result(100, import_=1.0), result(100, "PostgreSQL")])
    header, rule, *rows = lines
    width = header.count("|")
    assert header.split("|")[-3:-1] == [" target ", " verdict "]
    assert rule.count("|") == width
    assert all(row.count("|") == width for row in rows)
    assert len(rows) == 2 * 8  # the plain load and query, then insertion-core's six steps
    assert rows[0].startswith(
        "| SQLite | 100 | 99 | 200 | plain load | 1.00 s | — | 100 MiB | 1 | 1 |"
    )
    assert rows[8].startswith("| PostgreSQL | 100 |")
    assert rows[1].startswith("| | | | | plain query |")
    assert "| 10.0000 |" in rows[2]  # 1 s for 100 participants


def test_the_linearity_line_gives_the_cost_per_participant_and_its_growth() -> None:
    results = [result(100, import_=1.0), result(1_000, import_=10.0), result(10_000, import_=200.0)]
    lines = scale_table.growth(results)
    assert lines[0] == (
        "| backend | step | 100 | 1,000 | 10,000 | growth 100 → 1,000 | growth 1,000 → 10,000 |"
    )
    assert "| SQLite | import | 10.0000 | 10.0000 | 20.0000 | 1.00 | 2.00 |" in lines
    assert all(line.count("|") == lines[0].count("|") for line in lines)


def test_a_size_missing_on_one_backend_leaves_its_cells_empty() -> None:
    lines = scale_table.growth([result(100), result(1_000), result(100, "PostgreSQL")])
    assert "| PostgreSQL | import | 10.0000 |  |  |" in lines


def test_the_reference_check_outcome_is_written_either_way() -> None:
    assert "not checked" in scale_table.reference_lines([result(100)])[0]
    equal = result(100)._replace(reference=Reference(True, 12.0, 80.0))
    assert ": equal (12 s and 80 MiB" in scale_table.reference_lines([equal])[0]
    different = result(100)._replace(reference=Reference(False, 12.0, 80.0, ("indicators",)))
    assert "**different** (indicators)" in scale_table.reference_lines([different])[0]
    found = {"indicators": {"a": 1}, "population": 3}
    assert reference_check.differences(found, {"indicators": {"a": 2}, "population": 3}) == [
        "indicators"
    ]


def test_saved_sizes_load_back_and_a_new_one_replaces_its_backend_and_size(
    tmp_path: Path,
) -> None:
    path = tmp_path / "results.json"
    assert scale_results.load(path) == []
    checked = result(1_000)._replace(reference=Reference(False, 1.0, 2.0, ("population",)))
    saved = scale_results.merge([result(100, "PostgreSQL")], checked)
    saved = scale_results.merge(saved, result(100))
    scale_results.save(path, saved)
    assert scale_results.load(path) == saved
    assert [r.key for r in saved] == [("SQLite", 100), ("PostgreSQL", 100), ("SQLite", 1_000)]
    again = scale_results.merge(saved, result(100, import_=5.0))
    assert len(again) == 3
    assert again[0].steps["import"].seconds == 5.0


def test_a_run_saves_its_size_and_keeps_one_saved_before(tmp_path: Path) -> None:
    """At 100 participants on SQLite, with 1,000 saved before and ``--resume``: 1,000 is kept."""
    results = tmp_path / "results.json"
    page = tmp_path / "performance.md"
    page.write_text("# Performance\n\n## Machine\n\n- CPUs: 2\n", encoding="utf-8")
    scale_results.save(results, [result(1_000, import_=30.0)])
    arguments = ["--only", "scale", "--backends", "sqlite", "--sizes", "100,1000", "--resume"]
    arguments += ["--reference-at", "100", "--output", str(page), "--results", str(results)]
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1,000: already measured on SQLite" in done.stdout
    saved = json.loads(results.read_text())
    assert [(r["size"], r["steps"]["import"]["seconds"] == 30.0) for r in saved] == [
        (100, False),
        (1_000, True),
    ]
    text = page.read_text()
    assert text.index("## National scale") < text.index("## Machine")
    assert "| SQLite | 100 | " in text and "| SQLite | 1,000 | " in text
    assert "| backend | step | 100 | 1,000 | growth 100 → 1,000 |" in text
    assert "At 100 participants on SQLite, insertion-core's report" in text
    assert ": equal (" in text


def test_a_new_page_keeps_the_national_scale_section_and_its_notes() -> None:
    previous = (
        "# Performance\n\nold storage table\n\n## Start-up time\n\nstart\n\n"
        f"{scale_table.HEADING}\n\nscale table\n\n{bench.NOTES_HEADING}\n\nwhy\n\n"
        "## Machine\n\n- CPUs: 2\n"
    )
    fresh = "# Performance\n\nnew storage table\n\n## Machine\n\n- CPUs: 2\n"
    page = bench.carry_over(fresh, previous)
    assert "new storage table" in page and "old storage table" not in page
    order = [page.index(text) for text in ("new storage", "scale table", "why", "## Machine")]
    assert order == sorted(order)
    assert bench.carry_over(fresh, "") == fresh


def test_a_steps_cpu_time_is_shown_beside_its_wall_time() -> None:
    measured = result(100)
    measured.steps["import"] = Step(2.0, 50.0, 1.25)
    assert "| import | 2.00 s | 1.25 s | 50 MiB |" in "\n".join(scale_table.table([measured]))
