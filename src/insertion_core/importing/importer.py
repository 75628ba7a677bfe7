"""The import service: canonical files into a programme, all or nothing.

Files are read and parsed first, as streams, outside any transaction, their
good rows staged on disk (:mod:`.staging`). Then one unit of work takes the
participants a batch at a time (:mod:`.batches`): it reads their stored
journeys, applies the lifecycle rules to every row, and writes the batch
while no problem has been found. Any problem, in any batch, refuses the
import and rolls the transaction back, so nothing is written. A directory
imported in one call is one transaction too. Events reach the ``on_event``
plugins after the commit.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from pathlib import Path

from ..clock import today_in
from ..errors import DataError, InsertionError, Problem
from ..workspace import Workspace
from .batches import BATCH_SIZE, EVENT_CHUNK, apply_in_batches
from .gc_pause import rare_collections
from .parsing import ParseContext, parse_file
from .records import Progress
from .schema import KINDS, Kind
from .sources import Sheet, Source
from .staging import Staging
from .summary import ImportSummary, audit_counts
from .workbook_kinds import workbook_sheets

__all__ = [
    "MAX_PROBLEMS",
    "RemovalNotConfirmedError",
    "find_files",
    "import_directory",
    "import_file",
    "import_files",
]

#: Problems listed before the rest are only counted ('... and N more problems').
MAX_PROBLEMS = 100

_SUFFIXES = (".csv", ".xlsx")


class RemovalNotConfirmedError(InsertionError):
    """A ``replace`` import would remove stored contacts and was not told to; nothing was written."""

    def __init__(self, removed: int) -> None:
        self.removed = removed
        super().__init__(
            f"replacing would remove {removed} follow-up contact(s) not in the file; "
            "nothing was written (confirm_removal=True removes them)"
        )


def find_files(
    directory: str | Path, sheets: Mapping[str, str] | None = None
) -> dict[Kind, Source]:
    """The canonical files in ``directory`` (``participants.csv``, ``exits.xlsx``...), by kind.

    Any other ``.xlsx`` workbook is read sheet by sheet, each sheet matched by its
    name (see :mod:`.workbook_kinds`; ``sheets`` is the programme's ``[import.sheets]``).
    Other files are left alone. Names are matched in any letter case.

    :raises DataError: not a directory, no canonical file, or one kind given twice.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise DataError([Problem(str(folder), None, None, "not a directory")])
    found: dict[Kind, list[Source]] = {}
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        stem, suffix = path.stem.lower(), path.suffix.lower()
        if suffix not in _SUFFIXES:
            continue
        named = [kind for kind in KINDS if stem == kind]
        for kind in named:  # a named pipe or directory so named is refused when read
            found.setdefault(kind, []).append(path)
        if not named and suffix == ".xlsx" and path.is_file() and not path.name.startswith("~$"):
            in_book, wrong = workbook_sheets(path, sheets or {})
            problems.extend(wrong)
            for kind, sheet in in_book:
                found.setdefault(kind, []).append(sheet)
    problems.extend(
        Problem(
            str(folder),
            None,
            None,
            f"{kind} is given twice: {' and '.join(_shown(p) for p in places)}",
        )
        for kind, places in found.items()
        if len(places) > 1
    )
    if not found:
        names = ", ".join(f"{kind}.csv" for kind in KINDS)
        problems.append(
            Problem(
                str(folder),
                None,
                None,
                f"no canonical file here (expected some of {names}, or .xlsx)",
            )
        )
    if problems:
        raise DataError(problems)
    return {kind: found[kind][0] for kind in KINDS if kind in found}


def _shown(source: Source) -> str:
    """A file by its name, a sheet as ``book.xlsx[Sorties]``."""
    return f"{source.path.name}[{source.name}]" if isinstance(source, Sheet) else source.name


def import_directory(
    workspace: Workspace,
    programme_id: str,
    directory: str | Path,
    *,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    replace: bool = False,
    confirm_removal: bool = False,
    batch_size: int = BATCH_SIZE,
) -> ImportSummary:
    """Import the canonical files found in ``directory``, in one transaction.

    Files are applied in the order participants, cohorts, phases, exits, followups,
    attendance; ``replace``, ``confirm_removal`` and ``batch_size`` are as in
    :func:`import_files`.
    """
    sheets = dict(workspace.programme(programme_id).import_.sheets)
    return import_files(
        workspace,
        programme_id,
        find_files(directory, sheets),
        dry_run=dry_run,
        today=today,
        progress=progress,
        replace=replace,
        confirm_removal=confirm_removal,
        batch_size=batch_size,
    )


def import_file(
    workspace: Workspace,
    programme_id: str,
    kind: Kind,
    path: str | Path,
    *,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    replace: bool = False,
    confirm_removal: bool = False,
    sheet: str | None = None,
) -> ImportSummary:
    """Import one file of ``kind`` (participants, cohorts, phases, exits, followups or attendance).

    ``replace`` and ``confirm_removal`` are as in :func:`import_files`.
    :param sheet: the sheet to read, in an ``.xlsx`` workbook (needed when it has several).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of file {kind!r}, expected one of: {', '.join(KINDS)}")
    source: Source = Path(path) if sheet is None else Sheet(Path(path), sheet)
    return import_files(
        workspace,
        programme_id,
        {kind: source},
        dry_run=dry_run,
        today=today,
        progress=progress,
        replace=replace,
        confirm_removal=confirm_removal,
    )


def import_files(
    workspace: Workspace,
    programme_id: str,
    files: Mapping[Kind, Source],
    *,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
    replace: bool = False,
    confirm_removal: bool = False,
    batch_size: int = BATCH_SIZE,
) -> ImportSummary:
    """Import files by kind, all or nothing, in one transaction.

    :param dry_run: check everything, write nothing; the summary says what would change.
    :param today: the day of import (later dates are refused, but for an entry date, which
        makes the participant planned); the programme's today by default.
    :param progress: wraps each file's rows as they are read, e.g. with a progress bar.
    :param replace: a followups file is authoritative for each participant it names: their
        stored contacts not in it are removed. Without it contacts are only added and updated.
    :param confirm_removal: allow ``replace`` to remove contacts; a dry run needs no confirmation.
    :param batch_size: participants checked and written at a time (see :mod:`.batches`);
        the result does not depend on it, only the memory and time it takes.
    :raises DataError: listing every problem (up to :data:`MAX_PROBLEMS`); nothing is written.
    :raises RemovalNotConfirmedError: ``replace`` would remove contacts, ``confirm_removal``
        is False, and this is not a dry run; nothing is written.
    :raises NotFoundError: no such programme.
    """
    programme = workspace.programme(programme_id)
    context = ParseContext(
        today=today if today is not None else today_in(programme.timezone),
        families=workspace.families_for(programme),
        ignore_columns=programme.import_.ignore_columns,
        columns=dict(programme.import_.columns),
        progress=progress,
    )
    with rare_collections(), Staging() as staging:
        parsed = [
            parse_file(kind, files[kind], str(files[kind]), context, staging, index)
            for index, kind in enumerate(kind for kind in KINDS if kind in files)
        ]
        more = sum(p.more for p in parsed)
        if not all(p.complete for p in parsed):
            _refuse([problem for p in parsed for problem in p.problems], more)
        rules = workspace.hooks.eligibility_rules()
        apply = functools.partial(
            apply_in_batches,
            programme=programme,
            rules=rules,
            files=parsed,
            staging=staging,
            replace=replace,
            confirm_removal=confirm_removal,
            batch_size=batch_size,
        )
        if dry_run:
            with workspace.storage.unit_of_work(read_only=True) as uow:
                applied = apply(uow, write=False)
                _refuse(applied.all_problems(parsed), more + applied.more)
        else:
            with workspace.batch() as batch:
                # Nothing is written when parsing found a problem: the batches are only checked.
                applied = apply(batch.uow, write=not any(p.problems for p in parsed))
                _refuse(applied.all_problems(parsed), more + applied.more)
                if applied.removed and not confirm_removal:
                    raise RemovalNotConfirmedError(applied.removed)
                batch.record("import", programme_id, counts=audit_counts(applied.counts))
            # Committed: the events kept in staging reach the plugins now.
            for events in staging.events(EVENT_CHUNK):
                workspace.emit(events)
    warnings = tuple(text for _, text in applied.warnings)
    return ImportSummary(applied.counts, warnings, dry_run)


def _refuse(problems: list[Problem], more: int = 0) -> None:
    """Raise :class:`DataError` when there is any problem; a transaction then rolls back.

    ``more`` counts problems that were found but not kept.
    """
    if problems:
        truncated = max(len(problems) - MAX_PROBLEMS, 0) + more
        raise DataError(problems[:MAX_PROBLEMS], truncated=truncated)
