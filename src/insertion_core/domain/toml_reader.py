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

T = TypeVar("T")


class TableReader:
    """Reads one TOML table, naming the file and the dotted key in every error."""

    def __init__(
        self,
        source: str,
        table: Mapping[str, Any],
        path: str,
        keys: Collection[str] | None = None,
    ) -> None:
        """``keys``: the table's keys, when known, so a misspelt one is named before anything else."""
        self.source = source
        self.table = table
        self.path = path
        self.seen: set[str] = set()
        if keys is not None:
            self._refuse_unknown(set(keys))

    def _key(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, expected: str, value: object = None) -> ConfigError:
        got = "" if value is None else f", got {value!r}"
        return ConfigError(f"{self.source}: {self._key(key)}: expected {expected}{got}")

    def get(self, key: str, check: Callable[[Any], T | None], expected: str, default: T) -> T:
        self.seen.add(key)
        if key not in self.table:
            return default
        value = self.table[key]
        result = check(value)
        if result is None:
            raise self.error(key, expected, value)
        return result

    def require(self, key: str, check: Callable[[Any], T | None], expected: str) -> T:
        if key not in self.table:
            raise ConfigError(
                f"{self.source}: {self._key(key)}: required key is missing ({expected})"
            )
        return self.get(key, check, expected, cast(T, None))

    def sub(
        self, key: str, *, required: bool = False, keys: Collection[str] | None = None
    ) -> TableReader:
        self.seen.add(key)
        value = self.table.get(key)
        if value is None:
            if required:
                raise ConfigError(f"{self.source}: [{self._key(key)}]: required table is missing")
            value = {}
        if not isinstance(value, dict):
            raise self.error(key, "a table", value)
        return TableReader(self.source, value, self._key(key), keys)

    def finish(self) -> None:
        """Refuse any key of the table that was not read."""
        self._refuse_unknown(self.seen)

    def _refuse_unknown(self, known: set[str]) -> None:
        unknown = sorted(set(self.table) - known)
        if unknown:
            listed = ", ".join(sorted(known)) or "none"
            raise ConfigError(
                f"{self.source}: {self._key(unknown[0])}: unknown key (known keys here: {listed})"
            )


def text_value(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def slug_value(value: Any) -> str | None:
    return value if isinstance(value, str) and _SLUG.match(value) else None


def int_at_least(low: int) -> Callable[[Any], int | None]:
    def check(value: Any) -> int | None:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
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
