"""Programme configuration (docs/data-formats.md, The programme file): the sample file, the defaults, and every error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given

from insertion_core.domain import EducationLevel, Phase, Programme, loads_programme
from insertion_core.domain.programme import (
    AttendancePolicy,
    EligibilityPolicy,
    FollowUpPolicy,
    ImportPolicy,
    OutcomePolicy,
    ReportingPolicy,
)
from insertion_core.domain.targets import Target
from insertion_core.errors import ConfigError
from insertion_core.programme_file import load_programme

from .strategies import programmes, to_toml

MINIMAL = """\
[programme]
id = "p1"
name = "Programme one"

[followup]
months = 6
checkpoints = [1, 3, 6]

[outcomes]
positive = ["employment", "training"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_sample_site_file_loads(sample_programme: Path) -> None:
    programme = load_programme(sample_programme)
    assert programme.id == "sample-site"
    assert programme.name == "Sample site"
    assert programme.duration_months == 5
    assert programme.label == "Grande École du Numérique"
    assert programme.locale == "fr"
    assert programme.eligibility == EligibilityPolicy(16, 25, EducationLevel.L4)
    assert [p.id for p in programme.phases] == ["accueil", "projets", "orientation"]
    assert programme.phases[1] == Phase("projets", "Projets", 16)
    assert programme.followup == FollowUpPolicy(6, (1, 3, 6), grace_days=10, overdue_days=30)
    assert programme.outcomes == OutcomePolicy(("employment", "training"))
    assert programme.reporting.basis == "exit"
    assert programme.reporting.min_cell == 11


def test_defaults_of_a_minimal_file(tmp_path: Path) -> None:
    programme = load_programme(write(tmp_path, MINIMAL))
    assert programme == Programme(
        id="p1",
        name="Programme one",
        followup=FollowUpPolicy(months=6, checkpoints=(1, 3, 6)),
        outcomes=OutcomePolicy(positive=("employment", "training")),
    )
    assert programme.locale == "en"
    assert programme.timezone == "Europe/Paris"
    assert programme.label is None
    assert programme.duration_months is None
    assert programme.eligibility == EligibilityPolicy(None, None, None)
    assert programme.phases == ()
    assert programme.followup.grace_days == 10
    assert programme.followup.overdue_days == 30
    assert programme.attendance == AttendancePolicy(at_risk_absences=3, at_risk_days=14)
    assert programme.outcomes.families == ()
    assert programme.reporting == ReportingPolicy(
        basis="entry",
        sets=("key_figures", "esf_plus", "dynamic_exits", "followup"),
        min_cell=11,
    )
    assert programme.import_ == ImportPolicy(ignore_columns=())
    assert programme.plugin_config == {"notify": {}, "plugins": {}}


def test_every_key_of_the_reference_layout(tmp_path: Path) -> None:
    text = """\
[programme]
id = "gonesse"
name = "Fabrique numérique de Gonesse"
duration_months = 5
label = "Grande École du Numérique"
locale = "fr"
timezone = "America/Cayenne"

[eligibility]
min_age = 16
max_age = 25
max_education_level = "2"

[[phases]]
id = "accueil"
name = "Accueil et diagnostic"
weeks = 2

[[phases]]
id = "stage"
name = "Stage"

[followup]
months = 12
checkpoints = [1, 3, 6, 12]
grace_days = 5
overdue_days = 45

[attendance]
at_risk_absences = 4
at_risk_days = 21

[outcomes]
positive = ["employment", "civic_plus", "training"]
families = ["civic_plus"]

[reporting]
basis = "exit"
sets = ["key_figures"]
min_cell = 0

[import]
ignore_columns = ["Commentaires", "Remarques"]

[notify.smtp]
host = "smtp.example.org"

[plugins.my_site]
colour = "blue"
"""
    programme = load_programme(write(tmp_path, text))
    assert programme == Programme(
        id="gonesse",
        name="Fabrique numérique de Gonesse",
        duration_months=5,
        label="Grande École du Numérique",
        locale="fr",
        timezone="America/Cayenne",
        eligibility=EligibilityPolicy(16, 25, EducationLevel.L2),
        phases=(Phase("accueil", "Accueil et diagnostic", 2), Phase("stage", "Stage", None)),
        followup=FollowUpPolicy(12, (1, 3, 6, 12), grace_days=5, overdue_days=45),
        attendance=AttendancePolicy(4, 21),
        outcomes=OutcomePolicy(("employment", "civic_plus", "training"), ("civic_plus",)),
        reporting=ReportingPolicy("exit", ("key_figures",), 0),
        import_=ImportPolicy(("Commentaires", "Remarques")),
    )
    # plugin tables are kept raw, for the plugin to check
    assert programme.plugin_config == {
        "notify": {"smtp": {"host": "smtp.example.org"}},
        "plugins": {"my_site": {"colour": "blue"}},
    }
    assert programme.phase_index("stage") == 1
    with pytest.raises(ValueError, match="unknown phase 'nope'"):
        programme.phase_index("nope")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("V", EducationLevel.L3),
        ("IV", EducationLevel.L4),
        ("VI", EducationLevel.NONE),
        ("none", EducationLevel.NONE),
        (3, EducationLevel.L3),
    ],
)
def test_education_level_accepts_codes_and_old_numerals(
    tmp_path: Path, text: object, expected: EducationLevel
) -> None:
    value = json.dumps(text)
    programme = load_programme(
        write(tmp_path, MINIMAL + f"[eligibility]\nmax_education_level = {value}\n")
    )
    assert programme.eligibility.max_education_level is expected


