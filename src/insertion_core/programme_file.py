"""Reading a programme from its TOML file: the file side of :func:`loads_programme`.

The domain parses text and never opens a file; this module, outside it, does
the reading and names the file in every error.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from .domain.programme import Programme, loads_programme
from .errors import ConfigError

__all__ = ["load_programme", "read_programme_text"]


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
