"""Reading a TOML table key by key, naming the file, the key and what was expected on error.

The programme loader reads its tables with it; plugins may read theirs the same way.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar, cast

from ..errors import ConfigError
from .codes import EducationLevel, parse_code

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

#: The longest slug (programme, phase and indicator set ids) and the longest name or label.
SLUG_MAX = 64
TEXT_MAX = 200

T = TypeVar("T")


class TableReader:
    """Reads one TOML table, naming the file and the dotted key in every error.

    Given a ``problems`` list, the reader collects instead of raising at the
    first problem: a bad value is recorded and its default used, every unknown
    key is recorded, and a missing required key or table is recorded once (its
    value is then None), so that a file's every problem can be shown at once.
    Without one, the first problem raises :class:`ConfigError`.
    """

    def __init__(
        self,
        source: str,
        table: Mapping[str, Any],
        path: str,
        keys: Collection[str] | None = None,
        problems: list[ConfigError] | None = None,
        *,
        absent: bool = False,
    ) -> None:
        """``keys``: the table's keys, when known, so a misspelt one is named before anything else.

        ``absent``: the table is missing and that was reported, so its required keys are not.
        """
        self.source = source
        self.table = table
        self.path = path
        self.seen: set[str] = set()
        self.problems = problems
        self.absent = absent
        if keys is not None:
            self._refuse_unknown(set(keys))

    def _key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, expected: str, value: object = None) -> ConfigError:
        got = "" if value is None else f", got {value!r}"
        return ConfigError(f"{self.source}: {self._key(key)}: expected {expected}{got}")

    def report(self, problem: ConfigError) -> None:
        """Record ``problem`` when collecting, else raise it."""
        if self.problems is None:
            raise problem
        self.problems.append(problem)

    def get(self, key: str, check: Callable[[Any], T | None], expected: str, default: T) -> T:
        self.seen.add(key)
        if key not in self.table:
            return default
        value = self.table[key]
        result = check(value)
        if result is None:
            self.report(self.error(key, expected, value))
            return default
        return result

    def require(self, key: str, check: Callable[[Any], T | None], expected: str) -> T:
        """The key's value; when it is missing or wrong and problems are collected, None."""
        if key not in self.table:
            self.seen.add(key)
            if not self.absent:
                self.report(
                    ConfigError(
                        f"{self.source}: {self._key(key)}: required key is missing ({expected})"
                    )
                )
            return cast(T, None)
        return self.get(key, check, expected, cast(T, None))

    def sub(
        self, key: str, *, required: bool = False, keys: Collection[str] | None = None
    ) -> TableReader:
        self.seen.add(key)
        value = self.table.get(key)
        absent = False
        if value is None:
            if required:
                self.report(
                    ConfigError(f"{self.source}: [{self._key(key)}]: required table is missing")
                )
                absent = True
            value = {}
        if not isinstance(value, dict):
            self.report(self.error(key, "a table", value))
            value, absent = {}, True
        return TableReader(self.source, value, self._key(key), keys, self.problems, absent=absent)

    def finish(self) -> None:
        """Refuse any key of the table that was not read."""
        self._refuse_unknown(self.seen)

    def _refuse_unknown(self, known: set[str]) -> None:
        unknown = sorted(set(self.table) - known)
        listed = ", ".join(sorted(known)) or "none"
        for key in unknown:
            self.report(
                ConfigError(
                    f"{self.source}: {self._key(key)}: unknown key (known keys here: {listed})"
                )
            )
            self.seen.add(key)  # reported once, not again by finish()


def text_value(value: Any) -> str | None:
    """A non-empty string, trimmed, of at most :data:`TEXT_MAX` characters."""
    text = value.strip() if isinstance(value, str) else ""
    return text if 0 < len(text) <= TEXT_MAX else None


def slug_value(value: Any) -> str | None:
    """Lower-case letters, digits, ``-`` and ``_``, at most :data:`SLUG_MAX` characters."""
    ok = isinstance(value, str) and len(value) <= SLUG_MAX and _SLUG.match(value)
    return value if ok else None


def int_between(low: int, high: int) -> Callable[[Any], int | None]:
    """A TOML integer (not a boolean, not a float) from ``low`` to ``high`` inclusive."""

    def check(value: Any) -> int | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        return cast(int, value) if ok else None

    return check


def one_of(*choices: str) -> Callable[[Any], str | None]:
    return lambda value: value if value in choices else None


def list_of(item: Callable[[Any], T | None]) -> Callable[[Any], tuple[T, ...] | None]:
    def check(value: Any) -> tuple[T, ...] | None:
        if not isinstance(value, list):
            return None
        items = [item(v) for v in value]
        if any(i is None for i in items) or len(set(items)) != len(items):
            return None
        return tuple(cast(list[T], items))

    return check


def timezone_name(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return value


def education_level(value: Any) -> EducationLevel | None:
    try:
        return parse_code(EducationLevel, str(value))
    except ValueError:
        return None
