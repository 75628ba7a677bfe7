"""The two fact engines read the rules' constants from outcomes/rules.py and repeat none of them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import insertion_core
from insertion_core.domain.codes import Contract
from insertion_core.domain.situations import BUILTIN_FAMILIES
from insertion_core.outcomes import rules

PACKAGE = Path(insertion_core.__file__).parent
ENGINES = [
    "outcomes/reference.py",
    "outcomes/checkins.py",
    "outcomes/observations.py",
    "outcomes/settled.py",
    "default_plugins/sql/facts.py",
]

#: Values only rules.py may spell out.
RULE_TEXTS = {*BUILTIN_FAMILIES, *(c.value for c in Contract), rules.DROPOUT, rules.NO_OUTCOME}
RULE_NUMBERS = {
    rules.DURABLE_TIMED_CONTRACT_MONTHS,
    rules.ESF_UPON_LEAVING_DAYS,
    rules.ESF_LONG_TERM_MONTHS,
    rules.ESF_SIX_MONTHS_TOLERANCE,
}


def literals(source: str) -> list[tuple[int, object]]:
    """(line, value) of every text and number constant of a module, docstrings left out."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and id(node) not in docstrings
    ]


def repeated_rules(source: str) -> list[tuple[int, object]]:
    found = []
    for line, value in literals(source):
        if isinstance(value, bool):
            continue
        if (isinstance(value, str) and value.lower() in RULE_TEXTS) or (
            isinstance(value, int) and value in RULE_NUMBERS
        ):
            found.append((line, value))
        elif isinstance(value, str) and value.isdigit() and int(value) in RULE_NUMBERS:
            found.append((line, value))  # a number written as SQL text
    return sorted(found, key=lambda item: (item[0], str(item[1])))


@pytest.mark.parametrize("engine", ENGINES)
def test_no_engine_spells_out_a_rule_constant(engine: str) -> None:
    source = (PACKAGE / engine).read_text(encoding="utf-8")
    assert repeated_rules(source) == [], f"{engine}: use insertion_core.outcomes.rules instead"


def test_the_check_finds_a_repeated_constant() -> None:
    source = '''"""Docstring naming employment and 28 days."""
def f(family, months):
    """training"""
    return family == "employment" or months >= 6 or literal("28") or "Dropout" or 3
'''
    assert repeated_rules(source) == [(4, "28"), (4, 6), (4, "Dropout"), (4, "employment")]


def test_the_families_the_rules_name_are_builtin() -> None:
    named = {rules.EMPLOYMENT, rules.TRAINING, rules.UNREACHABLE, rules.ESF_SIX_MONTHS_FAMILY}
    assert named | set(rules.ESF_UPON_LEAVING.values()) <= set(BUILTIN_FAMILIES)
