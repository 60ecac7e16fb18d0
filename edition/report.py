"""Report a run: diagnostics to stderr (or JSON to stdout), a summary line, and the exit code."""

from __future__ import annotations

import click

from .diagnostics import Diagnostic, Severity, promote_warnings, sort_diagnostics, summary_line, to_json

EXIT_CLEAN = 0
EXIT_DOCUMENT_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


def finish(diagnostics: list[Diagnostic], file_count: int, *, strict: bool, output: str = "text",
           quiet: bool = False) -> int:
    """Print what was found and decide the exit code, in this one place."""
    if strict:
        diagnostics = promote_warnings(diagnostics)
    diagnostics = sort_diagnostics(diagnostics)
    if output == "json":
        click.echo(to_json(diagnostics, file_count))
    else:
        for diagnostic in diagnostics:
            click.echo(diagnostic.format(), err=True)
        if not quiet or diagnostics:
            click.echo(summary_line(diagnostics, file_count), err=True)
    return exit_code(diagnostics)


def exit_code(diagnostics: list[Diagnostic]) -> int:
    return EXIT_DOCUMENT_ERRORS if any(d.severity is Severity.ERROR for d in diagnostics) else EXIT_CLEAN
