"""The importer: the canonical files (docs/data-formats.md, The spreadsheets) into a programme, all or nothing.

Reading takes what spreadsheets actually write (``,`` or ``;``, UTF-8 with or
without BOM or Windows-1252, ISO or D/M/YYYY dates, .xlsx); every cell is
checked, every problem is reported as ``file:line: column: problem``, and the
lifecycle rules apply to every row. Nothing is written unless everything is
right, and re-importing the same files changes nothing.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .importer import (
        MAX_PROBLEMS,
        RemovalNotConfirmedError,
        find_files,
        import_directory,
        import_file,
        import_files,
    )
    from .kinds import KINDS, Kind
    from .schema import COLUMNS
    from .summary import ImportSummary, KindCounts

__all__ = [
    "COLUMNS",
    "KINDS",
    "MAX_PROBLEMS",
    "ImportSummary",
    "Kind",
    "KindCounts",
    "RemovalNotConfirmedError",
    "find_files",
    "import_directory",
    "import_file",
    "import_files",
]

# The command line reads KINDS to build ``insertion import``'s options; the
# importer itself (and the service layer under it) loads when an import runs.
__getattr__ = lazy_exports(
    __name__,
    {
        ".importer": (
            "MAX_PROBLEMS",
            "RemovalNotConfirmedError",
            "find_files",
            "import_directory",
            "import_file",
            "import_files",
        ),
        ".kinds": ("KINDS", "Kind"),
        ".schema": ("COLUMNS",),
        ".summary": ("ImportSummary", "KindCounts"),
    },
)
