"""Values that must never enter the pseudonymous core: a French social security number
(NIR), an e-mail address, a phone number.

The CNIL's rules for social and professional support forbid the NIR for this
purpose, and an e-mail or phone used as an identifier would carry the person
into reports, notices and webhooks. These checks say *what kind* of value was
found, never the value itself, so that the message refusing it echoes nothing.
"""

from __future__ import annotations

import re

__all__ = [
    "NIR_REASON",
    "contains_nir",
    "is_nir",
    "looks_like_email",
    "looks_like_phone",
    "sensitive_in_identifier",
]

#: Why a NIR is refused, for messages (the value itself is never shown).
NIR_REASON = (
    "the value holds a French social security number (NIR: 13 characters and a valid 2-digit key), "
    "which must not be kept for this purpose (CNIL); remove it from the file "
    "(the value is not shown here)"
)

_SEP = "[ \u00a0\u202f]?"  # a space, no-break space or narrow no-break space between characters
_D = r"\d"
_BODY = (
    # sex (not after a digit, even across one space), year, month
    rf"[1-8](?<!\d\d)(?<!\d[ \u00a0\u202f]\d){_SEP}{_D}{_SEP}{_D}{_SEP}{_D}{_SEP}{_D}{_SEP}"
    f"(?:{_D}{_SEP}{_D}|2{_SEP}[AaBb])"  # department, Corsica 2A / 2B
    + "".join(f"{_SEP}{_D}" for _ in range(6))  # commune and order number
)
# Not inside a longer run of digits (even across one space), on either side. The
# look-behind comes after the first digit, so that most positions fail at once.
_NIR = re.compile(
    rf"(?P<body>{_BODY}){_SEP}(?P<key>{_D}{_SEP}{_D})(?![ \u00a0\u202f]?\d)", re.ASCII
)
# A quick first look for imports: with the spaces taken out (as UTF-8 bytes) and every
# digit, A and B read as 0, a NIR is a run of fifteen 0s.
_AS_ZEROS = bytes.maketrans(b"0123456789ABab", b"0" * 14)
_SPACE_BYTES = " \u00a0\u202f".encode()
_FIFTEEN = b"0" * 15
_SPACES = re.compile("[ \u00a0\u202f]")
# Corsica's departments count as 19 (2A) and 18 (2B) in the key.
_CORSICA = {"2A": "19", "2B": "18"}

_EMAIL = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_PHONE_CHARS = re.compile(r"[+(]?\d[\d ().\-\u00a0\u202f]{6,}", re.ASCII)
_PHONE = re.compile(r"0[1-9]\d{8}|(?:\+|00)[1-9]\d{7,14}", re.ASCII)
# A cheap first look: without '+', a phone number has ten digits or more (a NIR fifteen).
_NOT_DIGITS = bytes(b for b in range(256) if not 0x30 <= b <= 0x39)


def _key_matches(body: str, key: str) -> bool:
    digits = _SPACES.sub("", body).upper()
    digits = digits[:5] + _CORSICA.get(digits[5:7], digits[5:7]) + digits[7:]
    return 97 - int(digits) % 97 == int(_SPACES.sub("", key))


def contains_nir(text: str) -> bool:
    """True when ``text`` holds a NIR anywhere: 13 characters (department 2A or 2B for
    Corsica), then a key equal to 97 - (number mod 97), spaces allowed between characters.

    A 15-digit number whose key does not match is not a NIR.
    """
    shape = text.encode("utf-8", "surrogatepass").translate(_AS_ZEROS, _SPACE_BYTES)
    if _FIFTEEN not in shape:
        return False
    return any(_key_matches(m["body"], m["key"]) for m in _NIR.finditer(text))


def is_nir(text: str) -> bool:
    """True when the whole of ``text`` is a NIR (see :func:`contains_nir`)."""
    match = _NIR.fullmatch(text.strip())
    return match is not None and _key_matches(match["body"], match["key"])


def looks_like_email(text: str) -> bool:
    """True when ``text`` holds an e-mail address (``name@domain.tld``)."""
    return "@" in text and _EMAIL.search(text) is not None


def looks_like_phone(text: str) -> bool:
    """True when the whole of ``text`` is a phone number: French ``0X XX XX XX XX`` or
    international ``+CC...`` / ``00CC...``, spaces, dots, dashes and brackets allowed."""
    if not _PHONE_CHARS.fullmatch(text):
        return False
    digits = re.sub(r"[^\d+]", "", text.replace("(0)", ""))
    return _PHONE.fullmatch(digits) is not None


def sensitive_in_identifier(text: str) -> str | None:
    """What personal value ``text`` holds, where an identifier or a code is expected:
    ``"a French social security number (NIR)"``, ``"an e-mail address"``,
    ``"a phone number"``, or None. Fast for ordinary identifiers."""
    if "@" not in text and "+" not in text:
        digits = len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_DIGITS))
        if digits < 10:  # the usual case (a date has eight): no e-mail, phone or NIR
            return None
    if contains_nir(text):
        return "a French social security number (NIR)"
    if looks_like_email(text):
        return "an e-mail address"
    if looks_like_phone(text):
        return "a phone number"
    return None
