"""What every built-in storage checks when a programme is saved with its TOML text.

The workspace validated the text, with the situation families plugins declare,
before saving it; a storage knows no plugins, so it re-reads the text trusting
the families the text itself names as positive.
"""

from __future__ import annotations

import tomllib

from ..domain.programme import Programme, loads_programme

__all__ = ["check_source", "programme_from_source"]


def check_source(programme: Programme, source: str) -> None:
    """Refuse TOML text that does not describe ``programme``: get() re-reads the text.

    :raises ConfigError: the text is not a valid programme.
    :raises ValueError: it is valid but describes another programme.
    """
    parsed = loads_programme(
        source, f"<source of programme {programme.id}>", programme.outcomes.positive
    )
    if parsed != programme:
        raise ValueError(
            f"the TOML text given with programme {programme.id!r} describes "
            f"{'another programme' if parsed.id != programme.id else 'different settings'}; "
            "save the programme with the text it was loaded from"
        )


def programme_from_source(programme_id: str, source: str) -> Programme:
    """The programme a stored TOML text describes."""
    return loads_programme(source, f"<stored programme {programme_id}>", _positive(source))


def _positive(source: str) -> tuple[str, ...]:
    """The families the text lists as positive (checked when it was saved)."""
    try:
        outcomes = tomllib.loads(source).get("outcomes", {})
    except tomllib.TOMLDecodeError:
        return ()  # loads_programme reports it
    positive = outcomes.get("positive", []) if isinstance(outcomes, dict) else []
    return tuple(p for p in positive if isinstance(p, str)) if isinstance(positive, list) else ()
