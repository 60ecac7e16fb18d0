"""Report a run: diagnostics to stderr (or JSON to stdout), a summary line, and the exit code."""

from __future__ import annotations

import click

from .diagnostics import (
    Diagnostic,
    Severity,
    collapse_floods,
    promote_warnings,
    sort_diagnostics,
    summary_line,
    to_json,
)

EXIT_CLEAN = 0
EXIT_DOCUMENT_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


def finish(diagnostics: list[Diagnostic], file_count: int, *, strict: bool, output: str = "text",
           quiet: bool = False) -> int:
    """Print what was found and decide the exit code, in this one place.

    A flood of one rule is shown as a few findings and a count; the summary counts every finding.
    """
    if strict:
        diagnostics = promote_warnings(diagnostics)
    diagnostics = sort_diagnostics(diagnostics)
    shown = collapse_floods(diagnostics)
    if output == "json":
        click.echo(to_json(shown, file_count, counted=diagnostics))
    else:
        for diagnostic in shown:
            click.echo(diagnostic.format(), err=True)
        if not quiet or diagnostics:
            click.echo(summary_line(diagnostics, file_count), err=True)
    return exit_code(diagnostics)


def exit_code(diagnostics: list[Diagnostic]) -> int:
    return EXIT_DOCUMENT_ERRORS if any(d.severity is Severity.ERROR for d in diagnostics) else EXIT_CLEAN
