"""The constants of the outcome rules, defined once for every engine that computes facts.

The reference engine (:mod:`insertion_core.outcomes.reference`) and a
storage's pushed-down one (the SQL storage's ``default_plugins/sql/facts.py``)
both read these, so a rule changed here changes in both; docs/indicators.md
states the rules in words.
"""

from __future__ import annotations

from ..domain.codes import Contract

__all__ = [
    "DROPOUT",
    "DURABLE_CONTRACTS",
    "DURABLE_TIMED_CONTRACT_MONTHS",
    "EMPLOYMENT",
    "ESF_LONG_TERM_MONTHS",
    "ESF_SIX_MONTHS_FAMILY",
    "ESF_SIX_MONTHS_TOLERANCE",
    "ESF_UPON_LEAVING",
    "ESF_UPON_LEAVING_DAYS",
    "NO_OUTCOME",
    "TIMED_CONTRACTS",
    "TRAINING",
    "UNREACHABLE",
]

#: The situation families the rules name.
EMPLOYMENT = "employment"
TRAINING = "training"
#: A contact in this family did not reach the participant: no response, no check-in reached.
UNREACHABLE = "unreachable"

#: The outcome class of a mature dropout, and of a mature participant with no positive outcome.
DROPOUT = "dropout"
NO_OUTCOME = "none"

#: Dynamic exits (IAE): an employment exit on one of these contracts is durable.
DURABLE_CONTRACTS: tuple[Contract, ...] = (
    Contract.CDI,
    Contract.SELF_EMPLOYED,
    Contract.APPRENTICESHIP,
)
#: Fixed-term contracts, durable when they last at least DURABLE_TIMED_CONTRACT_MONTHS.
TIMED_CONTRACTS: tuple[Contract, ...] = (Contract.CDD, Contract.INTERIM)
DURABLE_TIMED_CONTRACT_MONTHS = 6

#: ESF+ "upon leaving": within four weeks after the exit date.
ESF_UPON_LEAVING_DAYS = 28
#: ESF+ situations upon leaving: each flag of the facts, and the family observed for it.
ESF_UPON_LEAVING: dict[str, str] = {
    "job_searching_upon_leaving": "job_search",
    "training_upon_leaving": TRAINING,
    "employment_upon_leaving": EMPLOYMENT,
}
#: ESF+ longer-term result: the situation this many months after the exit...
ESF_LONG_TERM_MONTHS = 6
#: ...seen within this many days of that date, either side (this library's tolerance)...
ESF_SIX_MONTHS_TOLERANCE = 31
#: ...in this family.
ESF_SIX_MONTHS_FAMILY = EMPLOYMENT
