"""The html report format: a standalone page with the figures and their definitions."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from insertion_core.outcomes import compute_report
from insertion_core.reporting import HtmlFormat, builtin_formats

from .builders import GENERATED_AT
from .sample_site import load_sample_site


class Collector(HTMLParser):
    """Text of every element, and every tag name, to check the page's structure."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())


def render(**options: object) -> Collector:
    programme, journeys = load_sample_site()
    report = compute_report(
        programme,
        journeys,
        dt.date(2026, 11, 25),
        basis="exit",
        start=dt.date(2021, 1, 1),
        end=dt.date(2026, 12, 31),
        sets=["key_figures"],
        **options,  # type: ignore[arg-type]
        generated_at=GENERATED_AT,
    )
    page = HtmlFormat().render(report)
    assert page.startswith("<!DOCTYPE html>")
    collector = Collector()
    collector.feed(page)
    return collector


def test_the_page_has_the_figures_and_each_definition() -> None:
    page = render(min_cell=0)
    assert "Remobilisation" in page.text
    assert "81,6\u00a0%" in page.text and "111/136" in page.text  # the % never wraps alone
    assert page.tags.count("table") >= 2
    assert page.tags.count("dt") == 8  # one definition per key figure, under its table


def test_small_cells_are_shown_as_withheld() -> None:
    page = render(min_cell=11, audience="public")
    assert "<11" in page.text


def test_no_script_and_no_external_resource() -> None:
    page = render(min_cell=0)
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags


def test_html_is_a_builtin_format() -> None:
    assert isinstance(builtin_formats()["html"], HtmlFormat)


def test_text_is_escaped() -> None:
    programme, journeys = load_sample_site()
    import attrs

    report = compute_report(
        attrs.evolve(programme, name="<b>Site & co</b>"),
        journeys,
        dt.date(2026, 11, 25),
        sets=["key_figures"],
        min_cell=0,
        generated_at=GENERATED_AT,
    )
    page = HtmlFormat().render(report)
    assert "<b>Site" not in page and "&lt;b&gt;Site &amp; co&lt;/b&gt;" in page
