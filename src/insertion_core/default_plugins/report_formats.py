"""Built-in plugin: the report formats json, text, markdown and csv."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..hookspecs import hookimpl

if TYPE_CHECKING:
    from ..reporting.formats import ReportFormat


@hookimpl(trylast=True)
def register_report_formats(register: Callable[[ReportFormat], None]) -> None:
    """Register each built-in :class:`~insertion_core.reporting.ReportFormat`."""
    from ..reporting import BUILTIN_FORMATS

    for report_format in BUILTIN_FORMATS:
        register(report_format)
