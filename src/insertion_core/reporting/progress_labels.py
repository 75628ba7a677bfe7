"""Words of the trend, target and time-to-outcome tables, in the programme's locale."""

from __future__ import annotations

from .labels import Words

__all__ = ["progress_words"]

_EN: dict[str, str] = {
    "target": "target",
    "target.at_least": "≥",
    "target.at_most": "≤",
    "target.met": "met",
    "target.not_met": "not met",
    "target.above": "interval above",
    "target.around": "interval around",
    "target.below": "interval below",
    "target.gap": "gap {gap} pts",
    "trends": "Trend by year",
    "trends.change": "{pp} pts",
    "dim.year": "year",
    "time": "Time to first positive outcome after exit",
    "time.by": "Time to first positive outcome, by",
    "time.leavers": "leavers",
    "time.events": "with a positive outcome",
    "time.median": "median time (days)",
    "time.not_reached": "not reached",
    "time.share": "share by day {day}",
    "time.at_risk": "still followed",
    "time.group": "group",
}

_FR: dict[str, str] = {
    "target": "objectif",
    "target.at_least": "≥",
    "target.at_most": "≤",
    "target.met": "atteint",
    "target.not_met": "non atteint",
    "target.above": "intervalle au-dessus",
    "target.around": "intervalle autour",
    "target.below": "intervalle en dessous",
    "target.gap": "écart {gap} pts",
    "trends": "Évolution par année",
    "trends.change": "{pp} pts",
    "dim.year": "année",
    "time": "Délai avant la première situation positive après la sortie",
    "time.by": "Délai avant la première situation positive, par",
    "time.leavers": "sortants",
    "time.events": "avec une situation positive",
    "time.median": "délai médian (jours)",
    "time.not_reached": "non atteint",
    "time.share": "part au jour {day}",
    "time.at_risk": "encore suivis",
    "time.group": "groupe",
}


def progress_words(locale: str) -> Words:
    """The words of ``locale``: French for ``fr``, English otherwise."""
    return _FR if locale == "fr" else _EN
