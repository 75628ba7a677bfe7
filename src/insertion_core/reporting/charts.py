"""Inline SVG charts of the html report: no script, no font or file fetched.

Colours are the Okabe–Ito palette, which readers with any common colour vision
deficiency tell apart; every chart carries a ``<title>`` and ``<desc>`` (its
text alternative) and grows one row per bar, so 2 groups and 25 read alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import attrs

from ..safety import terminal_text
from .cells import percent

__all__ = [
    "OKABE_ITO",
    "Bar",
    "Point",
    "Segment",
    "Series",
    "interval_chart",
    "stacked_chart",
    "step_chart",
    "trend_chart",
]

#: Okabe & Ito (2008), without the black kept for text and targets.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")

#: The stacked chart's colours: the palette, then its grey and black, so that the
#: eight or nine parts of the pathway chart each have their own.
_STACKED = (*OKABE_ITO, "#999999", "#000000")

_ROW = 24
_LABEL = 250
_PLOT = 300
_WIDTH = _LABEL + _PLOT + 60
_FONT = 'font-family="system-ui, DejaVu Sans, sans-serif" font-size="13"'


@attrs.frozen
class Bar:
    """A rate with its 95 % interval and, when set, its target (all in [0, 1])."""

    label: str
    value: float | None
    ci95: tuple[float, float] | None
    target: float | None


@attrs.frozen
class Segment:
    """A part of a stacked bar: its label, count (None when withheld) and shown text."""

    label: str
    count: int | None
    text: str


def _text(value: str) -> str:
    return escape(terminal_text(value))


def _short(label: str, room: int = 32) -> str:
    return label if len(label) <= room else label[: room - 1] + "…"


def _open(width: int, height: int, alt: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" '
        f'role="img" aria-label="{_text(alt)}" {_FONT}>',
        f"<title>{_text(alt)}</title>",
        f"<desc>{_text(alt)}</desc>",
    ]


def interval_chart(bars: Sequence[Bar], alt: str, locale: str) -> str:
    """One row per bar: the rate as a bar, its interval as a whisker, its target as a tick."""
    top = 20
    height = top + _ROW * len(bars) + 24

    def x(value: float) -> float:
        return round(_LABEL + _PLOT * min(max(value, 0.0), 1.0), 1)

    out = _open(_WIDTH, height, alt)
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(
            f'<line x1="{x(tick)}" y1="{top - 4}" x2="{x(tick)}" y2="{height - 20}" '
            'stroke="#ccc" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{x(tick)}" y="{height - 6}" text-anchor="middle" fill="#444">'
            f"{_text(percent(tick, locale).replace(',0', '').replace('.0', ''))}</text>"
        )
    for n, bar in enumerate(bars):
        y = top + n * _ROW
        out.append(
            f'<text x="{_LABEL - 8}" y="{y + 15}" text-anchor="end" fill="#1a1a1a">'
            f"{_text(_short(bar.label))}</text>"
        )
        if bar.value is None:
            continue
        colour = OKABE_ITO[0]
        out.append(
            f'<rect x="{_LABEL}" y="{y + 4}" width="{x(bar.value) - _LABEL}" height="{_ROW - 8}" '
            f'fill="{colour}" fill-opacity="0.75"/>'
        )
        if bar.ci95 is not None:
            low, high = x(bar.ci95[0]), x(bar.ci95[1])
            mid = y + _ROW / 2
            out.append(
                f'<path d="M{low} {mid}H{high}M{low} {mid - 5}V{mid + 5}M{high} {mid - 5}V{mid + 5}" '
                'stroke="#1a1a1a" stroke-width="1.5" fill="none"/>'
            )
        if bar.target is not None:
            t = x(bar.target)
            out.append(f'<path d="M{t} {y + 1}V{y + _ROW - 1}" stroke="#000" stroke-width="3"/>')
        out.append(
            f'<text x="{_LABEL + _PLOT + 6}" y="{y + 15}" fill="#1a1a1a">'
            f"{_text(percent(bar.value, locale))}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def stacked_chart(rows: Sequence[tuple[str, Sequence[Segment]]], alt: str) -> str:
    """One stacked bar per row, each split in proportion to its segments' counts.

    A withheld segment gets no width (its count is not known) but keeps its legend.
    """
    bar_height = 26
    legend_rows = sum(len(segments) for _, segments in rows)
    height = len(rows) * (bar_height + 24) + legend_rows * 18 + 10
    out = _open(_WIDTH, height, alt)
    y = 4
    colour_of: dict[str, str] = {}
    for title, segments in rows:
        out.append(
            f'<text x="0" y="{y + 12}" font-weight="600" fill="#1a1a1a">{_text(title)}</text>'
        )
        y += 18
        total = sum(s.count or 0 for s in segments)
        x = 0.0
        for segment in segments:
            colour = colour_of.setdefault(segment.label, _STACKED[len(colour_of) % len(_STACKED)])
            if segment.count and total:
                width = (_WIDTH - 10) * segment.count / total
                out.append(
                    f'<rect x="{round(x, 1)}" y="{y}" width="{round(width, 1)}" '
                    f'height="{bar_height}" fill="{colour}" stroke="#fff"/>'
                )
                x += width
        y += bar_height + 6
        for segment in segments:
            colour = colour_of[segment.label]
            out.append(f'<rect x="0" y="{y}" width="12" height="12" fill="{colour}"/>')
            out.append(
                f'<text x="18" y="{y + 10}" fill="#1a1a1a">{_text(_short(segment.label, 60))}: '
                f"{_text(segment.text)}</text>"
            )
            y += 18
    out.append("</svg>")
    return "".join(out)


@attrs.frozen
class Point:
    """A share on a horizontal position (a year's index, or a day), with its 95 % interval."""

    x: float
    value: float
    ci95: tuple[float, float] | None


@attrs.frozen
class Series:
    """One line of a chart: its label and its points in order."""

    label: str
    points: tuple[Point, ...]


_PLOT_LEFT = 44
_PLOT_TOP = 12
_PLOT_HEIGHT = 200
#: The step chart's plot starts further right: the rows of numbers at risk carry labels.
_STEP_LEFT = 160


def _y(value: float) -> float:
    return round(_PLOT_TOP + _PLOT_HEIGHT * (1 - min(max(value, 0.0), 1.0)), 1)


def _grid(out: list[str], right: int, locale: str, left: int = _PLOT_LEFT) -> None:
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(
            f'<line x1="{left}" y1="{_y(tick)}" x2="{right}" y2="{_y(tick)}" '
            'stroke="#ddd" stroke-width="1"/>'
        )
        shown = percent(tick, locale).replace(",0", "").replace(".0", "")
        out.append(
            f'<text x="{left - 4}" y="{_y(tick) + 4}" text-anchor="end" fill="#444">'
            f"{_text(shown)}</text>"
        )


def _legend(out: list[str], series: Sequence[Series], top: int) -> int:
    """One row per series under the plot, two columns; returns the height used."""
    for n, line in enumerate(series):
        x, y = (n % 2) * (_WIDTH // 2), top + (n // 2) * 18
        colour, dash = _style(n)
        out.append(
            f'<path d="M{x} {y + 6}h22" stroke="{colour}" stroke-width="3"{dash} fill="none"/>'
        )
        out.append(
            f'<text x="{x + 28}" y="{y + 10}" fill="#1a1a1a">{_text(_short(line.label, 40))}</text>'
        )
    return ((len(series) + 1) // 2) * 18


def _style(n: int) -> tuple[str, str]:
    """The n-th series' colour, dashed once the palette has been used (25 groups stay apart)."""
    colour = OKABE_ITO[n % len(OKABE_ITO)]
    dashes = (
        "",
        ' stroke-dasharray="6 3"',
        ' stroke-dasharray="2 2"',
        ' stroke-dasharray="9 3 2 3"',
    )
    return colour, dashes[(n // len(OKABE_ITO)) % len(dashes)]


def trend_chart(labels: Sequence[str], series: Sequence[Series], alt: str, locale: str) -> str:
    """One line per rate across the years (``x`` is the year's index), each point with its whisker.

    A single year is a column of dots; twelve years keep their labels by thinning them.
    """
    right = _WIDTH - 10
    step = (right - _PLOT_LEFT - 20) / max(len(labels) - 1, 1)

    def x(index: float) -> float:
        return round(_PLOT_LEFT + 10 + (step * index if len(labels) > 1 else step / 2), 1)

    legend_top = _PLOT_TOP + _PLOT_HEIGHT + 30
    height = legend_top + ((len(series) + 1) // 2) * 18 + 6
    out = _open(_WIDTH, height, alt)
    _grid(out, right, locale)
    every = max(1, -(-len(labels) // 8))
    for n, label in enumerate(labels):
        if n % every == 0 or n == len(labels) - 1:
            out.append(
                f'<text x="{x(n)}" y="{_PLOT_TOP + _PLOT_HEIGHT + 18}" text-anchor="middle" '
                f'fill="#444">{_text(label)}</text>'
            )
    shift = min(6.0, step / (len(series) + 1))
    for n, line in enumerate(series):
        colour, dash = _style(n)
        offset = (n - (len(series) - 1) / 2) * shift
        at = [(x(p.x) + offset, p) for p in line.points]
        if len(at) > 1:
            path = "".join(
                f"{'M' if i == 0 else 'L'}{round(px, 1)} {_y(p.value)}"
                for i, (px, p) in enumerate(at)
            )
            out.append(f'<path d="{path}" stroke="{colour}" stroke-width="2"{dash} fill="none"/>')
        for px, p in at:
            if p.ci95 is not None:
                out.append(
                    f'<path d="M{round(px, 1)} {_y(p.ci95[0])}V{_y(p.ci95[1])}" '
                    f'stroke="{colour}" stroke-width="1.5"/>'
                )
            out.append(
                f'<circle cx="{round(px, 1)}" cy="{_y(p.value)}" r="3.5" fill="{colour}" '
                'stroke="#fff" stroke-width="1"/>'
            )
    _legend(out, series, legend_top)
    out.append("</svg>")
    return "".join(out)


def step_chart(
    series: Sequence[Series],
    last_day: int,
    at_risk: tuple[str, Sequence[Sequence[str]]],
    days: Sequence[int],
    alt: str,
    locale: str,
) -> str:
    """The share by day as a step line per series with its interval as a band.

    Under the plot, ``at_risk`` gives its title then, per series (its colour and label,
    which are the legend), the numbers still followed on ``days``.
    """
    right, left = _WIDTH - 10, _STEP_LEFT
    span = max(last_day, 1)

    def x(day: float) -> float:
        return round(left + (right - left - 14) * min(day, span) / span, 1)

    axis = _PLOT_TOP + _PLOT_HEIGHT
    title, counts = at_risk
    table_top = axis + 40
    height = table_top + 18 * len(counts) + 10
    out = _open(_WIDTH, height, alt)
    _grid(out, right, locale, left)
    for day in days:
        out.append(
            f'<text x="{x(day)}" y="{axis + 16}" text-anchor="middle" fill="#444">{day}</text>'
        )
    band = 0.18 if len(series) < 4 else 0.0
    for n, line in enumerate(series):
        colour, dash = _style(n)
        points = [Point(0, 0.0, (0.0, 0.0)), *line.points]
        upper, lower, path = [], [], []
        for i, p in enumerate(points):
            end = points[i + 1].x if i + 1 < len(points) else max(p.x, span)
            path.append(
                f"M{x(p.x)} {_y(p.value)}H{x(end)}" if i == 0 else f"V{_y(p.value)}H{x(end)}"
            )
            if p.ci95 is not None:
                upper += [f"{x(p.x)},{_y(p.ci95[1])}", f"{x(end)},{_y(p.ci95[1])}"]
                lower += [f"{x(p.x)},{_y(p.ci95[0])}", f"{x(end)},{_y(p.ci95[0])}"]
        if band and upper:
            out.append(
                f'<polygon points="{" ".join(upper + lower[::-1])}" fill="{colour}" '
                f'fill-opacity="{band}" stroke="none"/>'
            )
        out.append(
            f'<path class="step" d="{"".join(path)}" stroke="{colour}" stroke-width="2"{dash} '
            'fill="none"/>'
        )
    out.append(
        f'<text x="0" y="{table_top - 6}" font-weight="600" fill="#1a1a1a">{_text(title)}</text>'
    )
    for n, row in enumerate(counts):
        y = table_top + 18 * n + 8
        colour, dash = _style(n)
        out.append(f'<path d="M0 {y - 4}h22" stroke="{colour}" stroke-width="3"{dash}/>')
        label = series[n].label if n < len(series) else ""
        out.append(f'<text x="28" y="{y}" fill="#1a1a1a">{_text(_short(label, 17))}</text>')
        for day, count in zip(days, row, strict=True):
            out.append(
                f'<text class="at-risk" x="{x(day)}" y="{y}" text-anchor="middle" '
                f'fill="#1a1a1a">{_text(count)}</text>'
            )
    out.append("</svg>")
    return "".join(out)
