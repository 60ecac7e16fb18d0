"""Diagnostics: what is wrong, where, and how serious, as plain values sorted for editors."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from enum import StrEnum

# A value quoted in a message is cut to this many characters; a message to this many.
QUOTE_LIMIT = 80
MESSAGE_LIMIT = 600
# More findings than this of one rule on one line, or in one file, are summed up in one line.
FLOOD_PER_LINE = 10
FLOOD_PER_FILE = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


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

    def __post_init__(self):
        # one line, whatever a file name, a value or libxml2 brought in: editors' tools read line by line
        object.__setattr__(self, "path", _one_line(self.path))
        object.__setattr__(self, "message", shorten(_one_line(self.message), MESSAGE_LIMIT))

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


def _one_line(text: str) -> str:
    if not _CONTROL.search(text) and "\u2028" not in text and "\u2029" not in text:
        return text
    text = re.sub(r"\s*[\r\n\u2028\u2029]+\s*", " ", text).strip()
    return _CONTROL.sub(lambda m: " " if m.group() == "\t" else f"\\x{ord(m.group()):02x}", text)


def shorten(value: str, limit: int = QUOTE_LIMIT) -> str:
    """A value as quoted in a message: at most ``limit`` characters, with the length said when cut."""
    if len(value) <= limit:
        return value
    said = f"… ({len(value):,} characters)"
    return value[: max(limit - len(said), 8)] + said


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """By file, then line and column; one copy of each."""
    return sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.column, d.rule, d.message))


def collapse_floods(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A flood of one rule (20,000 attributes on one element, say) as a few findings and one count.

    Past ``FLOOD_PER_LINE`` findings of a rule on one line, or ``FLOOD_PER_FILE`` in one file, the
    rest are summed up in one diagnostic where the first of them stands. Expects sorted input.
    """
    per_line: dict[tuple, list[Diagnostic]] = defaultdict(list)
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.line:
            per_line[(diagnostic.path, diagnostic.rule, diagnostic.line)].append(diagnostic)
        else:
            kept.append(diagnostic)
    for group in per_line.values():
        kept += _sum_up(group, FLOOD_PER_LINE, "on this line")
    per_file: dict[tuple, list[Diagnostic]] = defaultdict(list)
    for diagnostic in sort_diagnostics(kept):
        per_file[(diagnostic.path, diagnostic.rule)].append(diagnostic)
    result: list[Diagnostic] = []
    for group in per_file.values():
        result += _sum_up(group, FLOOD_PER_FILE, "in this file")
    return sort_diagnostics(result)


def _sum_up(group: list[Diagnostic], limit: int, where: str) -> list[Diagnostic]:
    if len(group) <= limit:
        return group
    rest = group[limit:]
    hidden = sum(_count_of(d) for d in rest)
    first = rest[0]
    summary = Diagnostic(first.path, first.line, first.column, first.severity, first.rule,
                         f"and {hidden:,} more [{first.rule}] findings {where}, not shown one by one")
    return group[:limit] + [summary]


def _count_of(diagnostic: Diagnostic) -> int:
    """How many findings a diagnostic stands for (a summary of a flood stands for many)."""
    match = re.match(r"and ([\d,]+) more \[", diagnostic.message)
    return int(match.group(1).replace(",", "")) if match else 1


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


def to_json(diagnostics: list[Diagnostic], file_count: int, counted: list[Diagnostic] | None = None) -> str:
    """The diagnostics shown, and a summary counting ``counted`` (every finding, floods included)."""
    counted = diagnostics if counted is None else counted
    errors = sum(d.severity is Severity.ERROR for d in counted)
    warnings = sum(d.severity is Severity.WARNING for d in counted)
    return json.dumps(
        {
            "diagnostics": [d.as_dict() for d in diagnostics],
            "summary": {"errors": errors, "warnings": warnings, "files": file_count},
        },
        ensure_ascii=False,
        indent=2,
    )
