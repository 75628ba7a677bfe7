"""Installed distributions' entry points and versions, read without importlib.metadata.

Every ``insertion`` command looks up the ``insertion_core`` entry points
before it parses its arguments. Importing :mod:`importlib.metadata` (it loads
the e-mail parser and zipfile) takes as long as importing click and pluggy
together, and the command needs so little of it: the ``entry_points.txt`` and
the name and version of the distributions installed as folders
(``*.dist-info``, ``*.egg-info``) on ``sys.path``. Those are read here, the
first distribution of a name on the path winning, as importlib.metadata does.
Distributions inside zip archives on the path are not seen.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

__all__ = ["Distribution", "EntryPoint", "distribution_version", "entry_points"]

_SUFFIXES = (".dist-info", ".egg-info")


class Distribution:
    """One installed distribution, its metadata read on first use."""

    def __init__(self, path: str) -> None:
        self.path = path
        #: The normalised name in the folder's name (``name-version.dist-info``).
        self.key = _normalised(os.path.basename(path).rpartition(".")[0].partition("-")[0])

    @functools.cached_property
    def _headers(self) -> tuple[str, str]:
        return _metadata(self.path)

    @property
    def name(self) -> str:
        """The name, as the distribution's metadata spells it."""
        return self._headers[0]

    @property
    def version(self) -> str:
        """The version from the distribution's metadata."""
        return self._headers[1]

    def __repr__(self) -> str:
        return f"Distribution({self.path!r})"


class EntryPoint(NamedTuple):
    """One entry point: ``name = module:attribute`` in a group of a distribution."""

    name: str
    value: str
    group: str
    dist: Distribution

    def load(self) -> Any:
        """Import the module the entry point names and return the object it points to."""
        module, _, attribute = self.value.partition("[")[0].partition(":")
        found: Any = importlib.import_module(module.strip())
        for part in filter(None, attribute.strip().split(".")):
            found = getattr(found, part)
        return found


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata(folder: str) -> tuple[str, str]:
    """Name and Version from the headers of METADATA (or PKG-INFO), up to the first blank line."""
    fields = {"name": "", "version": ""}
    for file in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(folder, file), encoding="utf-8") as headers:
                for line in headers:
                    if not line.strip():
                        break
                    key, _, value = line.partition(":")
                    if key.strip().lower() in fields:
                        fields[key.strip().lower()] = value.strip()
        except OSError:
            continue
        break
    return fields["name"], fields["version"]


def distributions(path: Iterable[str] | None = None) -> Iterator[Distribution]:
    """The distributions installed as folders on ``path`` (``sys.path`` by default), once per name."""
    seen: set[str] = set()
    for entry in sys.path if path is None else path:
        try:
            children = sorted(os.listdir(entry or "."))
        except OSError:  # a zip archive, or a folder that is gone
            continue
        for child in children:
            if not child.endswith(_SUFFIXES):
                continue
            dist = Distribution(os.path.join(entry or ".", child))
            if dist.key in seen or not os.path.isdir(dist.path):
                continue
            seen.add(dist.key)
            yield dist


def _entry_points_of(dist: Distribution, group: str) -> Iterator[EntryPoint]:
    try:
        with open(os.path.join(dist.path, "entry_points.txt"), encoding="utf-8") as text:
            lines = text.read().splitlines()
    except OSError:
        return
    section = ""
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            yield EntryPoint(name.strip(), value.strip(), group, dist)


def entry_points(*, group: str, path: Iterable[str] | None = None) -> list[EntryPoint]:
    """Every entry point of ``group``, in the order of the distributions on the path."""
    return [ep for dist in distributions(path) for ep in _entry_points_of(dist, group)]


def distribution_version(name: str, path: Iterable[str] | None = None) -> str | None:
    """The version of the distribution called ``name`` (``-``, ``_``, ``.`` and case ignored)."""
    wanted = _normalised(name)
    for dist in distributions(path):
        if dist.key == wanted:
            return dist.version
    return None
