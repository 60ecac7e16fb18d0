"""Run a build: load, check, model, index, then each writer; report through one exit code."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import click

from .check import check_edition
from .config import BuildConfig
from .diagnostics import Diagnostic, Severity, promote_warnings
from .index import build_indexes, index_as_data, page_references
from .load import load_edition
from .model import build_book
from .report import finish


class Progress:
    """Which stage the build is in and how far along, on a terminal; silent otherwise or with -q."""

    def __init__(self, quiet: bool, total: int):
        self.enabled = not quiet and sys.stderr.isatty()
        self.start = time.perf_counter()
        self.step = 0
        self.total = total

    def __call__(self, stage: str) -> None:
        if not stage.startswith("laying out the body again"):
            self.step += 1
        if self.enabled:
            shown = min(self.step, self.total)
            click.echo(f"[{shown}/{self.total} {time.perf_counter() - self.start:5.1f}s] {stage}…", err=True)


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic]
    file_count: int
    stopped: bool = False
    book: object = None
    indexes: tuple = ()
    outputs: dict[str, Path] = field(default_factory=dict)
    layout: object = None


def build_edition(config: BuildConfig) -> BuildResult:
    """Load, check, and write the requested books; never print."""
    stages = 2 + (4 if "pdf" in config.formats else 0) + (1 if "epub" in config.formats else 0)
    progress = Progress(config.quiet, stages)
    progress("loading and checking the TEI")
    edition, diagnostics = load_edition(list(config.sources))
    diagnostics += check_edition(edition)
    judged = promote_warnings(diagnostics) if config.strict else diagnostics
    result = BuildResult(diagnostics, edition.file_count)
    if (any(d.severity is Severity.ERROR for d in judged) and not config.force) or not edition.documents:
        result.stopped = True
        return result
    progress("building the model")
    book = build_book(edition)
    diagnostics += book.warnings
    indexes = build_indexes(book)
    result.book, result.indexes = book, indexes
    name = book.metadata.id
    if "pdf" in config.formats:
        from .write.pdf import PdfWriter, write_layout

        pdf = PdfWriter(book, indexes, edition.root_dir, progress).write(config.output(name, ".pdf"))
        result.layout = pdf.layout
        write_layout(pdf.layout, config.output(name, ".layout.json"))
        config.output(name, ".index.json").write_text(
            json.dumps(index_as_data(indexes), ensure_ascii=False, indent=1), encoding="utf-8")
        diagnostics += pdf.diagnostics
        result.outputs["pdf"] = pdf.path
    if "epub" in config.formats:
        from .write.epub import EpubWriter, read_layout

        layout = result.layout or read_layout(config.output(name, ".layout.json"))
        progress("writing the EPUB")
        epub_path = config.output(name, ".epub")
        diagnostics += EpubWriter(book, indexes, layout).write(epub_path)
        result.outputs["epub"] = epub_path
    return result


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
    indexes = result.indexes
    if output == "json":
        click.echo(json.dumps(index_as_data(indexes), ensure_ascii=False, indent=2))
    else:
        for index in indexes:
            click.echo(f"== {index.title} ==")
            for entry in index.entries:
                click.echo(_entry_line(entry))
                for sub in entry.subentries:
                    click.echo("    " + _entry_line(sub))
    return 0


def _entry_line(entry) -> str:
    line = entry.heading + (f" ({entry.dates})" if entry.dates else "")
    if entry.see:
        return f"{line}, see {entry.see}"
    refs = page_references(entry.locators)
    if refs:
        line += ", " + ", ".join(r.display() for r in refs)
    elif entry.locators:
        line += ", " + ", ".join(sorted({l.text_id for l in entry.locators}))
    if entry.forms:
        line += "   [forms: " + "; ".join(sorted(entry.forms)) + "]"
    return line
