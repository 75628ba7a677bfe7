"""Cell text to values: dates, ids, numbers and codes, each refusal saying why.

Every parser takes the text of one cell, already trimmed, and raises
:class:`ValueError` with a message written for the person who must fix the
spreadsheet (what was found, why it is refused, what is expected).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ..domain.identifiers import identifier

__all__ = [
    "EXCEL_EPOCH",
    "MAX_CAPACITY",
    "MAX_DATE",
    "MAX_MONTHS",
    "MIN_DATE",
    "TRIM",
    "clean",
    "parse_count",
    "parse_date",
    "parse_decimal",
    "parse_id",
    "parse_months",
]

#: Day 0 of Excel's serial day numbers (Excel counts a 29 February 1900 that never was).
EXCEL_EPOCH = dt.date(1899, 12, 30)

#: The earliest and latest days a file may hold (a cohort may end in the future).
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
#: The longest contract, in months (fifty years), and its finest fraction.
MAX_MONTHS = Decimal(600)
MONTHS_DECIMALS = 6
#: The largest cohort capacity.
MAX_CAPACITY = 100_000

#: What :func:`clean` takes off both ends of a cell.
TRIM = " \t\r\n\u00a0\u202f\u2007\u200b\ufeff"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME)
_DMY_SHORT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})" + _TIME)
_SERIAL = re.compile(r"\d{1,6}(?:[.,]\d+)?")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")


def clean(text: str) -> str:
    """``text`` without surrounding spaces, non-breaking spaces, tabs or byte-order marks."""
    return text.strip(TRIM)


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """A day written ``YYYY-MM-DD`` or ``D/M/YYYY``, a time part such as `` 00:00`` ignored.

    :param today: when given, a later day is refused (a fact cannot be in the future).
    :raises ValueError: two-digit years, Excel serial numbers, impossible days,
        future days and anything else, each with the reason.
    """
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:  # the common case, YYYY-MM-DD, without the regular expressions
            return _checked(dt.date.fromisoformat(text), today)
        except ValueError:
            pass  # an impossible day or a bad value: the general path says why
    if match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif _DMY_SHORT.fullmatch(text):
        raise ValueError(
            f"{text!r} has a two-digit year, which is ambiguous; write the year in full (D/M/YYYY)"
        )
    elif _SERIAL.fullmatch(text):
        raise ValueError(_serial_message(text))
    else:
        raise ValueError(f"{_short(text)} is not a date; expected YYYY-MM-DD or D/M/YYYY")
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a real day of the calendar") from None
    return _checked(value, today)


def _checked(value: dt.date, today: dt.date | None) -> dt.date:
    """``value`` when within the range of dates and not after ``today``."""
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(
            f"{value.isoformat()} is out of range; dates run from {MIN_DATE.isoformat()} "
            f"to {MAX_DATE.isoformat()}"
        )
    if today is not None and value > today:
        raise ValueError(f"{value.isoformat()} is after the day of import ({today.isoformat()})")
    return value


def _serial_message(text: str) -> str:
    whole = int(re.split(r"[.,]", text)[0])
    hint = ""
    if 0 < whole < 2958466:  # Excel's last day is 9999-12-31
        hint = f" (day {whole} is {EXCEL_EPOCH + dt.timedelta(days=whole)})"
    return (
        f"{text!r} looks like an Excel serial day number{hint}, not a date; "
        "format the column as a date (YYYY-MM-DD or D/M/YYYY) before saving"
    )


def parse_id(text: str) -> str:
    """An identifier, in NFC form (see :func:`~insertion_core.domain.identifiers.identifier`).

    :raises ValueError: when Excel has turned a long number into scientific
        notation (``1,23E+11``): its digits are lost and cannot be recovered;
        and identifiers that are too long or hold control, invisible or
        look-alike characters.
    """
    if _SCIENTIFIC.fullmatch(text):
        raise ValueError(
            f"{text!r} is an identifier that Excel turned into scientific notation, "
            "so its digits are lost; format the column as text and type the identifiers again"
        )
    return identifier(text)


def parse_decimal(text: str) -> Decimal:
    """A number, with a decimal point or a decimal comma.

    :raises ValueError: when ``text`` is not a plain number.
    """
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f"{_short(text)} is not a number")
    return Decimal(text.replace(",", "."))


def parse_months(text: str) -> Decimal:
    """A number of months above 0 and at most :data:`MAX_MONTHS`, a decimal comma accepted.

    :raises ValueError: when ``text`` is not such a number, or has more than
        six decimal places (more than storage keeps exactly).
    """
    number = parse_decimal(text)
    if not 0 < number <= MAX_MONTHS:
        raise ValueError(
            f"{_short(text)} is not a number of months above 0 and at most {MAX_MONTHS}"
        )
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MONTHS_DECIMALS:
        raise ValueError(f"{_short(text)} has more than {MONTHS_DECIMALS} decimal places; round it")
    return number


def parse_count(text: str) -> int:
    """A whole number from 1 to :data:`MAX_CAPACITY` (``12``, or ``12.0`` as spreadsheets write it).

    :raises ValueError: when ``text`` is not such a whole number.
    """
    number = parse_decimal(text)
    if number != number.to_integral_value() or not 1 <= number <= MAX_CAPACITY:
        raise ValueError(f"{_short(text)} is not a whole number from 1 to {MAX_CAPACITY:,}")
    return int(number)


def _short(text: str) -> str:
    """``text`` quoted, cut to a readable length (a 400-digit number is not worth printing)."""
    return repr(text) if len(text) <= 40 else f"{text[:20]!r}... ({len(text):,} characters)"
