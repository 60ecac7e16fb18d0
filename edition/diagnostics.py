"""Diagnostics: what is wrong, where, and how serious, as plain values sorted for editors."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding at ``path:line:column`` (1-based; 0 when unknown)."""

    path: str
    line: int
    column: int
    severity: Severity
    rule: str
    message: str

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.severity.value}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """By file, then line and column; one copy of each."""
    return sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.column, d.rule, d.message))


def promote_warnings(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """``--strict``: every warning becomes an error."""
    return [
        Diagnostic(d.path, d.line, d.column, Severity.ERROR, d.rule, d.message)
        if d.severity is Severity.WARNING
        else d
        for d in diagnostics
    ]


def summary_line(diagnostics: list[Diagnostic], file_count: int) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(file_count, 'file')}"


def to_json(diagnostics: list[Diagnostic], file_count: int) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    return json.dumps(
        {
            "diagnostics": [d.as_dict() for d in diagnostics],
            "summary": {"errors": errors, "warnings": warnings, "files": file_count},
        },
        ensure_ascii=False,
        indent=2,
    )
