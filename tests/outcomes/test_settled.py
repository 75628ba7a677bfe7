"""Settled facts equal the reference engine's once every window has closed.

:func:`insertion_core.outcomes.settled.settled_facts` is what the SQL storage
stores for each journey it writes (docs/architecture.md, Stored facts); it
skips as_of altogether, so it must equal ``compute_facts`` on every day after
the participant's windows, on journeys whose dates sit on the rules' edges.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core.domain import Journey, Programme
from insertion_core.outcomes import compute_facts
from insertion_core.outcomes.settled import settled_facts

from ..storage.pushdown_strategies import tricky_populations
from ..strategies import populations, programmes
from .sample_site import load_sample_site

#: Later than every window of the generated data: the reference's settled answer.
LAST_DAY = dt.date(9999, 12, 31)


@st.composite
def programmes_and_journeys(draw: st.DrawFn) -> tuple[Programme, list[Journey]]:
    programme = draw(programmes())
    found = draw(tricky_populations(programme) | populations(programme, max_size=10))
    return programme, found


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programmes_and_journeys(), st.sampled_from([dt.date(2100, 1, 1), LAST_DAY]))
def test_settled_facts_are_the_reference_facts_after_every_window(
    drawn: tuple[Programme, list[Journey]], day: dt.date
) -> None:
    programme, journeys = drawn
    for journey in journeys:
        assert settled_facts(programme, journey) == compute_facts(programme, journey, day)


def test_the_sample_site_settles_to_the_reference_facts() -> None:
    programme, journeys = load_sample_site()
    assert any(j.exit is not None and j.contacts for j in journeys)
    for journey in journeys:
        assert settled_facts(programme, journey) == compute_facts(programme, journey, LAST_DAY)
