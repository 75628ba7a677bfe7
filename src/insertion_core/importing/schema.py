"""The canonical files' columns (docs/data-formats.md, The spreadsheets) and how a header is matched to them.

Column names are compared after trimming, in lower case, without accents,
with runs of spaces read as ``_`` ("Participant ID" is ``participant_id``).
A header is a canonical name, a French name of :data:`FRENCH_HEADERS`, or a
site's own name mapped in the programme's ``[import.columns]`` (which wins
over the French names). A column that is none of these nor in the
programme's ``import.ignore_columns`` is refused by name, so that no free
text slips into the pseudonymous core.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence

import attrs

from ..errors import Problem
from .kinds import KINDS, Kind
from .values import clean

__all__ = [
    "COLUMNS",
    "FRENCH_HEADERS",
    "KINDS",
    "PERSONAL_COLUMNS",
    "REQUIRED",
    "Header",
    "Kind",
    "column_key",
    "match_header",
]

_PARTICIPANT_COLUMNS = (
    "participant_id",
    "cohort_id",
    "entry_date",
    "birth_date",
    "gender",
    "education_level",
    "qpv",
    "qpv_code",
    "status_at_entry",
    "scheme",
    "referrer",
    "counsellor",
)
#: Personal data of participants.csv: stored apart from the pseudonymous core.
PERSONAL_COLUMNS = ("first_name", "last_name", "email", "phone")

#: Every column of each kind of file, the required ones first.
COLUMNS: dict[Kind, tuple[str, ...]] = {
    "participants": _PARTICIPANT_COLUMNS + PERSONAL_COLUMNS,
    "cohorts": ("cohort_id", "start_date", "end_date", "capacity"),
    "phases": ("participant_id", "phase", "start_date"),
    "exits": (
        "participant_id",
        "exit_date",
        "exit_reason",
        "destination",
        "contract",
        "contract_months",
        "qualifying",
    ),
    "followups": (
        "participant_id",
        "contact_date",
        "situation",
        "contract",
        "contract_months",
        "qualifying",
        "channel",
        "note",
    ),
    "attendance": ("participant_id", "date", "half_day", "status", "reason"),
}

REQUIRED: dict[Kind, frozenset[str]] = {
    "participants": frozenset({"participant_id", "cohort_id", "entry_date"}),
    "cohorts": frozenset({"cohort_id"}),
    "phases": frozenset({"participant_id", "phase", "start_date"}),
    "exits": frozenset({"participant_id", "exit_date", "exit_reason", "destination"}),
    "followups": frozenset({"participant_id", "contact_date", "situation"}),
    "attendance": frozenset({"participant_id", "date", "status"}),
}

#: The French headers read without any mapping, each to its canonical column.
FRENCH_HEADERS: dict[str, str] = {
    "Identifiant": "participant_id",
    "Promotion": "cohort_id",
    "Cohorte": "cohort_id",
    "Date d'entrée": "entry_date",
    "Date de naissance": "birth_date",
    "Sexe": "gender",
    "Genre": "gender",
    "Niveau de diplôme": "education_level",
    "Niveau": "education_level",
    "QPV": "qpv",
    "Code QPV": "qpv_code",
    "Statut à l'entrée": "status_at_entry",
    "Dispositif": "scheme",
    "Prescripteur": "referrer",
    "Conseiller": "counsellor",
    "Référent": "counsellor",
    "Prénom": "first_name",
    "Nom": "last_name",
    "Courriel": "email",
    "E-mail": "email",
    "Téléphone": "phone",
    "Date de sortie": "exit_date",
    "Motif de sortie": "exit_reason",
    "Situation à la sortie": "destination",
    "Contrat": "contract",
    "Durée du contrat (mois)": "contract_months",
    "Qualifiant": "qualifying",
    "Date du contact": "contact_date",
    "Situation": "situation",
    "Canal": "channel",
    "Commentaire": "note",
    "Phase": "phase",
    "Date de début": "start_date",
    "Date": "date",
    "Demi-journée": "half_day",
    "Statut": "status",
    "Motif": "reason",
}

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'"})
# A header cell holding an e-mail, a date, a phone or long text is a row of data.
_DATA_LIKE = re.compile(r".*(?:@|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d.*\d.*\d.*\d)|.{65,}", re.DOTALL)


def column_key(name: str) -> str:
    """The spelling headers are compared in: trimmed, lower case, no accents, spaces as ``_``."""
    decomposed = unicodedata.normalize("NFKD", clean(name).translate(_APOSTROPHES))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub("_", bare.lower())


_FRENCH = {column_key(name): column for name, column in FRENCH_HEADERS.items()}


@attrs.frozen
class Header:
    """Where each known column sits in a file's rows, and the positions read as nothing.

    ``unnamed`` holds the positions of columns with an empty name: harmless
    when empty (Excel adds them), refused when a row has a value there.
    """

    positions: dict[str, int]
    unnamed: frozenset[int]
    width: int

    def has(self, column: str) -> bool:
        """True when the file has this column."""
        return column in self.positions


def match_header(
    kind: Kind,
    names: Sequence[str],
    file: str,
    line: int,
    ignore_columns: Collection[str] = (),
    columns: Mapping[str, str] | None = None,
) -> tuple[Header, list[Problem]]:
    """Match a header line to the columns of ``kind``; problems name each bad column.

    ``columns`` is the programme's ``[import.columns]``: a site's header to a
    canonical column, for every kind of file.
    """
    known = COLUMNS[kind]
    ignored = {column_key(name) for name in ignore_columns}
    positions: dict[str, int] = {}
    unnamed: set[int] = set()
    problems: list[Problem] = []
    site: dict[str, tuple[str, str]] = {}
    for name, column in (columns or {}).items():
        other = site.setdefault(column_key(name), (name, column))
        if other[1] != column:
            problems.append(
                Problem(
                    file,
                    line,
                    name,
                    f"the programme's import.columns maps {other[0]!r} to {other[1]} and "
                    f"{name!r} to {column}, and headers are compared without case or accents: "
                    "keep one of the two",
                )
            )
    for index, name in enumerate(names):
        key = column_key(name)
        if key and key in ignored:
            continue  # skipped on purpose, even when it is a French header
        if key in site:
            mapped_from, mapped = site[key]
            if key in known and mapped != key:
                problems.append(
                    Problem(
                        file,
                        line,
                        name,
                        f"this header is the column {key} and is also mapped to {mapped} by "
                        f"{mapped_from!r} in the programme's import.columns; remove one of the two",
                    )
                )
                continue
            key = mapped
        elif key not in known and key in _FRENCH:
            key = _FRENCH[key]
        if not key:
            unnamed.add(index)
        elif key in ignored:
            continue
        elif key not in known:
            data_like = _DATA_LIKE.match(name) is not None
            problems.append(
                Problem(
                    file,
                    line,
                    f"column {index + 1}" if data_like else name,
                    "unknown column, and its name looks like data: is the header line missing?"
                    if data_like
                    else f"unknown column; the columns of {kind} files are {', '.join(known)} "
                    "(a column to skip on purpose goes in the programme's import.ignore_columns)",
                )
            )
        elif key in positions:
            first = positions[key]
            problems.append(
                Problem(
                    file,
                    line,
                    name,
                    f"this column appears twice (columns {first + 1} and {index + 1})"
                    if column_key(names[first]) == column_key(name)
                    else f"{names[first]!r} (column {first + 1}) and {name!r} (column {index + 1}) "
                    f"both name the column {key}; keep one of the two",
                )
            )
        else:
            positions[key] = index
    if not positions and len(problems) == len(names) - len(unnamed) > 0:
        # Not one known column: most likely a row of data, whose values must not be echoed.
        return Header(positions, frozenset(unnamed), len(names)), [
            Problem(
                file,
                line,
                None,
                f"this line names none of the columns of {kind} files: is the header line "
                f"missing? The first line must name the columns ({', '.join(known)}); "
                "its values are not shown here, as they may be personal data",
            )
        ]
    for column in known:
        if column in REQUIRED[kind] and column not in positions:
            problems.append(Problem(file, line, column, "required column is missing"))
    return Header(positions, frozenset(unnamed), len(names)), problems
