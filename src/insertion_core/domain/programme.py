"""A programme's configuration, read from its TOML file (docs/data-formats.md, The programme file).

Every key is checked: an unknown key or a bad value is a :class:`ConfigError`
that names the file, the key and what was expected. Tables named in
:data:`PLUGIN_TABLES` belong to plugins, which validate them themselves.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import zoneinfo
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, Literal, cast

import attrs

from ..errors import ConfigError
from .codes import EducationLevel
from .situations import BUILTIN_FAMILIES, SituationFamilies
from .toml_reader import (
    TableReader,
    education_level,
    int_at_least,
    list_of,
    one_of,
    slug_value,
    text_value,
    timezone_name,
)

__all__ = [
    "PLUGIN_TABLES",
    "AttendancePolicy",
    "EligibilityPolicy",
    "FollowUpPolicy",
    "ImportPolicy",
    "OutcomePolicy",
    "Phase",
    "Programme",
    "ReportingPolicy",
    "load_programme",
    "loads_programme",
    "parse_programme",
    "read_programme_text",
]

#: Top-level tables kept raw for plugins: ``[notify.smtp]``, ``[plugins.my_site]``.
PLUGIN_TABLES = ("notify", "plugins")

DEFAULT_SETS = ("key_figures", "esf_plus", "dynamic_exits", "followup")

Basis = Literal["entry", "exit"]


@attrs.frozen
class EligibilityPolicy:
    """Who may enrol; a rule left out (None) is not checked."""

    min_age: int | None = None
    max_age: int | None = None
    max_education_level: EducationLevel | None = None


@attrs.frozen
class Phase:
    """One stage of the programme, in the order participants go through them."""

    id: str
    name: str
    weeks: int | None = None


@attrs.frozen
class FollowUpPolicy:
    """The post-exit window and its check-ins."""

    months: int
    checkpoints: tuple[int, ...]
    grace_days: int = 10
    overdue_days: int = 30


@attrs.frozen
class AttendancePolicy:
    """When repeated unexcused absences flag a participant at risk."""

    at_risk_absences: int = 3
    at_risk_days: int = 14


@attrs.frozen
class OutcomePolicy:
    """Which situation families count as positive, in tie-breaking order."""

    positive: tuple[str, ...]
    families: tuple[str, ...] = ()

    @property
    def situation_families(self) -> SituationFamilies:
        """Built-in families plus the programme's own."""
        return SituationFamilies().with_families(self.families)


@attrs.frozen
class ReportingPolicy:
    """Defaults of ``insertion report``."""

    basis: Basis = "entry"
    sets: tuple[str, ...] = DEFAULT_SETS
    min_cell: int = 11


@attrs.frozen
class ImportPolicy:
    """Importer settings."""

    ignore_columns: tuple[str, ...] = ()


@attrs.frozen
class Programme:
    """One insertion programme's configuration."""

    id: str
    name: str
    followup: FollowUpPolicy
    outcomes: OutcomePolicy
    duration_months: int | None = None
    label: str | None = None
    locale: Literal["fr", "en"] = "en"
    timezone: str = "Europe/Paris"
    eligibility: EligibilityPolicy = EligibilityPolicy()
    phases: tuple[Phase, ...] = ()
    attendance: AttendancePolicy = AttendancePolicy()
    reporting: ReportingPolicy = ReportingPolicy()
    import_: ImportPolicy = ImportPolicy()
    plugin_config: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def phase_index(self, phase_id: str) -> int:
        """Position of ``phase_id`` in :attr:`phases`; ValueError when unknown."""
        for index, phase in enumerate(self.phases):
            if phase.id == phase_id:
                return index
        raise ValueError(f"unknown phase {phase_id!r}")

    def today(self) -> dt.date:
        """Today in the programme's timezone: the default ``as_of``."""
        return dt.datetime.now(zoneinfo.ZoneInfo(self.timezone)).date()


