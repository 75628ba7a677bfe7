"""Exports for people outside the site: the pseudonymised participant-level export.

``insertion export --pseudonymised`` (docs/cli.md) and :func:`write_export`;
the key is read by :func:`load_pseudonym_key` and never stored.
"""

from .key import KEY_ENV, MIN_KEY_BYTES, PseudonymKey, load_pseudonym_key
from .pseudonymised import EXPORT_COLUMNS, ExportSummary, export_row, metadata_line, write_export

__all__ = [
    "EXPORT_COLUMNS",
    "KEY_ENV",
    "MIN_KEY_BYTES",
    "ExportSummary",
    "PseudonymKey",
    "export_row",
    "load_pseudonym_key",
    "metadata_line",
    "write_export",
]
