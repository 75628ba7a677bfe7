"""Reading a programme from its TOML file: the file side of :func:`loads_programme`.

The domain parses text and never opens a file; this module, outside it, does
the reading and names the file in every error, and checks the text against
what the plugins declare (:func:`check_programme`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .domain.programme import Programme, loads_programme
from .domain.targets import unknown_target_error
from .errors import ConfigError

if TYPE_CHECKING:
    from .hooks import Hooks

__all__ = ["check_programme", "load_programme", "read_programme_text"]


def read_programme_text(path: str | Path) -> str:
    """The text of a programme file.

    :raises ConfigError: the file cannot be read or is not UTF-8.
    """
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{file}: cannot read the programme file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: the programme file is not UTF-8 text") from None


def load_programme(path: str | Path, extra_families: Collection[str] = ()) -> Programme:
    """Read and check a programme file.

    :param extra_families: situation families plugins declare, usable in ``outcomes.positive``.
    :raises ConfigError: the file is missing, is not TOML, or has a wrong key.
    """
    return loads_programme(read_programme_text(path), str(path), extra_families)


def check_programme(
    text: str, source: str, hooks: Hooks, families: Collection[str] = ()
) -> Programme:
    """Check programme TOML, knowing the families, indicator sets and channels plugins declare.

    :param families: the situation families plugins declare.
    :raises ConfigError: listing every problem of the file, one per line:
        the programme's own, a target on an indicator no registered set has,
        and those of its ``[notify.<channel>]`` tables (the
        ``validate_notifier_settings`` hook).
    """
    from .notify.settings import channel_problems
    from .outcomes.targets import indicator_kinds  # the outcome engine, to check targets

    problems: list[str] = []
    try:
        programme: Programme | None = loads_programme(text, source, families)
    except ConfigError as error:
        problems.extend(str(error).splitlines())
        programme = None
    if programme is not None and programme.targets:
        unknown = unknown_target_error(
            programme.targets, indicator_kinds(programme, hooks.indicator_sets()), source
        )
        if unknown is not None:
            problems.extend(str(unknown).splitlines())
    tables = _notify_tables(text)
    if tables:
        found = channel_problems(tables, hooks.notifiers(), hooks.notifier_setting_problems)
        problems.extend(f"{source}: {problem}" for problem in found)
    if problems or programme is None:
        raise ConfigError("\n".join(problems))
    return programme


def _notify_tables(text: str) -> Mapping[str, Any]:
    """The ``[notify]`` table of programme TOML, or nothing when there is none or it is not TOML."""
    try:
        tables = tomllib.loads(text).get("notify")
    except tomllib.TOMLDecodeError:
        return {}
    return tables if isinstance(tables, dict) else {}
