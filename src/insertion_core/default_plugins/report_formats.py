"""Built-in plugin: the report formats json, text, markdown and csv."""

from __future__ import annotations

from collections.abc import Callable

from ..hookspecs import hookimpl
from ..reporting import BUILTIN_FORMATS, ReportFormat


@hookimpl(trylast=True)
def register_report_formats(register: Callable[[ReportFormat], None]) -> None:
    """Register each built-in :class:`~insertion_core.reporting.ReportFormat`."""
    for report_format in BUILTIN_FORMATS:
        register(report_format)