def parse_programme(
    data: Mapping[str, Any],
    source: str = "<programme>",
    extra_families: Collection[str] = (),
) -> Programme:
    """Build a :class:`Programme` from parsed TOML, checking every key.

    :param source: what to call the file in error messages.
    :param extra_families: situation families plugins declare, usable in ``outcomes.positive``.
    :raises ConfigError: naming ``source``, the key and what was expected.
    """
    root = TableReader(source, data, "")
    head = root.sub(
        "programme",
        required=True,
        keys=("id", "name", "duration_months", "label", "locale", "timezone"),
    )
    programme_id = head.require("id", slug_value, "a slug of lower-case letters, digits, - and _")
    name = head.require("name", text_value, "a non-empty string")
    duration = head.get("duration_months", int_at_least(1), "a whole number of months ≥ 1", None)
    label = head.get("label", text_value, "a non-empty string", None)
    locale = head.get("locale", one_of("fr", "en"), '"fr" or "en"', "en")
    timezone = head.get(
        "timezone", timezone_name, "an IANA time zone such as Europe/Paris", "Europe/Paris"
    )
    head.finish()

    elig = root.sub("eligibility", keys=("min_age", "max_age", "max_education_level"))
    eligibility = EligibilityPolicy(
        min_age=elig.get("min_age", int_at_least(0), "a whole number of years", None),
        max_age=elig.get("max_age", int_at_least(0), "a whole number of years", None),
        max_education_level=elig.get(
            "max_education_level",
            education_level,
            "an education level: none, 1 to 8",
            None,
        ),
    )
    elig.finish()
    if (
        eligibility.min_age is not None
        and eligibility.max_age is not None
        and eligibility.min_age > eligibility.max_age
    ):
        raise elig.error(
            "max_age", f"at least min_age ({eligibility.min_age})", eligibility.max_age
        )

    phases = _phases(root)

    follow = root.sub(
        "followup", required=True, keys=("months", "checkpoints", "grace_days", "overdue_days")
    )
    months = follow.require("months", int_at_least(1), "a whole number of months ≥ 1")
    checkpoints = follow.require(
        "checkpoints",
        list_of(int_at_least(1)),
        "a list of distinct whole numbers of months ≥ 1",
    )
    if list(checkpoints) != sorted(checkpoints) or not checkpoints:
        raise follow.error("checkpoints", "a non-empty list in increasing order", list(checkpoints))
    if checkpoints[-1] > months:
        raise follow.error(
            "checkpoints", f"months within followup.months ({months})", list(checkpoints)
        )
    followup = FollowUpPolicy(
        months=months,
        checkpoints=checkpoints,
        grace_days=follow.get("grace_days", int_at_least(0), "a whole number of days ≥ 0", 10),
        overdue_days=follow.get("overdue_days", int_at_least(0), "a whole number of days ≥ 0", 30),
    )
    follow.finish()

    att = root.sub("attendance", keys=("at_risk_absences", "at_risk_days"))
    attendance = AttendancePolicy(
        at_risk_absences=att.get("at_risk_absences", int_at_least(1), "a whole number ≥ 1", 3),
        at_risk_days=att.get("at_risk_days", int_at_least(1), "a whole number of days ≥ 1", 14),
    )
    att.finish()

    outcomes = _outcomes(root, extra_families)

    rep = root.sub("reporting", keys=("basis", "sets", "min_cell"))
    reporting = ReportingPolicy(
        basis=cast(Basis, rep.get("basis", one_of("entry", "exit"), '"entry" or "exit"', "entry")),
        sets=rep.get(
            "sets", list_of(slug_value), "a list of distinct indicator set names", DEFAULT_SETS
        ),
        min_cell=rep.get("min_cell", int_at_least(0), "a whole number ≥ 0", 11),
    )
    rep.finish()

    imp = root.sub("import", keys=("ignore_columns",))
    import_policy = ImportPolicy(
        ignore_columns=imp.get("ignore_columns", list_of(text_value), "a list of column names", ())
    )
    imp.finish()

    plugin_config = {}
    for table in PLUGIN_TABLES:
        plugin_config[table] = root.sub(table).table
    root.finish()

    return Programme(
        id=programme_id,
        name=name,
        duration_months=duration,
        label=label,
        locale=cast(Literal["fr", "en"], locale),
        timezone=timezone,
        eligibility=eligibility,
        phases=phases,
        followup=followup,
        attendance=attendance,
        outcomes=outcomes,
        reporting=reporting,
        import_=import_policy,
        plugin_config=plugin_config,
    )


def _phases(root: TableReader) -> tuple[Phase, ...]:
    root.seen.add("phases")
    raw = root.table.get("phases", [])
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        raise root.error("phases", "an array of tables [[phases]]", raw)
    phases = []
    for index, table in enumerate(raw):
        reader = TableReader(root.source, table, f"phases[{index}]", ("id", "name", "weeks"))
        phases.append(
            Phase(
                id=reader.require(
                    "id", slug_value, "a slug of lower-case letters, digits, - and _"
                ),
                name=reader.require("name", text_value, "a non-empty string"),
                weeks=reader.get("weeks", int_at_least(1), "a whole number of weeks ≥ 1", None),
            )
        )
        reader.finish()
    ids = [p.id for p in phases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise root.error("phases", "distinct phase ids", duplicates[0])
    return tuple(phases)


def _outcomes(root: TableReader, extra_families: Collection[str]) -> OutcomePolicy:
    out = root.sub("outcomes", required=True, keys=("positive", "families"))

    def family_name(value: Any) -> str | None:
        ok = isinstance(value, str) and SituationFamilies.is_valid_name(value)
        return cast(str, value) if ok else None

    no_families: tuple[str, ...] = ()
    families = out.get(
        "families", list_of(family_name), "a list of family names (slugs)", no_families
    )
    clash = sorted(set(families) & set(BUILTIN_FAMILIES))
    if clash:
        raise out.error("families", "families other than the built-in ones", clash[0])
    known = set(BUILTIN_FAMILIES) | set(families) | set(extra_families)
    positive = out.require(
        "positive",
        list_of(lambda v: v if isinstance(v, str) and v in known else None),
        "a non-empty list of distinct situation families (" + ", ".join(sorted(known)) + ")",
    )
    if not positive:
        raise out.error("positive", "at least one family", [])
    if "unreachable" in positive:
        raise out.error("positive", "families other than unreachable", "unreachable")
    out.finish()
    return OutcomePolicy(positive=positive, families=families)


def read_programme_text(path: str | Path) -> str:
    """The text of a programme file.

    :raises ConfigError: the file cannot be read or is not UTF-8.
    """
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{file}: cannot read the programme file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: the programme file is not UTF-8 text") from None


def load_programme(path: str | Path, extra_families: Collection[str] = ()) -> Programme:
    """Read and check a programme file.

    :raises ConfigError: the file is missing, is not TOML, or has a wrong key.
    """
    return loads_programme(read_programme_text(path), str(path), extra_families)


def loads_programme(
    text: str, source: str = "<programme>", extra_families: Collection[str] = ()
) -> Programme:
    """Parse and check programme TOML given as text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: not valid TOML: {error}") from None
    return parse_programme(data, source, extra_families)
