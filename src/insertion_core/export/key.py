"""The site's secret key for pseudonyms: read from the environment or a key file, never stored.

A pseudonym is HMAC-SHA256 of the programme and participant ids under this key.
Without the key nobody can link a pseudonym to a participant id, not even by
hashing every possible id (which defeats an unkeyed hash); another key gives
other pseudonyms. The key never reaches the database; the export records only
its id, the first 8 hex digits of its SHA-256, so that two files can be told
to share a key or not.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from collections.abc import Mapping
from pathlib import Path

import attrs

from ..errors import PseudonymKeyError

__all__ = ["KEY_ENV", "MIN_KEY_BYTES", "PseudonymKey", "load_pseudonym_key"]

#: The environment variable holding the key.
KEY_ENV = "INSERTION_PSEUDONYM_KEY"
#: The shortest key accepted, in bytes (256 bits, the size of HMAC-SHA256's output).
MIN_KEY_BYTES = 32

_HOW = (
    f"at least {MIN_KEY_BYTES} bytes, for instance the output of `openssl rand -hex 32`, "
    "kept outside the database and its backups"
)


@attrs.frozen
class PseudonymKey:
    """A secret key and where it came from (for messages); its bytes never appear in a repr."""

    secret: bytes = attrs.field(repr=False)
    source: str

    @property
    def key_id(self) -> str:
        """The first 8 hex digits of the key's SHA-256: names the key without revealing it."""
        return hashlib.sha256(self.secret).hexdigest()[:8]

    def pseudonym(self, programme_id: str, participant_id: str) -> str:
        """HMAC-SHA256 of ``programme id``, a NUL byte and ``participant id`` (UTF-8), in hex.

        Ids never hold a NUL, so two different pairs never give the same message.
        """
        message = f"{programme_id}\0{participant_id}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()


def load_pseudonym_key(
    key_file: Path | None = None, environ: Mapping[str, str] | None = None
) -> PseudonymKey:
    """The key from ``key_file`` when one is given, else from ``INSERTION_PSEUDONYM_KEY``.

    A key file holds the key's bytes; one trailing line end is not part of it.

    :raises PseudonymKeyError: no key at all, a key shorter than :data:`MIN_KEY_BYTES`,
        or a key file that is missing, not a regular file, or readable or writable
        by other users.
    """
    if key_file is not None:
        return _checked(_read_key_file(key_file), f"the key file {key_file}")
    env = os.environ if environ is None else environ
    value = env.get(KEY_ENV)
    if value is None or not value:
        raise PseudonymKeyError(
            "a pseudonymised export needs the site's secret key: set "
            f"{KEY_ENV} or give --key-file FILE ({_HOW}); "
            "nothing was exported"
        )
    return _checked(value.encode("utf-8", "surrogateescape"), KEY_ENV)


def _read_key_file(path: Path) -> bytes:
    try:
        status = path.stat()
    except OSError as error:
        raise PseudonymKeyError(f"cannot read the key file {path}: {error.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise PseudonymKeyError(f"the key file {path} is not a regular file")
    if status.st_mode & 0o007:
        raise PseudonymKeyError(
            f"the key file {path} may be read or changed by other users "
            f"(mode {stat.S_IMODE(status.st_mode):04o}); make it private with: chmod 600 {path}"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PseudonymKeyError(f"cannot read the key file {path}: {error.strerror}") from None
    for end in (b"\r\n", b"\n"):
        if data.endswith(end):
            return data[: -len(end)]
    return data


def _checked(secret: bytes, source: str) -> PseudonymKey:
    if len(secret) < MIN_KEY_BYTES:
        raise PseudonymKeyError(
            f"the pseudonym key from {source} is {len(secret)} bytes long; a key must be {_HOW}"
        )
    return PseudonymKey(secret, source)
