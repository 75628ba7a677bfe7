"""The follow-up contact form read into a :class:`FollowUpContact`, or the library's reasons why not.

Each field goes through the parser the importer uses for the same column
(dates, situation codes, contract and channel codes), so a counsellor reads
the same message on the page as in an import's problem list, beside the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TypeVar

import attrs

from insertion_core import FollowUpContact
from insertion_core.domain.codes import Channel, Contract, parse_code
from insertion_core.domain.situations import SituationFamilies
from insertion_core.importing.values import parse_date

__all__ = ["FIELDS", "MAX_NOTE", "ContactForm", "read_contact"]

#: The form's fields, in the order the page shows them.
FIELDS = ("contact_date", "situation", "digital", "contract", "channel", "note")
#: The longest note kept: a few paragraphs, not a file pasted by mistake.
MAX_NOTE = 4000

T = TypeVar("T")


@attrs.frozen
class ContactForm:
    """What was typed (shown again when refused) and the problems by field."""

    values: Mapping[str, str]
    problems: Mapping[str, str]
    contact: FollowUpContact | None


def read_contact(
    form: Mapping[str, str], families: SituationFamilies, today: dt.date
) -> ContactForm:
    """The contact a submitted form describes; a contact after ``today`` is refused."""
    values = {name: form.get(name, "").strip() for name in FIELDS}
    values["note"] = form.get("note", "").strip()
    problems: dict[str, str] = {}

    def field(name: str, parse: Callable[[str], T], required: bool = False) -> T | None:
        text = values[name]
        if not text:
            if required:
                problems[name] = "required value is missing"
            return None
        try:
            return parse(text)
        except ValueError as error:
            problems[name] = str(error)
            return None

    day = field("contact_date", lambda text: parse_date(text, today), required=True)
    sector = ".digital" if values["digital"] else ""
    situation = field("situation", lambda text: families.parse(text + sector), required=True)
    contract = field("contract", lambda text: parse_code(Contract, text))
    channel = field("channel", lambda text: parse_code(Channel, text))
    if len(values["note"]) > MAX_NOTE:
        problems["note"] = f"a note of {len(values['note']):,} characters; at most {MAX_NOTE:,}"
    if problems or day is None or situation is None:
        return ContactForm(values, problems, None)
    contact = FollowUpContact(
        day, situation, contract=contract, channel=channel, note=values["note"] or None
    )
    return ContactForm(values, problems, contact)
