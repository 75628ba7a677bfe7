"""User-facing words of the report formats, in the programme's locale (fr or en)."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["Words", "words"]

Words = Mapping[str, str]

_EN: dict[str, str] = {
    "title": "Outcome report",
    "as_of": "as of",
    "basis": "basis",
    "basis.entry": "entry cohorts",
    "basis.exit": "exits",
    "period": "period",
    "open": "start of data",
    "min_cell": "cells below {k} withheld",
    "no_min_cell": "internal — not for publication: exact counts, nothing withheld",
    "merged": "{group} counted with {into} in {dimension}, being small",
    "withheld_breakdown": "breakdown by {dimension} not published: it would give back a small count",
    "population": "Population",
    "population.selected": "selected",
    "population.in_programme": "in programme",
    "population.pending": "window still open",
    "population.neutralised": "neutralised",
    "population.mature": "mature (window closed)",
    "indicator": "indicator",
    "rate": "%",
    "counts": "n/N",
    "ci95": "95% CI",
    "count": "count",
    "by_gender": "F / M / X / unknown",
    "suppressed": "suppressed",
    "no_value": "n/a",
    "legend": "<{k}: small cell (1 to {k1}); s: withheld so that another cell "
    "cannot be computed back.",
    "set.key_figures": "Key figures",
    "set.esf_plus": "ESF+ common indicators",
    "set.dynamic_exits": "Dynamic exits (IAE)",
    "set.followup": "Follow-up compliance",
    "by": "Breakdown by",
    "dim.gender": "gender",
    "dim.age_band": "age band at entry",
    "dim.education": "education level",
    "dim.qpv": "QPV resident",
    "dim.cohort": "cohort",
    "group.unknown": "unknown",
    "group.yes": "yes",
    "group.no": "no",
    "group.under_18": "under 18",
    "group.18_21": "18-21",
    "group.22_25": "22-25",
    "group.26_plus": "26 and over",
    "group.none": "none",
    "provenance": "Generated {generated_at} by insertion-core {version}; data sha256 {sha}",
}

_FR: dict[str, str] = {
    "title": "Rapport de résultats",
    "as_of": "au",
    "basis": "base",
    "basis.entry": "cohortes d'entrée",
    "basis.exit": "sorties",
    "period": "période",
    "open": "début des données",
    "min_cell": "effectifs inférieurs à {k} masqués",
    "no_min_cell": "interne — ne pas diffuser : effectifs exacts, rien n'est masqué",
    "merged": "{group} compté avec {into} ({dimension}), effectif trop petit",
    "withheld_breakdown": "répartition par {dimension} non publiée : elle redonnerait un petit effectif",
    "population": "Population",
    "population.selected": "sélectionnés",
    "population.in_programme": "en parcours",
    "population.pending": "fenêtre de suivi ouverte",
    "population.neutralised": "neutralisés",
    "population.mature": "sorties mûres (fenêtre close)",
    "indicator": "indicateur",
    "rate": "%",
    "counts": "n/N",
    "ci95": "IC 95 %",
    "count": "effectif",
    "by_gender": "F / M / X / inconnu",
    "suppressed": "masqué",
    "no_value": "s.o.",
    "legend": "<{k} : petit effectif (1 à {k1}) ; s : masqué pour qu'un autre effectif "
    "ne puisse pas être recalculé.",
    "set.key_figures": "Chiffres clés",
    "set.esf_plus": "Indicateurs communs FSE+",
    "set.dynamic_exits": "Sorties dynamiques (IAE)",
    "set.followup": "Suivi post-sortie",
    "by": "Répartition par",
    "dim.gender": "genre",
    "dim.age_band": "tranche d'âge à l'entrée",
    "dim.education": "niveau de formation",
    "dim.qpv": "résident QPV",
    "dim.cohort": "promotion",
    "group.unknown": "inconnu",
    "group.yes": "oui",
    "group.no": "non",
    "group.under_18": "moins de 18 ans",
    "group.18_21": "18-21 ans",
    "group.22_25": "22-25 ans",
    "group.26_plus": "26 ans et plus",
    "group.none": "aucun",
    "provenance": "Produit le {generated_at} par insertion-core {version} ; "
    "empreinte des données sha256 {sha}",
}


def words(locale: str) -> Words:
    """The words of ``locale``: French for ``fr``, English otherwise."""
    return _FR if locale == "fr" else _EN
