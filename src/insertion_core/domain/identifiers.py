"""What an identifier may hold: printable text in one script, NFC-normalised, of bounded length.

Participant, cohort, counsellor and QPV identifiers are compared as exact
text, so two that look alike must be equal or be refused: ``GON-0001`` with a
Cyrillic ``О``, a zero-width space or a trailing NUL would otherwise make a
second participant nobody can tell from the first. The importer and the
model's validators both go through :func:`identifier`.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import IdentifierError
from .sensitive import contains_nir, sensitive_in_identifier

__all__ = [
    "MAX_IDENTIFIER_LENGTH",
    "identifier",
    "optional_identifier",
    "refuse_nir",
    "refuse_personal_value",
]

#: The longest identifier accepted, in characters.
MAX_IDENTIFIER_LENGTH = 100

_PLAIN = re.compile(r"[!-~]+(?: [!-~]+)*")  # printable ASCII, single inner spaces
_SAME_SCRIPT = {
    "HIRAGANA": "CJK",
    "KATAKANA": "CJK",
    "HANGUL": "CJK",
    "FEMININE": "LATIN",  # ª and º, as in Nº
    "MASCULINE": "LATIN",
}


def identifier(text: str) -> str:
    """``text`` in NFC form, when it is a usable identifier.

    :raises IdentifierError: empty, too long, surrounding or unusual spaces,
        control or invisible (format) characters, dashes other than ``-``,
        or letters and digits of more than one script (look-alikes).
    """
    if not isinstance(text, str):
        raise IdentifierError(f"an identifier is text, not {type(text).__name__}")
    if len(text) > MAX_IDENTIFIER_LENGTH:
        raise IdentifierError(
            f"an identifier of {len(text):,} characters; at most {MAX_IDENTIFIER_LENGTH} are allowed"
        )
    if _PLAIN.fullmatch(text):
        return text  # the usual case, checked at C speed
    if not text:
        raise IdentifierError("an identifier cannot be empty")
    text = unicodedata.normalize("NFC", text)
    if text != text.strip() or "  " in text:
        raise IdentifierError(f"{_shown(text)} has spaces around it or two in a row")
    scripts: dict[str, int] = {}
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if category[0] == "C":  # Cc control, Cf format (zero-width), Co, Cs, Cn
            raise IdentifierError(
                f"{_shown(text)} holds an invisible or control character at position "
                f"{position} ({_name(char)}); type the identifier again"
            )
        if category[0] == "Z" and char != " ":
            raise IdentifierError(
                f"{_shown(text)} holds an unusual space at position {position} ({_name(char)})"
            )
        if category == "Pd" and char != "-":
            raise IdentifierError(
                f"{_shown(text)} holds a dash that is not '-' at position {position} "
                f"({_name(char)}); type '-' instead"
            )
        if category[0] == "L" or (category == "Nd" and not char.isascii()):
            script = _script(char)
            scripts.setdefault(script, position)
    if len(scripts) > 1:
        (first, _), (other, at) = sorted(scripts.items(), key=lambda item: item[1])[:2]
        raise IdentifierError(
            f"{_shown(text)} mixes {first.title()} and {other.title()} characters "
            f"(position {at}: {_name(text[at - 1])}), which look alike; "
            "type the identifier again in one alphabet"
        )
    return text


def refuse_personal_value(text: str) -> str:
    """``text``, unless it holds a French social security number, an e-mail address or a
    phone number, which would carry a person into the pseudonymous core.

    Checked where ids come in (the importer, the Workspace), not when stored
    values are read back, so that data written before this check stays readable.

    :raises IdentifierError: saying what kind of value it holds, without showing it.
    """
    found = sensitive_in_identifier(text)
    if found is not None:
        raise IdentifierError(
            f"an identifier holds {found}, which must not identify anyone in this "
            "programme's data; use the programme's own identifier (the value is not shown here)"
        )
    return text


def refuse_nir(text: str | None, field: str) -> None:
    """Refuse a French social security number anywhere in a free or personal ``field``
    (a name, a note, a reason): the CNIL does not allow it for this purpose.

    :raises IdentifierError: naming the field, without showing the value.
    """
    if text is not None and contains_nir(text):
        raise IdentifierError(
            f"the {field} holds a French social security number (NIR), which must not be "
            "kept for this purpose (CNIL); remove it (the value is not shown here)"
        )


def optional_identifier(text: str | None) -> str | None:
    """:func:`identifier` for a field that may be left empty (None)."""
    return None if text is None else identifier(text)


def _script(char: str) -> str:
    """The script of a letter or digit, from the first word of its Unicode name."""
    word = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
    return _SAME_SCRIPT.get(word, word)


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}"


def _shown(text: str) -> str:
    """The identifier quoted, every character that is not printable shown as an escape."""
    return ascii(text) if not text.isprintable() else repr(text)
