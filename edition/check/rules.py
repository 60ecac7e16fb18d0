"""The catalogue of validation rules (``rules.toml``): each with an id, a severity, what it finds and why it has
that severity."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..diagnostics import Diagnostic, Severity
from ..load import Document


@dataclass(frozen=True)
class Rule:
    """A rule: an error when a book built despite it would be wrong, a warning when merely incomplete."""

    id: str
    severity: Severity
    summary: str
    why: str  # the reason for the severity, as the README's table of rules gives it


def _catalogue() -> dict[str, Rule]:
    with (Path(__file__).with_name("rules.toml")).open("rb") as handle:
        tables = tomllib.load(handle)
    return {rule_id: Rule(rule_id, Severity(table["severity"]), table["summary"], table["why"])
            for rule_id, table in tables.items()}


RULES: dict[str, Rule] = _catalogue()


def finding(document: Document, element: etree._Element, rule: str, message: str,
            attribute: str | None = None) -> Diagnostic:
    """A diagnostic for ``rule`` at an element (or one of its attributes) of a document."""
    path, line, column = document.locate(element, attribute)
    return Diagnostic(path, line, column, RULES[rule].severity, rule, message)
