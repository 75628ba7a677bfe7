"""What the html and xlsx documents say around the figures, in the programme's language.

The title without the internal id, the audience ("internal — not for
publication"), dates in the locale's form, the key to the marks of withheld
counts, the paragraph that tells the employment figures apart, and the
completeness of the optional fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from ..outcomes.report import Masked, Rate, Report, Tally
from .labels import words

__all__ = [
    "Facts",
    "completeness",
    "doc_words",
    "employment_note",
    "heading_facts",
    "local_date",
    "status_key",
    "uses_marks",
]

_MONTHS_EN = tuple(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)
_MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

_EN = {
    "audience.internal": "Internal — not for publication",
    "audience.public": "Published figures: counts of 1 to {k1} persons are protected",
    "title": "Outcome report — {name}",
    "as_of": "Figures as of",
    "basis": "Selected by",
    "period": "Period",
    "period.start": "Period from",
    "period.end": "Period to",
    "basis.entry": "date of entry",
    "basis.exit": "date of exit",
    "open": "start of data",
    "key": "Key",
    "key.small": "<{k}: a count of 1 to {k1} persons, not published",
    "key.withheld": "s: withheld so that a small count cannot be computed back from others",
    "key.merged": "{group} counted with {into} ({dim}), too few to be shown apart",
    "employment": "Four employment figures answer different questions. Access to employment "
    "counts leavers whose first positive outcome within the follow-up window is a job; "
    "employed upon leaving (ESF+) counts those in work within four weeks of leaving; "
    "employed six months after leaving (ESF+) looks at one day, six months on; durable "
    "employment exits (IAE) count open-ended or long contracts at the exit itself.",
    "completeness": "Completeness of the optional fields",
    "completeness.note": "Share of the selected participants for whom the field is known; "
    "breakdowns put the others in “unknown”.",
    "completeness.field": "field",
    "completeness.known": "known",
    "completeness.share": "share known",
    "field.birth_date": "birth date",
    "field.gender": "gender",
    "field.education_level": "education level",
    "field.qpv": "priority neighbourhood (QPV) resident",
    "field.status_at_entry": "status at entry",
    "chart.key_figures": "Key figures with their 95% intervals",
    "chart.key_figures.alt": "Bar chart of {n} rates; each bar is the rate, the whisker its "
    "95% interval{targets}. The table beside it gives every value.",
    "chart.targets": ", the black tick the target",
    "chart.trend": "Key rates by year, with their 95% intervals",
    "chart.trend.alt": "Line chart of {n} rates over {years} years; each dot is the year's rate "
    "and its vertical line the 95% interval. The table beside it gives every value.",
    "chart.trend.year": "year",
    "chart.time": "Share of leavers with a positive outcome by day after exit",
    "chart.time.alt": "Step chart of {n} curves: the Kaplan–Meier share of leavers with a "
    "first positive outcome by day after exit, with its 95% interval as a band; under it, "
    "the numbers still followed on days {days}. The table beside it gives every value.",
    "chart.time.at_risk": "Still followed on day",
    "chart.time.whole": "all leavers",
    "chart.pathway": "From entry to outcome",
    "chart.pathway.alt": "Three stacked bars: the selected participants by where they are "
    "(in the programme, window still open, neutralised, window closed); then the leavers "
    "whose window is closed by outcome class. The table beside it gives every count.",
    "chart.pathway.selected": "Selected participants",
    "chart.pathway.mature": "Leavers, window closed",
    "target": "target",
    "class.dropout": "dropout",
    "class.none": "no outcome",
    "table.chart": "Figures of the chart",
    "definitions": "Definitions",
    "nowrap.count": "n/N",
    "xlsx.about": "Report",
    "xlsx.provenance": "Provenance",
    "xlsx.generated_at": "generated at",
    "xlsx.library": "software",
    "xlsx.data_sha256": "data fingerprint (sha256)",
    "xlsx.fingerprint": "definitions fingerprint",
    "xlsx.set_version": "definitions version of",
    "xlsx.parameter": "parameter",
    "xlsx.ci_low": "95% CI low",
    "xlsx.ci_high": "95% CI high",
    "xlsx.numerator": "numerator",
    "xlsx.denominator": "denominator",
    "xlsx.status": "status",
    "xlsx.mark": "mark",
    "xlsx.group": "group",
    "code": "code",
    "status.shown": "shown",
    "status.small": "small",
    "status.withheld": "withheld",
}

_FR = {
    "audience.internal": "Interne — ne pas diffuser",
    "audience.public": "Chiffres publiables : les effectifs de 1 à {k1} personnes sont protégés",
    "title": "Rapport de résultats — {name}",
    "as_of": "Chiffres au",
    "basis": "Sélection par",
    "period": "Période",
    "period.start": "Début de période",
    "period.end": "Fin de période",
    "basis.entry": "date d'entrée",
    "basis.exit": "date de sortie",
    "open": "début des données",
    "key": "Légende",
    "key.small": "<{k} : effectif de 1 à {k1} personnes, non publié",
    "key.withheld": "s : masqué pour qu'un petit effectif ne puisse pas être recalculé",
    "key.merged": "{group} compté avec {into} ({dim}), trop peu nombreux pour être montré à part",
    "employment": "Quatre chiffres de l'emploi répondent à des questions différentes. "
    "L'accès à l'emploi compte les sortants dont la première situation positive pendant la "
    "période de suivi est un emploi ; « en emploi à la sortie » (FSE+) compte ceux qui "
    "travaillent dans les quatre semaines suivant la sortie ; « en emploi six mois après » "
    "(FSE+) regarde un seul jour, six mois plus tard ; les sorties en emploi durable (IAE) "
    "comptent les CDI et contrats longs obtenus à la sortie même.",
    "completeness": "Complétude des champs facultatifs",
    "completeness.note": "Part des participants sélectionnés pour lesquels le champ est "
    "renseigné ; les répartitions classent les autres en « inconnu ».",
    "completeness.field": "champ",
    "completeness.known": "renseignés",
    "completeness.share": "part renseignée",
    "field.birth_date": "date de naissance",
    "field.gender": "genre",
    "field.education_level": "niveau de formation",
    "field.qpv": "résidence en quartier prioritaire (QPV)",
    "field.status_at_entry": "situation à l'entrée",
    "chart.key_figures": "Chiffres clés et leurs intervalles à 95 %",
    "chart.key_figures.alt": "Diagramme en barres de {n} taux ; chaque barre est le taux, "
    "le trait son intervalle à 95 %{targets}. Le tableau à côté donne chaque valeur.",
    "chart.targets": ", le repère noir l'objectif",
    "chart.trend": "Taux clés par année et leurs intervalles à 95 %",
    "chart.trend.alt": "Graphique en lignes de {n} taux sur {years} années ; chaque point est "
    "le taux de l'année et son trait vertical l'intervalle à 95 %. Le tableau à côté donne "
    "chaque valeur.",
    "chart.trend.year": "année",
    "chart.time": "Part des sortants en situation positive selon le nombre de jours après la "
    "sortie",
    "chart.time.alt": "Courbes en escalier ({n}) : la part de Kaplan–Meier des sortants ayant "
    "trouvé une première situation positive selon le jour après la sortie, avec son intervalle "
    "à 95 % en bande ; dessous, les effectifs encore suivis aux jours {days}. Le tableau à côté "
    "donne chaque valeur.",
    "chart.time.at_risk": "Encore suivis au jour",
    "chart.time.whole": "tous les sortants",
    "chart.pathway": "De l'entrée à la situation de sortie",
    "chart.pathway.alt": "Trois barres empilées : les participants sélectionnés selon leur "
    "situation (en parcours, suivi en cours, neutralisés, suivi terminé) ; puis les sortants "
    "dont le suivi est terminé, par situation. Le tableau à côté donne chaque effectif.",
    "chart.pathway.selected": "Participants sélectionnés",
    "chart.pathway.mature": "Sortants, suivi terminé",
    "target": "objectif",
    "class.dropout": "abandon",
    "class.none": "sans solution",
    "table.chart": "Chiffres du graphique",
    "definitions": "Définitions",
    "nowrap.count": "n/N",
    "xlsx.about": "Rapport",
    "xlsx.provenance": "Provenance",
    "xlsx.generated_at": "produit le",
    "xlsx.library": "logiciel",
    "xlsx.data_sha256": "empreinte des données (sha256)",
    "xlsx.fingerprint": "empreinte des définitions",
    "xlsx.set_version": "version des définitions de",
    "xlsx.parameter": "paramètre",
    "xlsx.ci_low": "IC 95 % bas",
    "xlsx.ci_high": "IC 95 % haut",
    "xlsx.numerator": "numérateur",
    "xlsx.denominator": "dénominateur",
    "xlsx.status": "statut",
    "xlsx.mark": "repère",
    "xlsx.group": "groupe",
    "code": "code",
    "status.shown": "affiché",
    "status.small": "petit effectif",
    "status.withheld": "masqué (secret)",
}


def doc_words(locale: str) -> dict[str, str]:
    """The report formats' words and this module's in ``locale`` (French for ``fr``)."""
    return {**words(locale), **(_FR if locale == "fr" else _EN)}


def local_date(day: dt.date, locale: str) -> str:
    """``3 mars 2026`` in French, ``3 March 2026`` in English: the form readers write.

    JSON and plain CSV keep ISO dates for machines; documents people read use this.
    """
    if locale == "fr":
        first = "1er" if day.day == 1 else str(day.day)
        return f"{first} {_MONTHS_FR[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


@attrs.frozen
class Facts:
    """The heading of a document: title, audience line, and labelled fields (dates as dates)."""

    title: str
    audience: str
    fields: tuple[tuple[str, str | dt.date], ...]


def heading_facts(report: Report) -> Facts:
    """The title (the programme's name, not its id), the audience and what was counted."""
    d = doc_words(report.locale)
    name = report.programme_name or report.programme
    if report.audience == "internal":
        audience = d["audience.internal"]
    else:
        audience = d["audience.public"].format(k1=max(report.min_cell - 1, 0))
    start: str | dt.date = report.start if report.start else d["open"]
    fields: tuple[tuple[str, str | dt.date], ...] = (
        (d["as_of"], report.as_of),
        (d["basis"], d[f"basis.{report.basis}"]),
        (d["period.start"], start),
        (d["period.end"], report.end),
    )
    return Facts(d["title"].format(name=name), audience, fields)


def _figures(report: Report) -> Iterator[object]:
    yield from report.population.values()
    groups = [
        report.indicators,
        *(g.indicators for gs in report.breakdowns.values() for g in gs.values()),
    ]
    for populations in (g.population for gs in report.breakdowns.values() for g in gs.values()):
        yield from populations.values()
    for indicators in groups:
        for value in indicators.values():
            if isinstance(value, Rate):
                yield value.numerator
                yield value.denominator
            elif isinstance(value, Tally):
                yield value.count
                yield from value.by_gender.values()


def uses_marks(report: Report) -> set[str]:
    """Which marks the report uses: ``small`` and/or ``withheld``."""
    return {f.reason for f in _figures(report) if isinstance(f, Masked)}


def status_key(report: Report) -> str:
    """The key to the marks the report uses, on one line; empty when it uses none."""
    d = doc_words(report.locale)
    k = report.min_cell
    used = uses_marks(report)
    parts = []
    if "small" in used:
        parts.append(d["key.small"].format(k=k, k1=k - 1))
    if "withheld" in used:
        parts.append(d["key.withheld"])
    w = words(report.locale)
    for merge in report.merged:
        parts.append(
            d["key.merged"].format(
                group=w.get(f"group.{merge.group}", merge.group),
                into=w.get(f"group.{merge.into}", merge.into),
                dim=w.get(f"dim.{merge.dimension}", merge.dimension),
            )
        )
    return " ; ".join(parts) if report.locale == "fr" else "; ".join(parts)


def employment_note(report: Report) -> str:
    """The paragraph that tells the employment figures apart, when the report has two of them."""
    employment = (
        "employment_rate",
        "esf_employment_upon_leaving",
        "esf_employment_six_months",
        "durable_employment_rate",
    )
    shown = [i for i in employment if i in report.indicators]
    return doc_words(report.locale)["employment"] if len(shown) >= 2 else ""


def completeness(report: Report) -> list[tuple[str, int, float | None]]:
    """For each optional field: its label, how many participants have it, and the share."""
    d = doc_words(report.locale)
    selected = report.population.get("selected")
    total = selected if isinstance(selected, int) else 0
    return [
        (d.get(f"field.{field}", field), known, known / total if total else None)
        for field, known in report.completeness.items()
    ]