def test_families_declared_by_plugins_can_be_positive(tmp_path: Path) -> None:
    text = MINIMAL.replace('["employment", "training"]', '["employment", "own_business"]')
    path = write(tmp_path, text)
    with pytest.raises(
        ConfigError, match=r"outcomes\.positive: expected .*got \[.employment., .own_business.\]"
    ):
        load_programme(path)
    programme = load_programme(path, extra_families={"own_business"})
    assert programme.outcomes.positive == ("employment", "own_business")


def _replace(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new)


BAD = [
    # unknown keys, in every table, with the keys that are known there
    (
        "colour = 1\n" + MINIMAL,
        "colour: unknown key (known keys here: attendance, eligibility, followup, import, "
        "notify, outcomes, phases, plugins, privacy, programme, reporting, targets)",
    ),
    (
        _replace('name = "Programme one"', 'name = "Programme one"\nnmae = "x"'),
        "programme.nmae: unknown key "
        "(known keys here: duration_months, id, label, locale, name, timezone)",
    ),
    (
        MINIMAL + "[eligibility]\nmin_agee = 16\n",
        "eligibility.min_agee: unknown key "
        "(known keys here: max_age, max_education_level, min_age)",
    ),
    (
        _replace("months = 6", "months = 6\ngrace = 3"),
        "followup.grace: unknown key "
        "(known keys here: checkpoints, grace_days, months, overdue_days)",
    ),
    (
        MINIMAL + "colour = 1\n",
        "outcomes.colour: unknown key (known keys here: families, positive)",
    ),
    # a misspelt required key is named, rather than reported as the missing one
    (
        _replace("months = 6", "mois = 6"),
        "followup.mois: unknown key "
        "(known keys here: checkpoints, grace_days, months, overdue_days)",
    ),
    (
        _replace('id = "p1"', 'ident = "p1"'),
        "programme.ident: unknown key "
        "(known keys here: duration_months, id, label, locale, name, timezone)",
    ),
    (
        MINIMAL + "[attendance]\nabsences = 3\n",
        "attendance.absences: unknown key (known keys here: at_risk_absences, at_risk_days)",
    ),
    (
        MINIMAL + "[reporting]\nformat = 'csv'\n",
        "reporting.format: unknown key (known keys here: audience, basis, csv_dialect, min_cell, sets)",
    ),
    (
        MINIMAL + "[import]\nskip = []\n",
        "import.skip: unknown key (known keys here: columns, ignore_columns, sheets)",
    ),
    (
        MINIMAL + '[[phases]]\nid = "a"\nname = "A"\nlength = 2\n',
        "phases[0].length: unknown key (known keys here: id, name, weeks)",
    ),
    # missing required keys and tables
    (
        _replace('id = "p1"\n', ""),
        "programme.id: required key is missing "
        "(a slug of lower-case letters, digits, - and _, at most 64 characters)",
    ),
    (
        _replace('name = "Programme one"\n', ""),
        "programme.name: required key is missing (a non-empty string of at most 200 characters)",
    ),
    (
        _replace("months = 6\n", ""),
        "followup.months: required key is missing (a whole number of months from 1 to 120)",
    ),
    (
        _replace("checkpoints = [1, 3, 6]\n", ""),
        "followup.checkpoints: required key is missing "
        "(a list of distinct whole numbers of months from 1 to followup.months (6))",
    ),
    (
        _replace('positive = ["employment", "training"]\n', ""),
        "outcomes.positive: required key is missing (a non-empty list of distinct situation "
        "families (civic_service, employment, inactive, job_search, other, training, "
        "unreachable))",
    ),
    (
        MINIMAL.split("[followup]")[0] + '[outcomes]\npositive = ["training"]\n',
        "[followup]: required table is missing",
    ),
    (MINIMAL.split("\n", 3)[3], "[programme]: required table is missing"),
    (
        MINIMAL + '[[phases]]\nid = "a"\n',
        "phases[0].name: required key is missing (a non-empty string of at most 200 characters)",
    ),
    # bad values
    (
        _replace('id = "p1"', 'id = "Gonesse Site"'),
        "programme.id: expected a slug of lower-case letters, digits, - and _, "
        "at most 64 characters, got 'Gonesse Site'",
    ),
    (
        _replace('name = "Programme one"', 'name = "  "'),
        "programme.name: expected a non-empty string of at most 200 characters, got '  '",
    ),
    (
        _replace('name = "Programme one"', 'name = "P"\nduration_months = 2.5'),
        "programme.duration_months: expected a whole number of months from 1 to 120, got 2.5",
    ),
    (
        _replace('name = "Programme one"', 'name = "P"\nlabel = 3'),
        "programme.label: expected a non-empty string of at most 200 characters, got 3",
    ),
    (
        _replace('name = "Programme one"', 'name = "P"\nlocale = "de"'),
        'programme.locale: expected "fr" or "en", got \'de\'',
    ),
    (
        _replace('name = "Programme one"', 'name = "P"\ntimezone = "Mars/Olympus"'),
        "programme.timezone: expected an IANA time zone such as Europe/Paris, got 'Mars/Olympus'",
    ),
    ("programme = 3\n" + MINIMAL.split("\n", 3)[3], "programme: expected a table, got 3"),
    (
        MINIMAL + "[eligibility]\nmin_age = -1\n",
        "eligibility.min_age: expected a whole number of years from 0 to 120, got -1",
    ),
    (
        MINIMAL + "[eligibility]\nmax_age = true\n",
        "eligibility.max_age: expected a whole number of years from 0 to 120, got True",
    ),
    (
        MINIMAL + "[eligibility]\nmin_age = 26\nmax_age = 25\n",
        "eligibility.max_age: expected at least min_age (26), got 25",
    ),
    (
        MINIMAL + '[eligibility]\nmax_education_level = "bac"\n',
        "eligibility.max_education_level: expected an education level: none, 1 to 8, got 'bac'",
    ),
    (
        "phases = [1]\n" + MINIMAL,
        "phases: expected an array of tables [[phases]], got [1]",
    ),
    (
        MINIMAL + '[phases]\nid = "a"\n',
        "phases: expected an array of tables [[phases]], got {'id': 'a'}",
    ),
    (
        MINIMAL + '[[phases]]\nid = "a"\nname = "A"\n[[phases]]\nid = "a"\nname = "B"\n',
        "phases: expected distinct phase ids, got 'a'",
    ),
    (
        MINIMAL + '[[phases]]\nid = "Accueil"\nname = "A"\n',
        "phases[0].id: expected a slug of lower-case letters, digits, - and _, "
        "at most 64 characters, got 'Accueil'",
    ),
    (
        MINIMAL + '[[phases]]\nid = "a"\nname = "A"\nweeks = 0\n',
        "phases[0].weeks: expected a whole number of weeks from 1 to 520, got 0",
    ),
    (
        _replace("months = 6", "months = 0"),
        "followup.months: expected a whole number of months from 1 to 120, got 0",
    ),
    (
        _replace("months = 6", 'months = "6"'),
        "followup.months: expected a whole number of months from 1 to 120, got '6'",
    ),
    (
        _replace("[1, 3, 6]", "[3, 1]"),
        "followup.checkpoints: expected a non-empty list in increasing order, got [3, 1]",
    ),
    (
        _replace("[1, 3, 6]", "[]"),
        "followup.checkpoints: expected a non-empty list in increasing order, got []",
    ),
    (
        _replace("[1, 3, 6]", "[1, 1]"),
        "followup.checkpoints: expected a list of distinct whole numbers of months "
        "from 1 to followup.months (6), got [1, 1]",
    ),
    (
        _replace("[1, 3, 6]", "[0, 3]"),
        "followup.checkpoints: expected a list of distinct whole numbers of months "
        "from 1 to followup.months (6), got [0, 3]",
    ),
    (
        _replace("[1, 3, 6]", "[1, 12]"),
        "followup.checkpoints: expected a list of distinct whole numbers of months "
        "from 1 to followup.months (6), got [1, 12]",
    ),
    (
        _replace("months = 6", "months = 6\ngrace_days = -1"),
        "followup.grace_days: expected a whole number of days from 0 to 366, got -1",
    ),
    (
        _replace("months = 6", "months = 6\noverdue_days = 1.5"),
        "followup.overdue_days: expected a whole number of days from 0 to 366, got 1.5",
    ),
    (
        MINIMAL + "[attendance]\nat_risk_absences = 0\n",
        "attendance.at_risk_absences: expected a whole number of half-days from 1 to 100, got 0",
    ),
    (
        MINIMAL + "[attendance]\nat_risk_days = 0\n",
        "attendance.at_risk_days: expected a whole number of days from 1 to 366, got 0",
    ),
    (
        _replace('["employment", "training"]', '["employement"]'),
        "outcomes.positive: expected a non-empty list of distinct situation families "
        "(civic_service, employment, inactive, job_search, other, training, unreachable), "
        "got ['employement']",
    ),
    (
        _replace('["employment", "training"]', "[]"),
        "outcomes.positive: expected at least one family, got []",
    ),
    (
        _replace('["employment", "training"]', '["unreachable"]'),
        "outcomes.positive: expected families other than unreachable, got 'unreachable'",
    ),
    (
        MINIMAL + 'families = ["training"]\n',
        "outcomes.families: expected families other than the built-in ones, got 'training'",
    ),
    (
        MINIMAL + 'families = ["Civic Service"]\n',
        "outcomes.families: expected a list of family names (slugs), got ['Civic Service']",
    ),
    (
        MINIMAL + "[reporting]\nbasis = 'both'\n",
        'reporting.basis: expected "entry" or "exit", got \'both\'',
    ),
    (
        MINIMAL + "[reporting]\nsets = 'key_figures'\n",
        "reporting.sets: expected a list of distinct indicator set names, got 'key_figures'",
    ),
    (
        MINIMAL + "[reporting]\nsets = ['a', 'a']\n",
        "reporting.sets: expected a list of distinct indicator set names, got ['a', 'a']",
    ),
    (
        MINIMAL + "[reporting]\nmin_cell = '11'\n",
        "reporting.min_cell: expected a whole number from 0 to 1000, got '11'",
    ),
    (
        MINIMAL + "[reporting]\nmin_cell = -1\n",
        "reporting.min_cell: expected a whole number from 0 to 1000, got -1",
    ),
    (
        MINIMAL + "[reporting]\ncsv_dialect = 'excel'\n",
        'reporting.csv_dialect: expected "locale" or "plain", got \'excel\'',
    ),
    (
        MINIMAL + "[import]\nignore_columns = ['', 'x']\n",
        "import.ignore_columns: expected a list of column names, got ['', 'x']",
    ),
    (
        MINIMAL + "[targets]\nremobilisation_rate = '85 %'\n",
        "targets.remobilisation_rate: expected a number at least 0, or a table "
        "{ at_least = N } or { at_most = N }, got '85 %'",
    ),
    (
        MINIMAL + "[targets]\ndropout_rate = { below = 0.1 }\n",
        "targets.dropout_rate: expected a number at least 0, or a table "
        "{ at_least = N } or { at_most = N }, got {'below': 0.1}",
    ),
    (
        MINIMAL + "[targets]\ndropout_rate = { at_most = 0.1, at_least = 0 }\n",
        "targets.dropout_rate: expected a number at least 0, or a table "
        "{ at_least = N } or { at_most = N }, got {'at_most': 0.1, 'at_least': 0}",
    ),
    (
        MINIMAL + "[targets]\nremobilisation_rate = -0.5\n",
        "targets.remobilisation_rate: expected a number at least 0, or a table "
        "{ at_least = N } or { at_most = N }, got -0.5",
    ),
    (
        MINIMAL + "[targets]\nremobilisation_rate = true\n",
        "targets.remobilisation_rate: expected a number at least 0, or a table "
        "{ at_least = N } or { at_most = N }, got True",
    ),
    ("notify = 3\n" + MINIMAL, "notify: expected a table, got 3"),
    ("programme = [\n", "not valid TOML: Invalid value (at end of document)"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_bad_file_is_an_error_naming_file_key_and_expectation(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_programme(path)
    # the first problem; a misspelt required key is also reported as missing, on the next line
    assert str(caught.value).splitlines()[0] == f"{path}: {message}"
    assert len(str(caught.value).splitlines()) == (
        2 if ".mois:" in message or ".ident:" in message else 1
    )


def test_every_problem_of_the_file_is_reported_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace('id = "p1"', 'id = "P1!"') + (
        '[attendance]\nat_risk_absences = 0\nat_risk_dayz = 3\n\n[reporting]\nbasis = "sortie"\n'
    )
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_programme(path)
    assert [line.removeprefix(f"{path}: ") for line in str(caught.value).splitlines()] == [
        "programme.id: expected a slug of lower-case letters, digits, - and _, at most 64 "
        "characters, got 'P1!'",
        "attendance.at_risk_dayz: unknown key (known keys here: at_risk_absences, at_risk_days)",
        "attendance.at_risk_absences: expected a whole number of half-days from 1 to 100, got 0",
        'reporting.basis: expected "entry" or "exit", got \'sortie\'',
    ]


def test_targets_keep_their_direction_and_order() -> None:
    programme = loads_programme(
        MINIMAL + "[targets]\nremobilisation_rate = 0.85\ndropout_rate = { at_most = 0.12 }\n"
        "exits = 40\n"
    )
    assert programme.targets == (
        Target("remobilisation_rate", 0.85, "at_least"),
        Target("dropout_rate", 0.12, "at_most"),
        Target("exits", 40.0, "at_least"),
    )
    assert loads_programme(MINIMAL).targets == ()


def test_loads_programme_names_the_source_it_is_given() -> None:
    with pytest.raises(ConfigError) as caught:
        loads_programme(MINIMAL + "colour = 1\n", "gonesse.toml")
    assert str(caught.value).startswith("gonesse.toml: outcomes.colour: unknown key")
    with pytest.raises(ConfigError) as caught:
        loads_programme(MINIMAL.replace('id = "p1"', 'id = "P"'))
    assert str(caught.value).startswith("<programme>: programme.id: expected a slug")


def test_an_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigError) as caught:
        load_programme(missing)
    assert (
        str(caught.value) == f"{missing}: cannot read the programme file: No such file or directory"
    )
    with pytest.raises(ConfigError) as caught:
        load_programme(tmp_path)
    assert str(caught.value) == f"{tmp_path}: cannot read the programme file: Is a directory"
    latin = tmp_path / "latin.toml"
    latin.write_bytes(MINIMAL.replace("one", "numérique").encode("cp1252"))
    with pytest.raises(ConfigError) as caught:
        load_programme(latin)
    assert str(caught.value) == f"{latin}: the programme file is not UTF-8 text"


@given(programmes())
def test_every_generated_programme_reads_back_from_toml(programme: Programme) -> None:
    assert loads_programme(to_toml(programme)) == programme
