"""The ``edition`` command line: validate and build editions, with one error boundary."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .check import check_edition
from .errors import EditionError
from .load import load_edition
from .report import EXIT_INTERNAL, EXIT_USAGE, finish

DEFAULT_EDITION = Path("tei")


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        return list(paths)
    if not DEFAULT_EDITION.is_dir():
        raise click.UsageError(f"no edition folder {DEFAULT_EDITION}/ here; give an edition folder or a TEI file")
    return [DEFAULT_EDITION]


path_arguments = click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[PATH]..."
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress or summary unless something is wrong.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edition")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an internal error.")
def cli(debug: bool) -> None:
    """Validate TEI P5 critical editions and build them as PDF and EPUB.

    PATH is an edition folder (one holding edition.xml, or any folder of TEI files) or a
    single TEI file; the default is the edition in tei/.
    """


@cli.command()
@path_arguments
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Diagnostics as editor-clickable lines on stderr, or as JSON on stdout.")
@strict_option
@quiet_option
def validate(paths: tuple[Path, ...], output: str, strict: bool, quiet: bool) -> None:
    """Check TEI files: well-formedness, schema, ids, pointers, apparatus, notes, dates, names.

    A file inside an edition is checked against the whole edition (its pointers resolve into
    the registers) but only its own diagnostics are shown.
    """
    edition, diagnostics = load_edition(_paths(paths))
    diagnostics += check_edition(edition)
    file_count = len(edition.focus) if edition.focus is not None else edition.file_count
    sys.exit(finish(diagnostics, file_count, strict=strict, output=output, quiet=quiet))


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage errors exit 2, internal errors print one line (traceback with --debug)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="edition", standalone_mode=True)
    except EditionError as error:
        click.echo(f"edition: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as error:  # the boundary: nothing but one line reaches the user
        if "--debug" in args:
            traceback.print_exc()
        click.echo(
            f"edition: internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
