"""Built-in plugin: the report formats json, text, markdown and csv."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..hookspecs import hookimpl


@hookimpl(trylast=True)
def register_report_formats(register: Callable[[Any], None]) -> None:
    """Register each built-in :class:`~insertion_core.reporting.ReportFormat`."""
    from ..reporting import BUILTIN_FORMATS

    for report_format in BUILTIN_FORMATS:
        register(report_format)
