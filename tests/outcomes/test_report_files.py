"""The files funders open: csv in the locale's dialect or plain, the xlsx workbook, the html page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import attrs
import pytest

from insertion_core.outcomes import compute_report
from insertion_core.outcomes.report import Report
from insertion_core.outcomes.sets import builtin_sets
from insertion_core.reporting import CsvFormat, HtmlFormat, XlsxFormat
from insertion_core.reporting.charts import Bar, interval_chart

from .builders import GENERATED_AT
from .sample_site import load_sample_site


def sample(locale: str = "fr", **options: object) -> Report:
    programme, journeys = load_sample_site()
    return compute_report(
        attrs.evolve(programme, locale=locale),
        journeys,
        dt.date(2026, 11, 25),
        basis="exit",
        start=dt.date(2021, 1, 1),
        end=dt.date(2026, 12, 31),
        **options,  # type: ignore[arg-type]
        generated_at=GENERATED_AT,
    )


def french_excel(text: str) -> list[dict[str, str]]:
    """The rows as French Excel reads the file: UTF-8 with its BOM, ``;`` between cells."""
    data = text.encode("utf-8").decode("utf-8-sig")
    assert data != text, "no byte order mark"
    return list(csv.DictReader(io.StringIO(data), delimiter=";"))


def decimal_comma(cell: str) -> float:
    assert re.fullmatch(r"\d+(,\d)?", cell), cell
    return float(cell.replace(",", "."))


# csv


def test_french_csv_opens_in_french_excel_with_rounded_numbers_and_statuses() -> None:
    report = sample(min_cell=0)
    rows = french_excel(CsvFormat().render(report))
    remobilisation = next(r for r in rows if r["code"] == "remobilisation_rate" and not r["groupe"])
    assert remobilisation["indicateur"] == "Remobilisation"
    rate = report.indicators["remobilisation_rate"]
    assert decimal_comma(remobilisation["taux (%)"]) == round(100 * rate.value, 1)  # type: ignore[union-attr]
    assert decimal_comma(remobilisation["IC 95 % bas (%)"]) < decimal_comma(
        remobilisation["taux (%)"]
    )
    assert (remobilisation["numérateur"], remobilisation["dénominateur"]) == ("111", "136")
    assert remobilisation["statut numérateur"] == "affiché"
    assert remobilisation["statut taux"] == "affiché"
    assert all(r["statut effectif"] for r in rows if r["effectif"])


def test_french_csv_marks_small_and_withheld_counts() -> None:
    rows = french_excel(CsvFormat().render(sample(min_cell=11, audience="public")))
    statuses = {r["statut numérateur"] for r in rows} | {r["statut effectif"] for r in rows}
    assert {"petit effectif", "masqué (secret)"} <= statuses
    hidden = [r for r in rows if r["statut numérateur"] == "petit effectif"]
    assert all(r["numérateur"] == "" for r in hidden)


def test_english_csv_uses_commas_and_a_decimal_point() -> None:
    text = CsvFormat().render(sample("en", min_cell=0))
    assert text.startswith("\ufeffbreakdown,group,indicator,code,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    row = next(r for r in rows if r["code"] == "remobilisation_rate")
    assert re.fullmatch(r"\d+\.\d", row["rate (%)"])


def test_plain_csv_is_rfc_4180_at_full_precision_with_statuses() -> None:
    report = sample(min_cell=0)
    text = CsvFormat(dialect="plain").render(report)
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["indicator"] == "remobilisation_rate" and not r["group"])
    assert float(row["value"]) == report.indicators["remobilisation_rate"].value  # type: ignore[union-attr]
    assert (row["numerator_status"], row["denominator_status"]) == ("shown", "shown")


# xlsx


def test_xlsx_has_provenance_first_then_sets_breakdowns_and_definitions() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    report = sample(min_cell=0, by=["gender"])
    book = openpyxl.load_workbook(io.BytesIO(XlsxFormat().render(report)))
    assert book.sheetnames[0] == "Rapport"
    assert book.sheetnames[-1] == "Définitions"
    assert "Chiffres clés" in book.sheetnames and "Répartition par genre" in book.sheetnames
    about = [
        [c for c in row if c is not None] for row in book["Rapport"].iter_rows(values_only=True)
    ]
    flat = [c for row in about for c in row]
    assert "Interne — ne pas diffuser" in flat
    assert report.provenance.definitions_fingerprint in flat
    assert dt.datetime(2026, 11, 25) in flat  # a date cell, shown dd/mm/yyyy
    sheet = book["Chiffres clés"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "remobilisation_rate")
    rate = row[header.index("%")]
    assert isinstance(rate.value, float) and rate.number_format == "0.0%"
    assert row[header.index("numérateur")].value == 111
    assert row[header.index("statut")].value == "affiché"
    definitions = list(book["Définitions"].iter_rows(min_row=2, values_only=True))
    assert len(definitions) == len(report.definitions) and all(r[2] for r in definitions)


def test_xlsx_shows_the_mark_beside_an_empty_cell_and_never_a_formula() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    report = sample(min_cell=11, audience="public")
    report = attrs.evolve(report, programme_name="=HYPERLINK(1)")
    book = openpyxl.load_workbook(io.BytesIO(XlsxFormat().render(report)))
    title = book["Rapport"]["A1"]
    assert (title.value, title.data_type) == ("Rapport de résultats — =HYPERLINK(1)", "s")
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)
    sheet = book["Chiffres clés"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "no_outcome_rate")
    assert row[header.index("statut")] == "petit effectif"
    assert row[header.index("numérateur")] is None
    assert row[header.index("repère")].startswith("<11/")
    tallies = book["Indicateurs communs FSE+"]
    marks = [c.value for r in tallies.iter_rows() for c in r if c.value in ("s", "<11")]
    assert "s" in marks


# html


def test_html_says_internal_on_every_page_and_has_a_viewport() -> None:
    page = HtmlFormat().render(sample(min_cell=0))
    assert '<p class="audience internal">Interne — ne pas diffuser</p>' in page
    assert "@top-center { content: 'Interne — ne pas diffuser'" in page  # every printed page
    assert '<meta name="viewport"' in page and "size: A4" in page
    assert "(sample-site)" not in page.split("</h1>")[0]  # the title has no internal id
    assert "25 novembre 2026" in page


def test_html_marks_small_and_withheld_counts_with_the_key_before_them() -> None:
    page = HtmlFormat().render(sample(min_cell=11, audience="public"))
    assert "Interne" not in page and "protégés" in page
    small = re.search(r'<td>[^<]*<span class="mark small">&lt;11</span>', page)
    key = page.index("&lt;11</span> : effectif de 1 à 10 personnes")
    assert small is not None and key < small.start()
    assert '<span class="mark withheld">s</span>' in page


@pytest.mark.parametrize(
    ("cell", "marked"),
    [
        ("s", True),
        ("s/200", True),
        ("masqué (12/s)", True),
        ("<11/s", True),
        ("s.o. (0/0)", False),
        ("suppressed", False),
        ("sorties", False),
    ],
)
def test_only_a_withheld_count_is_marked_s(cell: str, marked: bool) -> None:
    from insertion_core.reporting.html_blocks import cell_html

    assert ('<span class="mark withheld">s</span>' in cell_html(cell)) is marked


def test_html_tables_are_real_tables_and_percentages_never_break() -> None:
    page = HtmlFormat().render(sample(min_cell=0, by=["gender"]))
    assert page.count("<caption>") == page.count("<table>")
    assert '<th scope="col">' in page and '<th scope="row">' in page
    assert not re.search(r"\d %", page)  # always a non-breaking space before %
    assert "white-space: nowrap" in page and "break-after: avoid" in page


def test_html_charts_are_inline_svg_with_text_and_table() -> None:
    page = HtmlFormat().render(sample(min_cell=0, by=["gender"]))
    assert "<script" not in page and "<img" not in page and "<link" not in page
    assert re.findall(r"https?://[^\"']+", page) == ["http://www.w3.org/2000/svg"] * page.count(
        "<svg"
    )
    # key figures, pathway, time to outcome (all, by gender), the gender breakdown
    assert page.count("<svg") == 5
    assert page.count('role="img" aria-label="') == 5
    assert page.count('<div class="chart">') == 5
    assert "#0072B2" in page  # Okabe–Ito


def test_html_explains_the_employment_figures_and_the_completeness() -> None:
    report = sample(min_cell=0)
    page = HtmlFormat().render(report)
    assert "Quatre chiffres de l&#x27;emploi" in page
    assert "Complétude des champs facultatifs" in page
    assert set(report.completeness) == {
        "birth_date",
        "gender",
        "education_level",
        "qpv",
        "status_at_entry",
    }
    selected = report.population["selected"]
    assert all(0 <= known <= selected for known in report.completeness.values())  # type: ignore[operator]


def test_a_public_report_publishes_no_completeness() -> None:
    report = sample(min_cell=11, audience="public")
    assert report.completeness == {}
    assert "Complétude" not in HtmlFormat().render(report)


def test_wide_breakdowns_wrap_into_tables_of_six_groups() -> None:
    report = sample(min_cell=0, by=["cohort"])
    groups = len(report.breakdowns["cohort"])
    assert groups > 6
    page = HtmlFormat().render(report)
    section = page[page.index("Répartition par promotion") :]
    assert section.count("<table>") == 1 + -(-groups // 6)  # the chart's table, then the wraps
    for table in section.split("<table>")[2:]:
        header = table.split("</tr>")[0]
        assert header.count('scope="col"') <= 7


@pytest.mark.parametrize("count", [2, 25])
def test_the_interval_chart_grows_one_row_per_group(count: int) -> None:
    bars = [Bar(f"groupe {i}", i / (count + 1), (0.0, 1.0), None) for i in range(count)]
    svg = interval_chart(bars, "alt", "fr")
    height = int(re.search(r'height="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert height >= 24 * count  # never squeezed: each group keeps its row
    assert svg.count("<rect") == count  # one bar per group
    assert f">groupe {count - 1}</text>" in svg  # the last label is there, whole


def test_french_definitions_have_no_code_names() -> None:
    from .builders import programme

    for indicator_set in builtin_sets().values():
        for definition in indicator_set.indicators(programme()):
            text = definition.definition.text_fr + " " + definition.definition.label_fr
            assert not re.search(r"[a-z]+_[a-z]+|outcomes\.|\bqpv oui\b|famille [a-z]", text), text
