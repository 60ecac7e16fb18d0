"""Benchmark: the EPUB build, excluding the PDF layout it reads its page numbers from."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edition.build import book_and_indexes, edition_settings  # noqa: E402
from edition.index import assign_pages  # noqa: E402
from edition.load import load_edition  # noqa: E402
from edition.write.epub import EpubWriter  # noqa: E402
from edition.write.layout import read_layout, write_layout  # noqa: E402
from edition.write.pdf import PdfWriter  # noqa: E402


def main() -> None:
    edition, _ = load_edition([ROOT / "tei"])
    settings = edition_settings(edition, None)[0]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        book, indexes = book_and_indexes(edition, settings)
        layout_path = ROOT / "build" / "serge-edition.layout.json"
        if not layout_path.exists():
            result = PdfWriter(book, indexes, edition.root_dir, settings=settings).write(folder / "book.pdf")
            layout_path = folder / "layout.json"
            write_layout(result.layout, layout_path)
        times = []
        for run in range(3):
            start = time.perf_counter()
            book, indexes = book_and_indexes(edition, settings)
            layout = read_layout(layout_path)
            indexes, _ = assign_pages(indexes, layout.locators)
            EpubWriter(book, indexes, layout, settings, edition.root_dir).write(folder / f"book{run}.epub")
            times.append(time.perf_counter() - start)
        size = (folder / "book0.epub").stat().st_size
    print(f"EPUB of {edition.root_dir.name}/ (model + index + EPUB, PDF layout read from JSON): "
          f"median of 3 {statistics.median(times):.2f} s, {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
