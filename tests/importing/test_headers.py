"""Headers as sites write them: French names out of the box, and a site's own in import.columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from insertion_core import ConfigError, DataError
from insertion_core.domain.programme import loads_programme
from insertion_core.importing import import_file

from .conftest import PROGRAMME_TOML, open_workspace, snapshot, write

TODAY = dt.date(2025, 6, 30)
MAPPED = PROGRAMME_TOML + '\n[import.columns]\n"N° dossier" = "participant_id"\n'


def refused(header: str, tmp_path: Path, toml: str = PROGRAMME_TOML) -> tuple[Path, list[str]]:
    """A participants file with this header line, and the problems its import reports."""
    workspace = open_workspace(toml)
    f = write(tmp_path / "p.csv", header + "\n")
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "participants", f, today=TODAY)
    assert snapshot(workspace)["journeys"] == []
    return f, [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    "header",
    [
        "Identifiant;Promotion;Date d'entrée;Date de naissance;Niveau de diplôme;Prénom;Nom",
        "IDENTIFIANT;cohorte;date d\u2019entree;DATE DE NAISSANCE;niveau de diplome;prenom;NOM",
    ],
)
def test_french_participant_headers(tmp_path: Path, header: str) -> None:
    workspace = open_workspace()
    f = write(
        tmp_path / "participants.csv", f"{header}\nP1;C1;09/09/2024;01/03/2006;3;Léa;Martin\n"
    )
    summary = import_file(workspace, "demo", "participants", f, today=TODAY)
    assert summary.counts["participants"].added == 1
    (journey,) = snapshot(workspace)["journeys"]
    assert (journey.participant.cohort_id, str(journey.participant.entry_date)) == (
        "C1",
        "2024-09-09",
    )
    (personal,) = snapshot(workspace)["personal"]
    assert (personal.first_name, personal.last_name) == ("Léa", "Martin")


def test_french_exit_headers(tmp_path: Path) -> None:
    workspace = open_workspace()
    import_file(
        workspace,
        "demo",
        "participants",
        write(tmp_path / "p.csv", "Identifiant;Promotion;Date d'entrée\nP1;C1;09/09/2024\n"),
        today=TODAY,
    )
    f = write(
        tmp_path / "sorties.csv",
        "Identifiant;Date de sortie;Motif de sortie;Situation à la sortie\n"
        "P1;01/03/2025;completed;employment\n",
    )
    summary = import_file(workspace, "demo", "exits", f, today=TODAY)
    assert summary.counts["exits"].added == 1


def test_site_header_mapped_in_import_columns(tmp_path: Path) -> None:
    workspace = open_workspace(MAPPED)
    f = write(tmp_path / "p.csv", "n° DOSSIER;Promotion;Date d'entrée\nP1;C1;09/09/2024\n")
    import_file(workspace, "demo", "participants", f, today=TODAY)
    assert [j.participant_id for j in snapshot(workspace)["journeys"]] == ["P1"]


def test_unmapped_site_header_is_still_refused(tmp_path: Path) -> None:
    f, found = refused("N° dossier;Promotion;Date d'entrée", tmp_path)
    assert found[0].startswith(
        f"{f}:1: N° dossier: unknown column; the columns of participants files are"
    )


def test_two_headers_for_one_column_names_both(tmp_path: Path) -> None:
    f, found = refused("participant_id;Identifiant;Promotion;Date d'entrée", tmp_path)
    assert found == [
        f"{f}:1: Identifiant: 'participant_id' (column 1) and 'Identifiant' (column 2) "
        "both name the column participant_id; keep one of the two"
    ]


def test_header_mapped_to_a_second_column_names_both(tmp_path: Path) -> None:
    toml = PROGRAMME_TOML + '\n[import.columns]\n"counsellor" = "referrer"\n'
    f, found = refused("participant_id;cohort_id;entry_date;Counsellor", tmp_path, toml)
    assert found == [
        f"{f}:1: Counsellor: this header is the column counsellor and is also mapped to "
        "referrer by 'counsellor' in the programme's import.columns; remove one of the two"
    ]


def test_two_mappings_of_one_header_name_both(tmp_path: Path) -> None:
    toml = (
        PROGRAMME_TOML + '\n[import.columns]\n"Référent" = "counsellor"\n"referent" = "referrer"\n'
    )
    f, found = refused("participant_id;cohort_id;entry_date", tmp_path, toml)
    assert found == [
        f"{f}:1: referent: the programme's import.columns maps 'Référent' to counsellor and "
        "'referent' to referrer, and headers are compared without case or accents: "
        "keep one of the two"
    ]


def test_import_columns_must_name_a_column() -> None:
    with pytest.raises(ConfigError) as info:
        loads_programme(PROGRAMME_TOML + '\n[import.columns]\n"N° dossier" = 3\n')
    assert "import.columns.N° dossier: expected a canonical column name, got 3" in str(info.value)


def test_import_columns_are_kept_in_the_programme() -> None:
    programme = loads_programme(MAPPED)
    assert programme.import_.columns == (("N° dossier", "participant_id"),)


def test_a_french_header_in_ignore_columns_is_skipped(tmp_path: Path) -> None:
    toml = PROGRAMME_TOML.replace('ignore_columns = ["Commentaires"]', 'ignore_columns = ["Nom"]')
    workspace = open_workspace(toml)
    f = write(
        tmp_path / "p.csv", "Identifiant;Promotion;Date d'entrée;Nom\nP1;C1;09/09/2024;Martin\n"
    )
    import_file(workspace, "demo", "participants", f, today=TODAY)
    (personal,) = snapshot(workspace)["personal"]
    assert personal is None or personal.last_name is None
