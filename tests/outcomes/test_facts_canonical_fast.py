"""The facts' canonical text, written with cached writers, equals the generic recursive text.

:meth:`OutcomeFacts.canonical` runs for every participant a report computes,
so its writers are cheap (tables of texts, built-in methods, remembered
check-in tuples). The generic writer below is the rule they stand for, kept
here as it was: one type's rule at a time, recursing into tuples and attrs
values. Hypothesis draws facts from the fields' declared types, so a field
added to the class is drawn too.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from insertion_core.domain import Sector, Situation
from insertion_core.outcomes import CheckinFact, OutcomeFacts


def generic_canonical(facts: OutcomeFacts) -> str:
    """The canonical text by the generic rules, one recursive call per value."""
    values = [_generic(getattr(facts, field.name)) for field in attrs.fields(type(facts))]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def _generic(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Situation):
        return value.code
    if isinstance(value, tuple):
        return ";".join(_generic(item) for item in value)
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return ":".join(_generic(getattr(value, field.name)) for field in fields)
    raise TypeError(f"no canonical text for a value of type {type(value).__name__}")


#: Text with quotes, backslashes, control and non-ASCII characters, which JSON escapes.
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_SITUATIONS = st.builds(
    Situation,
    st.sampled_from(["employment", "training", "job_search", "Other ", 'é"x']),
    st.sampled_from(Sector),
)
_CHECKINS = st.lists(st.from_type(CheckinFact), max_size=4).map(tuple)


def _field_strategy(kind: Any) -> st.SearchStrategy[Any]:
    """Values of a field's declared type, with texts and situations that stress the writers."""
    if kind is str:
        return _TEXT
    if kind == str | None:
        return st.none() | _TEXT
    if kind == Situation | None:
        return st.none() | _SITUATIONS
    if kind == tuple[CheckinFact, ...]:
        return _CHECKINS
    return st.from_type(kind)


attrs.resolve_types(OutcomeFacts)
attrs.resolve_types(CheckinFact)
_FACTS = st.fixed_dictionaries(
    {field.name: _field_strategy(field.type) for field in attrs.fields(OutcomeFacts)}
).map(lambda values: OutcomeFacts(**values))


@settings(max_examples=300, deadline=None)
@given(st.lists(_FACTS, min_size=1, max_size=5), st.data())
def test_the_canonical_text_is_the_generic_one(facts: list[OutcomeFacts], data: Any) -> None:
    # Facts sharing one tuple of check-ins, as the pushed-down facts do, and facts
    # with an equal tuple that is another object: both are written as their values say.
    shared = facts[0].checkins
    copies = [attrs.evolve(f, checkins=shared) for f in facts]
    copies += [attrs.evolve(f, checkins=tuple(list(shared))) for f in facts]
    for one in facts + copies + [data.draw(_FACTS)]:
        assert one.canonical() == generic_canonical(one)
