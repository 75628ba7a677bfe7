"""Leaving no copy of erased values in a SQLite file (docs/personal-data.md, Erased for good).

Every connection runs with ``secure_delete`` (see :mod:`.engine`), so a
deleted row's bytes are overwritten with zeros. That is not the whole story:
a row moved between pages before it was deleted may have left a stale copy in
the gap of the page it came from, and the write-ahead log keeps page images
until a checkpoint. After an erasure, ``VACUUM`` rebuilds the file from the
live rows only, and a ``TRUNCATE`` checkpoint copies the log into the file and
empties the ``-wal`` file.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Engine

__all__ = ["shred_sqlite"]


def shred_sqlite(engine: Engine) -> bool:
    """``VACUUM`` then empty the write-ahead log; False when another connection prevented it.

    Run outside any transaction, on the driver's connection (which SQLAlchemy
    keeps in autocommit): neither statement may run inside one.
    """
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        try:
            raw.execute("VACUUM")
            busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError:  # another connection holds the database
            return False
    return int(busy) == 0
