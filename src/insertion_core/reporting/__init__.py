"""Report formats: how a :class:`~insertion_core.outcomes.Report` is written out."""

from __future__ import annotations

from ..safety import csv_document, json_document, markdown_text, terminal_text
from .formats import (
    BUILTIN_FORMATS,
    CsvFormat,
    JsonFormat,
    MarkdownFormat,
    ReportFormat,
    TextFormat,
    builtin_formats,
)
from .html import HtmlFormat
from .xlsx_format import XlsxFormat

__all__ = [
    "BUILTIN_FORMATS",
    "CsvFormat",
    "HtmlFormat",
    "JsonFormat",
    "MarkdownFormat",
    "ReportFormat",
    "TextFormat",
    "XlsxFormat",
    "builtin_formats",
    "csv_document",
    "json_document",
    "markdown_text",
    "terminal_text",
]
