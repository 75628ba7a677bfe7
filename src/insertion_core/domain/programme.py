"""A programme's configuration, parsed from the text of its TOML file (docs/data-formats.md,
The programme file).

Every key is checked: an unknown key or a bad value is a :class:`ConfigError`
that names the file, the key and what was expected. Tables named in
:data:`PLUGIN_TABLES` belong to plugins, which validate them themselves.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Collection, Mapping
from typing import Any, Literal, cast

import attrs

from ..errors import ConfigError
from .codes import EducationLevel
from .situations import BUILTIN_FAMILIES, SituationFamilies
from .targets import Target, parse_targets
from .toml_reader import (
    SLUG_MAX,
    TEXT_MAX,
    TableReader,
    education_level,
    int_between,
    list_of,
    one_of,
    slug_value,
    text_value,
    timezone_name,
)

__all__ = [
    "PLUGIN_TABLES",
    "RANGES",
    "AttendancePolicy",
    "EligibilityPolicy",
    "FollowUpPolicy",
    "ImportPolicy",
    "OutcomePolicy",
    "Phase",
    "PrivacyPolicy",
    "Programme",
    "ReportingPolicy",
    "loads_programme",
    "parse_programme",
]

#: Top-level tables kept raw for plugins: ``[notify.smtp]``, ``[plugins.my_site]``.
PLUGIN_TABLES = ("notify", "plugins")

DEFAULT_SETS = ("key_figures", "esf_plus", "dynamic_exits", "followup")

#: The range of every number in the programme file, inclusive (docs/data-formats.md): wide
#: enough for any real programme, narrow enough that no date arithmetic can overflow.
RANGES: Mapping[str, tuple[int, int]] = {
    "programme.duration_months": (1, 120),
    "eligibility.min_age": (0, 120),
    "eligibility.max_age": (0, 120),
    "phases.weeks": (1, 520),
    "followup.months": (1, 120),
    "followup.grace_days": (0, 366),
    "followup.overdue_days": (0, 366),
    "attendance.at_risk_absences": (1, 100),
    "attendance.at_risk_days": (1, 366),
    "reporting.min_cell": (0, 1000),
    "privacy.retention_months": (1, 120),
}

_SLUG = f"a slug of lower-case letters, digits, - and _, at most {SLUG_MAX} characters"
_TEXT = f"a non-empty string of at most {TEXT_MAX} characters"

Basis = Literal["entry", "exit"]
Audience = Literal["internal", "public"]
CsvDialect = Literal["locale", "plain"]


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
    #: ``internal`` (exact figures) or ``public`` (disclosure control with k = min_cell).
    audience: Audience = "internal"
    #: How ``--format csv`` is written: ``locale`` (what the locale's spreadsheets open)
    #: or ``plain`` (RFC 4180, full precision).
    csv_dialect: CsvDialect = "locale"


@attrs.frozen
class PrivacyPolicy:
    """How long personal data is kept (docs/personal-data.md, Retention)."""

    #: Months after the end of follow-up or the last contact, whichever is later, after
    #: which names, contact details, notes and absence reasons are erased.
    retention_months: int = 24


@attrs.frozen
class ImportPolicy:
    """Importer settings."""

    ignore_columns: tuple[str, ...] = ()
    #: ``[import.columns]``: a site's own header to a canonical column name, for every kind.
    columns: tuple[tuple[str, str], ...] = ()
    #: ``[import.sheets]``: a workbook's sheet name to the kind of rows it holds.
    sheets: tuple[tuple[str, str], ...] = ()


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
    privacy: PrivacyPolicy = PrivacyPolicy()
    #: The ``[targets]`` table, in the file's order (ids checked where the sets are known).
    targets: tuple[Target, ...] = ()
    plugin_config: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def phase_index(self, phase_id: str) -> int:
        """Position of ``phase_id`` in :attr:`phases`; ValueError when unknown."""
        for index, phase in enumerate(self.phases):
            if phase.id == phase_id:
                return index
        raise ValueError(f"unknown phase {phase_id!r}")


def parse_programme(
    data: Mapping[str, Any],
    source: str = "<programme>",
    extra_families: Collection[str] = (),
) -> Programme:
    """Build a :class:`Programme` from parsed TOML, checking every key.

    :param source: what to call the file in error messages.
    :param extra_families: situation families plugins declare, usable in ``outcomes.positive``.
    :raises ConfigError: naming ``source``, the key and what was expected; one line per
        problem, every problem of the file at once.
    """
    problems: list[ConfigError] = []
    root = TableReader(source, data, "", problems=problems)
    head = root.sub(
        "programme",
        required=True,
        keys=("id", "name", "duration_months", "label", "locale", "timezone"),
    )
    programme_id = head.require("id", slug_value, _SLUG)
    name = head.require("name", text_value, _TEXT)
    duration = head.get("duration_months", *_whole("programme.duration_months", " of months"), None)
    label = head.get("label", text_value, _TEXT, None)
    locale = head.get("locale", one_of("fr", "en"), '"fr" or "en"', "en")
    timezone = head.get(
        "timezone", timezone_name, "an IANA time zone such as Europe/Paris", "Europe/Paris"
    )
    head.finish()

    elig = root.sub("eligibility", keys=("min_age", "max_age", "max_education_level"))
    eligibility = EligibilityPolicy(
        min_age=elig.get("min_age", *_whole("eligibility.min_age", " of years"), None),
        max_age=elig.get("max_age", *_whole("eligibility.max_age", " of years"), None),
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
        elig.report(
            elig.error("max_age", f"at least min_age ({eligibility.min_age})", eligibility.max_age)
        )

    phases = _phases(root)

    follow = root.sub(
        "followup", required=True, keys=("months", "checkpoints", "grace_days", "overdue_days")
    )
    months = follow.require("months", *_whole("followup.months", " of months"))
    checkpoints = follow.require(
        "checkpoints",
        list_of(int_between(1, months or RANGES["followup.months"][1])),
        f"a list of distinct whole numbers of months from 1 to followup.months ({months})",
    )
    if checkpoints is not None and (list(checkpoints) != sorted(checkpoints) or not checkpoints):
        follow.report(
            follow.error("checkpoints", "a non-empty list in increasing order", list(checkpoints))
        )
    followup = FollowUpPolicy(
        months=months,
        checkpoints=checkpoints,
        grace_days=follow.get("grace_days", *_whole("followup.grace_days", " of days"), 10),
        overdue_days=follow.get("overdue_days", *_whole("followup.overdue_days", " of days"), 30),
    )
    follow.finish()

    att = root.sub("attendance", keys=("at_risk_absences", "at_risk_days"))
    attendance = AttendancePolicy(
        at_risk_absences=att.get(
            "at_risk_absences", *_whole("attendance.at_risk_absences", " of half-days"), 3
        ),
        at_risk_days=att.get("at_risk_days", *_whole("attendance.at_risk_days", " of days"), 14),
    )
    att.finish()
    if attendance.at_risk_absences > 2 * attendance.at_risk_days:
        att.report(
            att.error(
                "at_risk_absences",
                f"at most the {2 * attendance.at_risk_days} half-days of at_risk_days "
                f"({attendance.at_risk_days})",
                attendance.at_risk_absences,
            )
        )

    outcomes = _outcomes(root, extra_families)

    rep = root.sub("reporting", keys=("basis", "sets", "min_cell", "audience", "csv_dialect"))
    reporting = ReportingPolicy(
        basis=cast(Basis, rep.get("basis", one_of("entry", "exit"), '"entry" or "exit"', "entry")),
        sets=rep.get(
            "sets", list_of(slug_value), "a list of distinct indicator set names", DEFAULT_SETS
        ),
        min_cell=rep.get("min_cell", *_whole("reporting.min_cell", ""), 11),
        audience=cast(
            Audience,
            rep.get("audience", one_of("internal", "public"), '"internal" or "public"', "internal"),
        ),
        csv_dialect=cast(
            CsvDialect,
            rep.get("csv_dialect", one_of("locale", "plain"), '"locale" or "plain"', "locale"),
        ),
    )
    rep.finish()

    targets = parse_targets(root)

    priv = root.sub("privacy", keys=("retention_months",))
    privacy = PrivacyPolicy(
        retention_months=priv.get(
            "retention_months", *_whole("privacy.retention_months", " of months"), 24
        )
    )
    priv.finish()

    imp = root.sub("import", keys=("ignore_columns", "columns", "sheets"))
    import_policy = ImportPolicy(
        ignore_columns=imp.get("ignore_columns", list_of(text_value), "a list of column names", ()),
        columns=_name_map(imp.sub("columns"), "a canonical column name"),
        sheets=_name_map(imp.sub("sheets"), "a kind of file (participants, exits, ...)"),
    )
    imp.finish()

    plugin_config = {}
    for table in PLUGIN_TABLES:
        plugin_config[table] = root.sub(table).table
    root.finish()
    if problems:
        raise ConfigError("\n".join(str(problem) for problem in problems))

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
        privacy=privacy,
        targets=targets,
        plugin_config=plugin_config,
    )


def _whole(key: str, unit: str) -> tuple[Callable[[Any], int | None], str]:
    """The check of a number of :data:`RANGES` and what to call it in an error."""
    low, high = RANGES[key]
    return int_between(low, high), f"a whole number{unit} from {low} to {high}"


def _phases(root: TableReader) -> tuple[Phase, ...]:
    root.seen.add("phases")
    raw = root.table.get("phases", [])
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        root.report(root.error("phases", "an array of tables [[phases]]", raw))
        return ()
    phases = []
    for index, table in enumerate(raw):
        reader = TableReader(
            root.source, table, f"phases[{index}]", ("id", "name", "weeks"), root.problems
        )
        phases.append(
            Phase(
                id=reader.require("id", slug_value, _SLUG),
                name=reader.require("name", text_value, _TEXT),
                weeks=reader.get("weeks", *_whole("phases.weeks", " of weeks"), None),
            )
        )
        reader.finish()
    ids = [p.id for p in phases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        root.report(root.error("phases", "distinct phase ids", duplicates[0]))
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
        out.report(out.error("families", "families other than the built-in ones", clash[0]))
    known = set(BUILTIN_FAMILIES) | set(families) | set(extra_families)
    positive = out.require(
        "positive",
        list_of(lambda v: v if isinstance(v, str) and v in known else None),
        "a non-empty list of distinct situation families (" + ", ".join(sorted(known)) + ")",
    )
    if positive is not None and not positive:
        out.report(out.error("positive", "at least one family", []))
    if positive is not None and "unreachable" in positive:
        out.report(out.error("positive", "families other than unreachable", "unreachable"))
    out.finish()
    return OutcomePolicy(positive=positive, families=families)


def _name_map(table: TableReader, expected: str) -> tuple[tuple[str, str], ...]:
    """A table of names as the site writes them to the project's names, in key order."""
    mapped = ((key, table.get(key, slug_value, expected, "")) for key in sorted(table.table))
    return tuple((key, name) for key, name in mapped if name)


def loads_programme(
    text: str, source: str = "<programme>", extra_families: Collection[str] = ()
) -> Programme:
    """Parse and check programme TOML given as text (the caller reads the file).

    :param source: what to call the file in error messages.
    :param extra_families: situation families plugins declare, usable in ``outcomes.positive``.
    :raises ConfigError: the text is not TOML, or has a wrong key.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: not valid TOML: {error}") from None
    return parse_programme(data, source, extra_families)
