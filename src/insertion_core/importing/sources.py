"""Where an import reads one kind of rows: a file, or one sheet of a workbook."""

from __future__ import annotations

from pathlib import Path

import attrs

__all__ = ["Sheet", "Source"]


@attrs.frozen
class Sheet:
    """One named sheet of an ``.xlsx`` workbook; shown as ``book.xlsx[Sorties]`` in problems."""

    path: Path
    name: str

    def __str__(self) -> str:
        return f"{self.path}[{self.name}]"


#: A file (CSV, or a workbook of one sheet), or one sheet of a workbook.
Source = Path | Sheet
