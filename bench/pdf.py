"""Benchmark: the PDF build against one plain WeasyPrint render of the same body HTML."""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edition.check import check_edition  # noqa: E402
from edition.index import build_indexes  # noqa: E402
from edition.load import load_edition  # noqa: E402
from edition.model import build_book  # noqa: E402
from edition.write.pdf import PdfWriter  # noqa: E402


def main() -> None:
    start = time.perf_counter()
    edition, diagnostics = load_edition([ROOT / "tei"])
    diagnostics += check_edition(edition)
    book = build_book(edition)
    indexes = build_indexes(book)
    prepared = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as folder:
        writer = PdfWriter(book, indexes, edition.root_dir)
        start = time.perf_counter()
        result = writer.write(Path(folder) / "book.pdf")
        build = time.perf_counter() - start

        # the yardstick: one plain render of the same body HTML and one write, nothing else
        plain = PdfWriter(book, indexes, edition.root_dir)
        root = plain.body_root()
        plain.resolve_links(root, plain.body_ids)
        start = time.perf_counter()
        document = plain.render(root)
        document.write_pdf(Path(folder) / "plain.pdf")
        baseline = time.perf_counter() - start

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"PDF of {edition.root_dir.name}/: {result.pages} pages ({result.layout.body_pages} body), "
          f"{len(book.notes)} notes, {sum(len(i.entries) for i in indexes)} index entries")
    print(f"  load + check + model + index: {prepared:.1f} s")
    print(f"  PDF build (body, relayouts: {writer.relayouts}, back, front, write): {build:.1f} s, "
          f"{result.pages / build:.1f} pages/s")
    print(f"  one plain WeasyPrint render + write of the same body HTML: {baseline:.1f} s")
    print(f"  ratio build / plain render: {build / baseline:.2f} (goal: under 1.3)")
    print(f"  peak memory (max RSS of this process): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
