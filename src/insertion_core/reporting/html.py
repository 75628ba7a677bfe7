"""The built-in ``html`` report format: one self-contained page, definitions beside the figures.

No script, no external resource: the page can be mailed, archived or opened
offline, and prints cleanly. Every text is escaped.
"""

from __future__ import annotations

from html import escape

import attrs

from ..outcomes.report import Report
from .layout import Table, footer, heading, tables

__all__ = ["HtmlFormat"]

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #1a1a1a; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { padding: .3rem .6rem; border-bottom: 1px solid #ddd; }
th { text-align: left; background: #f4f4f4; } td + td, th + th { text-align: right; }
td { font-variant-numeric: tabular-nums; }
dl dt { font-weight: 600; margin-top: .6rem; } dl dd { margin-left: 1rem; }
footer { color: #555; font-size: .85rem; margin-top: 2rem; }
""".strip()

_DEFINITIONS = {"fr": "Définitions", "en": "Definitions"}


@attrs.frozen
class HtmlFormat:
    """A standalone HTML page: heading, tables, then how each figure was counted."""

    name: str = "html"

    def render(self, report: Report) -> str:
        """The whole page, in the report's language."""
        title, lines = heading(report)
        lang = "fr" if report.locale == "fr" else "en"
        out = [
            "<!DOCTYPE html>",
            f'<html lang="{lang}">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{escape(title)}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            f"<h1>{escape(title)}</h1>",
            "<ul>",
            *(f"<li>{escape(line)}</li>" for line in lines),
            "</ul>",
        ]
        for table in tables(report):
            out += [f"<h2>{escape(table.title)}</h2>", *self._table(table)]
        if report.definitions:
            out += [f"<h2>{_DEFINITIONS[lang]}</h2>", "<dl>"]
            for definition in report.definitions.values():
                out.append(f"<dt>{escape(definition.label(lang))}</dt>")
                out.append(f"<dd>{escape(definition.text(lang))}</dd>")
            out.append("</dl>")
        out += ["<footer>", *(f"<p>{escape(line)}</p>" for line in footer(report)), "</footer>"]
        out += ["</body>", "</html>"]
        return "\n".join(out) + "\n"

    @staticmethod
    def _table(table: Table) -> list[str]:
        header, *body = table.rows
        rows = [
            "<table>",
            "<thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in header) + "</tr></thead>",
            "<tbody>",
        ]
        rows += ["<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in body]
        rows += ["</tbody>", "</table>"]
        return rows
