"""The html report's charts: trend per year, time to outcome, targets, pathway colours.

Each chart is inline SVG with a title and a desc (its text alternative), the table of
what it draws under it, the right number of series and points, and no script.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import attrs

from insertion_core.domain.targets import Target
from insertion_core.outcomes import compute_report
from insertion_core.outcomes.report import Report
from insertion_core.reporting import HtmlFormat, JsonFormat, MarkdownFormat, TextFormat
from insertion_core.reporting.charts import (
    OKABE_ITO,
    Bar,
    Point,
    Segment,
    Series,
    interval_chart,
    stacked_chart,
    step_chart,
    trend_chart,
)
from insertion_core.reporting.document import local_date

from .builders import GENERATED_AT
from .sample_site import load_sample_site


def sample(locale: str = "fr", targets: tuple[Target, ...] = (), **options: object) -> Report:
    programme, journeys = load_sample_site()
    return compute_report(
        attrs.evolve(programme, locale=locale, targets=targets),
        journeys,
        dt.date(2026, 11, 25),
        basis="exit",
        start=dt.date(2021, 1, 1),
        end=dt.date(2026, 12, 31),
        **options,  # type: ignore[arg-type]
        generated_at=GENERATED_AT,
    )


def chart_with(page: str, caption: str) -> tuple[str, str]:
    blocks = page.split('<div class="chart">')[1:]
    block = next(b for b in blocks if f"<figcaption>{caption}</figcaption>" in b)
    svg = block[block.index("<svg") : block.index("</svg>") + 6]
    return svg, block[block.index("</figure>") :]


def assert_accessible(svg: str) -> None:
    title = re.search(r"<title>(.+?)</title>", svg)
    desc = re.search(r"<desc>(.+?)</desc>", svg)
    assert title and desc and len(desc.group(1)) > 40
    assert 'role="img"' in svg and "aria-label=" in svg
    assert "<script" not in svg and "href" not in svg


def series_of(n: int, points: int) -> list[Series]:
    return [
        Series(f"rate {s}", tuple(Point(i, 0.1 + 0.03 * s, (0.05, 0.3)) for i in range(points)))
        for s in range(n)
    ]


# trend per year


def test_the_year_report_has_a_trend_chart_with_one_line_per_key_rate() -> None:
    report = sample(min_cell=0, by=["year"])
    page = HtmlFormat().render(report)
    assert "<script" not in page
    svg, after = chart_with(page, "Taux clés par année et leurs intervalles à 95\u00a0%")
    assert_accessible(svg)
    key = [i for i in report.sets["key_figures"] if i in report.trends]
    assert len(re.findall(r'<path d="M[^"]*L[^"]*" stroke="#', svg)) == len(key)
    dots = sum(1 for i in key for found in report.trends[i].values() if found.value is not None)
    assert svg.count("<circle") == dots
    table = after[: after.index("</table>")]
    assert "<caption>Chiffres du graphique</caption>" in table
    assert all(f'<th scope="row">{year}</th>' in table for year in ("2021", "2025"))
    assert "[" in table  # the interval under each value


def test_the_year_breakdown_is_named_in_the_report_language() -> None:
    page = HtmlFormat().render(sample(min_cell=0, by=["year"]))
    assert "<h2>Répartition par année</h2>" in page and "par year" not in page


def test_a_report_without_years_has_no_trend_chart() -> None:
    page = HtmlFormat().render(sample(min_cell=0))
    assert "Taux clés par année" not in page


def test_the_trend_chart_reads_at_one_year_and_at_twelve() -> None:
    one = trend_chart(["2026"], series_of(3, 1), "Three rates in one year, as dots.", "en")
    assert one.count("<circle") == 3
    assert len(re.findall(r'<path d="M[\d. ]+L', one)) == 0  # no line through a single year
    years = [str(2015 + n) for n in range(12)]
    twelve = trend_chart(years, series_of(5, 12), "Five rates over twelve years.", "fr")
    assert twelve.count("<circle") == 60
    assert len(re.findall(r'<path d="M[^"]*L', twelve)) == 5
    shown = re.findall(r'text-anchor="middle" fill="#444">(\d{4})</text>', twelve)
    assert "2015" in shown and "2026" in shown and len(shown) <= 8  # thinned, ends kept
    assert "25 %" in twelve  # French axis


def test_many_trend_series_stay_apart_by_colour_or_dash() -> None:
    svg = trend_chart(["2025", "2026"], series_of(9, 2), "Nine rates.", "en")
    styles = re.findall(r'<path d="M[^"]*L[^"]*" stroke="(#\w+)" stroke-width="2"([^/]*)/>', svg)
    assert len(styles) == 9 and len(set(styles)) == 9


# time to outcome


def test_the_time_to_outcome_chart_is_a_step_line_with_its_band_and_numbers_at_risk() -> None:
    report = sample(min_cell=0)
    page = HtmlFormat().render(report)
    svg, after = chart_with(
        page, "Part des sortants en situation positive selon le nombre de jours après la sortie"
    )
    assert_accessible(svg)
    assert svg.count('class="step"') == 1 and svg.count("<polygon") == 1
    estimate = report.time_to_outcome
    assert estimate is not None
    at_risk = re.findall(r'class="at-risk"[^>]*>(\d+)</text>', svg)
    assert at_risk == [str(estimate.whole.leavers)] + [
        str(estimate.whole.by_day[day].at_risk) for day in (30, 91, 182)
    ]
    table = after[: after.index("</table>")]
    assert "délai médian (jours)" in table and "part au jour 91" in table


def test_one_time_curve_per_group_under_by() -> None:
    report = sample(min_cell=0, by=["gender"])
    page = HtmlFormat().render(report)
    estimate = report.time_to_outcome
    assert estimate is not None
    groups = estimate.breakdowns["gender"]
    blocks = [b for b in page.split('<div class="chart">') if 'class="step"' in b]
    assert [b.count('class="step"') for b in blocks] == [1, len(groups)]
    by_group = blocks[1]
    assert len(re.findall(r'class="at-risk"', by_group)) == 4 * len(groups)
    table = by_group[: by_group.index("</table>")]
    assert table.count('<th scope="row">') == len(groups)


def test_the_public_report_has_no_time_chart() -> None:
    page = HtmlFormat().render(sample(min_cell=5, audience="public"))
    assert 'class="step"' not in page


def test_twenty_five_curves_keep_their_own_style_and_drop_the_bands() -> None:
    series = [
        Series(f"group {n}", (Point(10 + n, 0.2, (0.1, 0.3)), Point(90, 0.5, (0.4, 0.6))))
        for n in range(25)
    ]
    counts = [["40", "30", "20", "10"]] * 25
    svg = step_chart(series, 182, ("Still followed", counts), (0, 30, 91, 182), "25 curves.", "en")
    styles = re.findall(
        r'class="step" d="[^"]*" stroke="(#\w+)" stroke-width="2"( stroke-dasharray="[^"]*")?', svg
    )
    assert len(styles) == 25 and len(set(styles)) == 25
    assert "<polygon" not in svg  # 25 bands would hide each other
    assert svg.count('class="at-risk"') == 100


# targets and key figures


def test_the_key_figures_chart_has_a_tick_per_target_and_a_target_column() -> None:
    targets = (Target("remobilisation_rate", 0.85), Target("dropout_rate", 0.1, "at_most"))
    page = HtmlFormat().render(sample(min_cell=0, targets=targets))
    svg, after = chart_with(page, "Chiffres clés et leurs intervalles à 95\u00a0%")
    assert_accessible(svg)
    assert svg.count('stroke="#000" stroke-width="3"') == 2
    assert "le repère noir l&#x27;objectif" in svg or "le repère noir l'objectif" in svg
    table = after[: after.index("</table>")]
    assert (
        '<th scope="col">objectif</th>' in table
        and "≥ 85,0\u00a0%" in table
        and "≤ 10,0\u00a0%" in table
    )


def test_a_bar_without_target_has_no_tick() -> None:
    svg = interval_chart([Bar("rate", 0.5, (0.4, 0.6), None)], "One rate.", "en")
    assert 'stroke-width="3"' not in svg


# the lead's screenshot


def test_chart_tables_sit_under_their_chart_so_no_column_is_cut() -> None:
    page = HtmlFormat().render(sample(min_cell=0))
    style = page[page.index("<style>") : page.index("</style>")]
    assert ".chart { display: flex" not in style
    assert ".chart figure { margin: 0 0 .3rem; max-width: 42rem; }" in style


def test_pathway_parts_each_have_their_own_colour() -> None:
    parts = [Segment(f"part {n}", n + 1, str(n + 1)) for n in range(4)]
    classes = [Segment(f"class {n}", n + 1, str(n + 1)) for n in range(5)]
    svg = stacked_chart([("Selected", parts), ("Leavers", classes)], "Two stacked bars.")
    legend = re.findall(r'<rect x="0" y="[\d.]+" width="12" height="12" fill="(#\w+)"/>', svg)
    assert len(legend) == 9 and len(set(legend)) == 9
    assert set(legend) >= set(OKABE_ITO)


# dates in the locale's form


def test_text_and_markdown_write_dates_as_readers_do_json_stays_iso() -> None:
    french = sample(min_cell=0)
    text = TextFormat().render(french)
    assert "25 novembre 2026" in text and "1er janvier 2021 → 31 décembre 2026" in text
    assert "2026-11-25" not in text.split("\n\n")[0]
    english = sample("en", min_cell=0)
    markdown = MarkdownFormat().render(english)
    assert "25 November 2026" in markdown and "1 January 2021 → 31 December 2026" in markdown
    assert json.loads(JsonFormat().render(english))["as_of"] == "2026-11-25"


def test_local_date_in_both_languages() -> None:
    assert local_date(dt.date(2026, 3, 1), "fr") == "1er mars 2026"
    assert local_date(dt.date(2026, 11, 25), "en") == "25 November 2026"
