"""The ``edition`` command line: validate and build editions, with one error boundary."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .check import check_edition
from .config import BuildConfig
from .diagnostics import shorten
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


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "formats", type=click.Choice(["pdf", "epub", "all"]), default="all", show_default=True,
              help="Which book to build.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Folder for the books.")
@click.option("--force", is_flag=True, help="Build even when the documents have errors.")
@strict_option
@quiet_option
def build(path: Path | None, formats: str, out_dir: Path, force: bool, strict: bool, quiet: bool) -> None:
    """Validate, then build the edition as PDF and/or EPUB into --out.

    The book is written to a temporary file and moved into place, so a failed build leaves the
    last good book where it was. Builds stop on document errors unless --force is given.
    """
    from .build import run_build

    config = BuildConfig(
        sources=tuple(_paths((path,) if path else ())),
        out_dir=out_dir,
        formats=("pdf", "epub") if formats == "all" else (formats,),
        strict=strict,
        quiet=quiet,
        force=force,
    )
    sys.exit(run_build(config))


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.option("--no-pages", is_flag=True, help="Skip the layout: locators without page numbers (fast).")
def index(path: Path | None, output: str, no_pages: bool) -> None:
    """Print the index data (entries, forms, locators with pages) for editors to review."""
    from .build import print_index

    sys.exit(print_index(_paths((path,) if path else ()), output, pages=not no_pages))


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats(path: Path | None, output: str) -> None:
    """Count the edition: register entries, mentions, notes, emendations, apparatus, cross-references."""
    import json

    from .model import build_book
    from .stats import count_book

    edition, _ = load_edition(_paths((path,) if path else ()))
    counts = count_book(build_book(edition))
    if output == "json":
        click.echo(json.dumps(counts, indent=2))
    else:
        width = max(map(len, counts))
        for name, value in counts.items():
            click.echo(f"{name:<{width}}  {value:>6}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage errors exit 2, internal errors print one line (traceback with --debug)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(args=args, prog_name="edition", standalone_mode=True)
    except EditionError as error:
        click.echo(f"edition: {' '.join(str(error).split())}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as error:  # the boundary: nothing but one line reaches the user
        if "--debug" in args:
            traceback.print_exc()
        click.echo(
            f"edition: internal error: {type(error).__name__}: {shorten(' '.join(str(error).split()), 300)} "
            "(rerun with --debug for the traceback)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
