"""Run a build: load, check, model, index, then each writer; report through one exit code."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click

from .check import check_edition
from .config import SETTINGS_FILE, BuildConfig, EditionSettings, read_settings
from .diagnostics import Diagnostic, Severity, promote_warnings
from .index import Index, assign_pages, build_indexes, index_as_data, page_references
from .load import display_path, load_edition
from .model import Book, build_book
from .report import finish
from .stages import PDF_STAGES, Progress, Stage


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic]
    file_count: int
    stopped: bool = False
    book: Book | None = None
    indexes: tuple[Index, ...] = ()  # with page numbers once a layout is known
    outputs: dict[str, Path] = field(default_factory=dict)
    layout: object = None
    laid_out: tuple[str, ...] = ()  # the body's units the PDF laid out (the others came from the layout cache)
    passes: int = 0  # rounds of unit layouts the cross-references' pages took
    drawn: int = 0  # pieces of the PDF drawn (the others came from the cache)
    combined: bool = False  # whether the PDF was written (not when the file there is the one its pieces make)
    flipped: int = 0  # parts of the back matter put on the other side of the leaf without a new layout


def build_edition(config: BuildConfig) -> BuildResult:
    """Load, check, and write the requested books; never print."""
    stages = 2 + (len(PDF_STAGES) if "pdf" in config.formats else 0) + (1 if "epub" in config.formats else 0)
    progress = Progress(config.quiet, stages)
    progress(Stage.LOAD)
    edition, diagnostics = load_edition(list(config.sources))
    settings, found = edition_settings(edition, config.settings)
    diagnostics += found
    diagnostics += check_edition(edition, schema_settings(settings))
    judged = promote_warnings(diagnostics) if config.strict else diagnostics
    result = BuildResult(diagnostics, edition.file_count)
    if (any(d.severity is Severity.ERROR for d in judged) and not config.force) or not edition.documents:
        result.stopped = True
        return result
    progress(Stage.MODEL)
    book, result.indexes = book_and_indexes(edition, settings)
    diagnostics += book.warnings
    diagnostics += missing_faces(book, settings, edition.root_dir)
    result.book = book
    name = book.metadata.id
    layout_file = config.output(name, ".layout.json")
    epub_job: Background | None = None
    if "epub" in config.formats:
        from .write.epub import EpubWriter
    if "pdf" in config.formats or "epub" in config.formats and not layout_file.exists():
        import tempfile

        from .write.layout import write_json, write_layout
        from .write.pdf import PdfWriter

        with tempfile.TemporaryDirectory() as folder:
            # the EPUB alone still needs the print edition's pages: the book is laid out, the PDF thrown away
            target = config.output(name, ".pdf") if "pdf" in config.formats else Path(folder) / f"{name}.pdf"
            writer = PdfWriter(book, result.indexes, edition.root_dir, progress, settings, config.processes,
                               faces_folder=config.out_dir / ".cache" / "faces")
            if "epub" in config.formats and writer.processes > 1:
                # the EPUB needs the pages, not the drawing: written in a process of its own while the PDF is
                # drawn and combined, and put in place once the PDF is
                def epub_meanwhile(layout, indexes):
                    nonlocal epub_job
                    staged = config.out_dir / ".cache" / f"{name}.epub"
                    epub_job = Background(EpubWriter(book, indexes, layout, settings, edition.root_dir).write,
                                          staged)

                writer.when_laid_out = epub_meanwhile
            try:
                pdf = writer.write(target, cache_dir=config.out_dir / ".cache" / name,
                                   previous=last_layout(layout_file))
            except BaseException:
                if epub_job is not None:
                    epub_job.stop()
                raise
        result.layout, result.indexes = pdf.layout, pdf.indexes
        result.laid_out, result.passes = pdf.laid_out, pdf.passes
        result.drawn, result.combined, result.flipped = pdf.drawn, pdf.combined, pdf.flipped
        config.out_dir.mkdir(parents=True, exist_ok=True)
        write_layout(pdf.layout, layout_file)
        write_json(index_as_data(result.indexes), config.output(name, ".index.json"))
        diagnostics += pdf.diagnostics
        if "pdf" in config.formats:
            result.outputs["pdf"] = pdf.path
    if "epub" in config.formats:
        from .write.layout import read_layout

        if result.layout is None:
            result.layout = read_layout(layout_file)
            result.indexes, missing = assign_pages(result.indexes, result.layout.locators)
            diagnostics += [Diagnostic("(layout)", 0, 0, Severity.WARNING, "index-unplaced",
                                       f"index occurrence #{anchor} is not in {name}.layout.json; "
                                       "its locator is left out of the EPUB's index (build the PDF again)")
                            for anchor in missing]
        progress(Stage.WRITE_EPUB)
        epub_path = config.output(name, ".epub")
        if epub_job is not None:
            diagnostics += epub_job.result(epub_path)
        else:
            diagnostics += EpubWriter(book, result.indexes, result.layout, settings,
                                      edition.root_dir).write(epub_path)
        result.outputs["epub"] = epub_path
    return result


class Background:
    """A book written by ``make`` to ``staged`` in a forked process while this one goes on. ``result`` waits
    for it and puts it in place; where no process could be forked, or it failed or ended without a word, the
    book is written here instead (an error is raised here as it would have been): the outcome is the same."""

    def __init__(self, make: Callable[[Path], list[Diagnostic]], staged: Path):
        self.make, self.staged, self.process = make, staged, None
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_send_made, args=(make, staged, send), daemon=True)
        self.process.start()
        send.close()

    def result(self, path: Path) -> list[Diagnostic]:
        """The diagnostics of the book, once it is at ``path``."""
        found = None
        if self.process is not None:
            try:
                found = self._received()
            finally:
                self.process.kill()  # it has sent all it had to, or is given up
                self.process.join()
                self.receive.close()
        if found is None:
            self.staged.unlink(missing_ok=True)
            self.staged.with_name(f".{self.staged.name}.partial").unlink(missing_ok=True)
            return self.make(path)
        os.replace(self.staged, path)
        return found

    def _received(self) -> list[Diagnostic] | None:
        """What the process sent; None where it ended without a word, or used no processor time for the idle
        limit (stuck on a lock another thread held when it was forked)."""
        from .write.units import IdleWatch, idle_limit

        watch = IdleWatch(idle_limit())
        while not self.receive.poll(1.0):
            if (not self.process.is_alive() and not self.receive.poll(0)) or watch.idle([self.process.pid]):
                return None
        try:
            return self.receive.recv()
        except (EOFError, OSError):  # the process ended without sending its diagnostics
            return None

    def stop(self) -> None:
        """End the process, the book it was writing not put anywhere."""
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.receive.close()
        self.staged.unlink(missing_ok=True)
        self.staged.with_name(f".{self.staged.name}.partial").unlink(missing_ok=True)


def _send_made(make: Callable[[Path], list[Diagnostic]], staged: Path, send) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops this process
    try:
        made = make(staged)
    except BaseException:  # written again by the parent, where the error is raised as it would have been
        made = None
    try:
        send.send(made)
    finally:
        send.close()
        os._exit(0)  # nothing of the parent's to flush or clean up here (a lock held by another thread at the fork)


def last_layout(path: Path):
    """The layout the last build wrote, if it can be read: the pages this build's cross-references will likely print."""
    from .write.layout import read_layout

    try:
        return read_layout(path)
    except Exception:  # none, or damaged: the build guesses the pages instead
        return None


