"""The ``edition`` command line: validate and build editions, with one error boundary."""

from __future__ import annotations

import faulthandler
import signal
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
    from .build import edition_settings, schema_settings

    edition, diagnostics = load_edition(_paths(paths))
    settings, found = edition_settings(edition, None)
    if edition.focus is None:
        diagnostics += found  # edition.toml is the edition's; a single file's check leaves it out
    diagnostics += check_edition(edition, schema_settings(settings))
    file_count = len(edition.focus) if edition.focus is not None else edition.file_count
    sys.exit(finish(diagnostics, file_count, strict=strict, output=output, quiet=quiet))


formats_option = click.option("--format", "formats", type=click.Choice(["pdf", "epub", "all"]), default="all",
                              show_default=True, help="Which book to build.")
force_option = click.option("--force", is_flag=True, help="Build even when the documents have errors.")
out_option = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
                          show_default=True, help="Folder for the books.")


jobs_option = click.option("--jobs", "processes", type=click.IntRange(min=1), default=None,
                           help="Processes laying the PDF's texts out at once (default: one per core).")


def _formats(choice: str) -> tuple[str, ...]:
    return ("pdf", "epub") if choice == "all" else (choice,)


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@formats_option
@out_option
@force_option
@jobs_option
@strict_option
@quiet_option
def build(path: Path | None, formats: str, out_dir: Path, force: bool, processes: int | None, strict: bool,
          quiet: bool) -> None:
    """Validate, then build the edition as PDF and/or EPUB into --out.

    The book is written to a temporary file and moved into place, so a failed build leaves the
    last good book where it was. Builds stop on document errors unless --force is given.
    """
    from .build import run_build

    config = BuildConfig(
        sources=tuple(_paths((path,) if path else ())),
        out_dir=out_dir,
        formats=_formats(formats),
        strict=strict,
        quiet=quiet,
        force=force,
        processes=processes,
    )
    sys.exit(run_build(config))


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@formats_option
@out_option
@force_option
@click.option("--serve", is_flag=True, help="Also serve a preview of the edition on 127.0.0.1, reloaded on save.")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="The preview's port (with --serve; default 8000, 0 for any free port).")
@click.pass_context
def watch(context: click.Context, path: Path | None, formats: str, out_dir: Path, force: bool, serve: bool,
          port: int | None) -> None:
    """Check each file of the edition as it is saved, rebuild the books in the background, and with --serve
    show the edition in the browser, reloaded on save. Ctrl-C stops.

    A saved TEI file is checked against the whole edition, as `edition validate FILE` does, and its
    diagnostics printed; the books are rebuilt one build at a time (a save during a build queues one
    more), each written to a temporary file and moved into place.
    """
    from .watch import WatchConfig, edition_source, run_watch

    if port is not None and not serve:
        raise click.UsageError("--port is the preview's: give --serve too")
    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 PID` prints where each of the watch's threads is
        try:
            faulthandler.register(signal.SIGUSR1, all_threads=True)
        except (ValueError, OSError, RuntimeError):  # a standard error with no file behind it (a test's capture)
            pass
    config = WatchConfig(
        build=BuildConfig(sources=(edition_source(_paths((path,) if path else ())[0]),), out_dir=out_dir.resolve(),
                          formats=_formats(formats), quiet=True, force=force),
        serve=serve,
        port=8000 if port is None else port,
        debug=context.find_root().params.get("debug", False),
    )
    sys.exit(run_watch(config))


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
    from .build import edition_settings

    counts = count_book(build_book(edition, edition_settings(edition, None)[0]))
    if output == "json":
        click.echo(json.dumps(counts, indent=2))
    else:
        width = max(map(len, counts))
        for name, value in counts.items():
            click.echo(f"{name:<{width}}  {value:>6}")


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def new(folder: Path) -> None:
    """Start an edition in FOLDER: a manifest, a text with a name, a note and an apparatus entry, registers,
    edition.toml with every key commented, and a schema; it validates and builds at once."""
    from .scaffold import new_edition

    try:
        written = new_edition(folder)
    except EditionError as error:
        raise click.BadParameter(str(error), param_hint="FOLDER") from None
    for path in written:
        click.echo(f"wrote {path}", err=True)
    click.echo(f"next: edition validate {folder} && edition build {folder} --out {folder}/build", err=True)


@cli.command()
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def schema(folder: Path | None) -> None:
    """Derive FOLDER/schema/edition.rng from FOLDER/schema/customisation.toml (the elements it allows)."""
    from .scaffold import write_schema

    click.echo(f"wrote {write_schema(folder or Path('.'))}", err=True)


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
