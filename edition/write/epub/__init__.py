"""The EPUB writer: EPUB 3 content documents from the shared model, with the print edition's pages."""

from __future__ import annotations

from pathlib import Path

from ...config import EditionSettings
from ...diagnostics import Diagnostic
from ...index import Index
from ...model import Book
from ...words import words_for
from ..assets import regular_and_italic
from ..layout import Layout
from .content import book_chapters
from .images import pack_images
from .links import resolve_links
from .package import write_package
from .pages import insert_page_breaks


class EpubWriter:
    def __init__(self, book: Book, indexes: tuple[Index, ...], layout: Layout,
                 settings: EditionSettings | None = None, edition_root: Path | None = None):
        """``indexes`` carry the print edition's page numbers (paged from ``layout``)."""
        self.book = book
        self.indexes = indexes
        self.layout = layout
        self.settings = settings or EditionSettings()
        self.edition_root = edition_root or Path(".")

    def write(self, out_path: Path) -> list[Diagnostic]:
        words = words_for(self.settings.language.matter)
        chapters = book_chapters(self.book, self.indexes, self.layout, self.settings.apparatus, words)
        markers, diagnostics = insert_page_breaks(chapters, self.layout)
        diagnostics += resolve_links(self.book, chapters, self.layout)
        write_package(self.book.metadata, chapters, markers, out_path,
                      regular_and_italic(self.settings.book, self.edition_root), words,
                      pack_images(chapters))
        return diagnostics
