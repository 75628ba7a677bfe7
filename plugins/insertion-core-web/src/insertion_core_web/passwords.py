"""Passwords stored as salted scrypt hashes (``hashlib.scrypt``), never in clear.

A stored hash reads ``scrypt$N$r$p$salt$hash`` (salt and hash in base64): the
parameters travel with each hash, so they can be raised later without
invalidating the accounts already made. N = 2**15, r = 8, p = 1 is OWASP's
minimum for scrypt: about 32 MiB and a tenth of a second per check on a small
server, which makes guessing slow without making logging in slow.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = ["MIN_LENGTH", "hash_password", "password_problem", "verify_password"]

#: scrypt's cost parameters for new hashes (OWASP Password Storage Cheat Sheet).
N, R, P = 2**15, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
#: The shortest password accepted: long enough that the throttle makes guessing hopeless.
MIN_LENGTH = 10


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # maxmem must exceed 128 * n * r bytes, which Python's 32 MiB default does not allow at N = 2**15.
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=256 * n * r,
        dklen=KEY_BYTES,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return f"the password is too short: at least {MIN_LENGTH} characters"
    if password != password.strip():
        return "the password starts or ends with a space, which is easy to mistype"
    return None


def hash_password(password: str) -> str:
    """The text to store for ``password``: a new random salt each time."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, N, R, P)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (compared in constant time)."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        found = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(found, expected)
