"""Every error the library raises on purpose, under one root.

The command line maps these to messages and exit codes at its edge: an
:class:`InsertionError` is a problem with what the user gave (exit code 1),
never a bug, and its message is written for the person who must fix it.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AlreadyEnrolledError",
    "AlreadyExitedError",
    "AttendanceOutsideProgrammeError",
    "ConfigError",
    "ConflictError",
    "ContactBeforeExitError",
    "DataError",
    "ExitBeforeEntryError",
    "IdentifierError",
    "InsertionError",
    "LifecycleError",
    "NoNextPhaseError",
    "NotEligibleError",
    "NotFoundError",
    "PluginError",
    "Problem",
    "PseudonymKeyError",
    "StorageBusyError",
    "StorageError",
]


class InsertionError(Exception):
    """Root of the errors insertion-core raises on purpose."""


class ConfigError(InsertionError):
    """A programme file or a plugin's configuration is wrong."""


class PseudonymKeyError(ConfigError):
    """No usable secret key for pseudonyms: none given, too short, or a key file others may read."""


class PluginError(InsertionError):
    """A plugin could not be loaded, or two plugins claim the same name."""


class StorageError(InsertionError):
    """The storage could not be reached or used."""


class ConflictError(InsertionError):
    """A participant changed by someone else between this unit of work's read and its write."""

    def __init__(self, participant_id: str, changes: Sequence[str]) -> None:
        self.participant_id = participant_id
        self.changes = tuple(changes)
        super().__init__(
            f"participant {participant_id} was changed by someone else since you read it "
            f"({', '.join(self.changes)}); reload and try again"
        )


class StorageBusyError(StorageError):
    """The database was busy with other writers (locked, or a serialization failure); retry."""


class IdentifierError(InsertionError, ValueError):
    """An identifier that is empty, too long, or holds invisible or look-alike characters."""


class NotFoundError(InsertionError):
    """A programme, participant or other record that was asked for does not exist."""


class Problem:
    """One problem found in input data, located as ``file:line: column: message``."""

    __slots__ = ("column", "file", "line", "message")

    def __init__(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return (
            f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class DataError(InsertionError):
    """Input data was refused; ``problems`` lists every problem found (up to a limit)."""

    def __init__(self, problems: Sequence[Problem], truncated: int = 0) -> None:
        self.problems = tuple(problems)
        self.truncated = truncated
        lines = [str(p) for p in self.problems]
        if truncated:
            lines.append(f"... and {truncated} more problems")
        super().__init__("\n".join(lines))


class LifecycleError(InsertionError):
    """A change to a participant's journey that the programme's rules forbid."""


class NotEligibleError(LifecycleError):
    """The participant fails one or more of the programme's eligibility rules."""

    def __init__(self, participant_id: str, failures: Sequence[str]) -> None:
        self.participant_id = participant_id
        self.failures = tuple(failures)
        super().__init__(
            f"participant {participant_id} is not eligible: " + "; ".join(self.failures)
        )


class AlreadyEnrolledError(LifecycleError):
    """An enrolment of a participant the programme already has."""


class ExitBeforeEntryError(LifecycleError):
    """An exit dated before the participant entered the programme."""


class AlreadyExitedError(LifecycleError):
    """A second exit, or a change during the programme after the participant left."""


class ContactBeforeExitError(LifecycleError):
    """A follow-up contact dated before the exit, or for a participant who has not left."""


class NoNextPhaseError(LifecycleError):
    """A phase change that is not forward, or past the last phase."""


class AttendanceOutsideProgrammeError(LifecycleError):
    """An attendance record dated before entry or after exit."""
