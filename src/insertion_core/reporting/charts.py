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

__all__ = ["OKABE_ITO", "Bar", "Segment", "interval_chart", "stacked_chart"]

#: Okabe & Ito (2008), without the black kept for text and targets.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")

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
            colour = colour_of.setdefault(segment.label, OKABE_ITO[len(colour_of) % len(OKABE_ITO)])
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