def book_and_indexes(edition, settings: EditionSettings) -> tuple[Book, tuple[Index, ...]]:
    """The model of a loaded edition and its indexes (not yet paged), as its settings ask."""
    book = build_book(edition, settings)
    language = settings.language
    return book, build_indexes(book, settings.indexes, language.matter, language.collation)


def edition_settings(edition, given: EditionSettings | None) -> tuple[EditionSettings, list[Diagnostic]]:
    """The settings given, or those of the edition's own edition.toml, with what is wrong in it."""
    if given is not None:
        return given, []
    return read_settings(edition.root_dir, display_path(edition.root_dir / SETTINGS_FILE))


def schema_settings(settings: EditionSettings):
    from .check.catalogue import SchemaSettings

    def chosen(name: str) -> str | None:
        return None if name == "none" else name

    return SchemaSettings(chosen(settings.schema.default), chosen(settings.schema.substitute))


def missing_faces(book: Book, settings: EditionSettings, root: Path) -> list[Diagnostic]:
    """One warning naming the characters of the texts that none of the book's faces has."""
    from .write.assets import missing_characters

    text = "".join("".join(t.section.itertext()) for t in book.front + book.texts)
    missing = missing_characters(text, settings.book, root)
    if not missing:
        return []
    return [Diagnostic("(fonts)", 0, 0, Severity.WARNING, "face-missing-characters",
                       f"the book's faces lack {len(missing)} characters of the texts ({missing[:40]}); "
                       "they are printed in another font, or not at all: add a second_face in [book] of "
                       "edition.toml that has them")]


def run_build(config: BuildConfig) -> int:
    result = build_edition(config)
    if result.stopped and result.book is None and result.file_count:
        code = finish(result.diagnostics, result.file_count, strict=config.strict, quiet=config.quiet)
        if code:
            click.echo("build stopped: fix the errors above (or use --force); the last good books are untouched",
                       err=True)
        return code
    for path in result.outputs.values():
        if not config.quiet:
            click.echo(f"wrote {path}", err=True)
    return finish(result.diagnostics, result.file_count, strict=config.strict, quiet=config.quiet)


def print_index(paths: list[Path], output: str, pages: bool) -> int:
    """The index data; with pages, from a PDF layout made in a temporary folder and thrown away."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        result = build_edition(BuildConfig(sources=tuple(paths), out_dir=Path(folder),
                                           formats=("pdf",) if pages else (), quiet=True))
    if result.stopped:
        return finish(result.diagnostics, result.file_count, strict=False)
    if output == "json":
        click.echo(json.dumps(index_as_data(result.indexes), ensure_ascii=False, indent=2))
    else:
        for index in result.indexes:
            click.echo(f"== {index.title} ==")
            for entry in index.entries:
                _echo_entry(entry)
    return 0


def _echo_entry(entry, level: int = 0) -> None:
    click.echo("    " * level + _entry_line(entry))
    for sub in entry.subentries:
        _echo_entry(sub, level + 1)


def _entry_line(entry) -> str:
    line = entry.heading + (f" ({entry.dates})" if entry.dates else "")
    if entry.see:
        return f"{line}, see {entry.see}"
    refs = page_references(entry.locators)
    if refs:
        line += ", " + ", ".join(r.display() for r in refs)
    elif entry.locators:
        line += ", " + ", ".join(sorted({locator.text_id for locator in entry.locators}))
    if entry.forms:
        line += "   [forms: " + "; ".join(sorted(entry.forms)) + "]"
    return line
