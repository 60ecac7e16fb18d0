"""Benchmark: the price of line numbers and the apparatus at the foot of the page.

For the Serge edition (apparatus at the back, every body line numbered) and for a synthetic text with a
variant on about every printed line (apparatus at the foot), it prints the time of the PDF writer's work on
the body (one body layout, the line numbering, the one extra render of margin numbers and apparatus blocks,
and their grafting) against one plain WeasyPrint render of the same body HTML with no apparatus. Each
measurement runs in a fresh process; the medians of a few runs are printed.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fresh import in_fresh_process, medians  # noqa: E402

RUNS = 2


def edition_of(name: str, folder: Path) -> Path:
    if name == "serge":
        return ROOT / "tei"
    from synthetic import every_line_text

    path = folder / "every-line.xml"
    path.write_text(every_line_text(paragraphs=60), encoding="utf-8")
    return path


def measure(name: str, kind: str) -> dict:
    """One measurement, in this (fresh) process: the body with its apparatus, or a plain render of it."""
    from dataclasses import replace

    from edition.build import book_and_indexes, edition_settings
    from edition.config import ApparatusSettings
    from edition.load import load_edition
    from edition.write.pdf import PdfWriter

    with tempfile.TemporaryDirectory() as folder:
        edition, _ = load_edition([edition_of(name, Path(folder))])
        settings = edition_settings(edition, None)[0]
        apparatus = ApparatusSettings() if kind == "apparatus" else ApparatusSettings(placement="back", interval=0)
        settings = replace(settings, apparatus=apparatus)
        book, indexes = book_and_indexes(edition, settings)
        writer = PdfWriter(book, indexes, edition.root_dir, settings=settings)
        with writer.renderer as renderer:
            start = time.perf_counter()
            root = writer.body_root()
            body = renderer.render(root)
            laid_out = time.perf_counter() - start
            if kind == "apparatus":
                writer.number_and_key(body, body.anchor_pages())
            seconds = time.perf_counter() - start
    entries = sum(1 for e in book.textual if e.text_id in {t.id for t in book.texts})
    return {"seconds": seconds, "layout": laid_out, "pages": len(body), "entries": entries,
            "placement": writer.placement}


def main() -> None:
    for name in ("serge", "every-line"):
        plains = [in_fresh_process(__file__, name, "plain") for _ in range(RUNS)]
        fulls = [in_fresh_process(__file__, name, "apparatus") for _ in range(RUNS)]
        (plain,) = medians(plains, "seconds")
        full, layout = medians(fulls, "seconds", "layout")
        last = fulls[-1]
        print(f"{name}: {last['pages']} body pages, {last['entries']} apparatus entries at the {last['placement']}; "
              f"medians of {RUNS} fresh processes")
        print(f"  body with line numbers and apparatus: {full:.1f} s (of which the one body layout {layout:.1f} s, "
              f"numbering, keys and the extra render {full - layout:.1f} s)")
        print(f"  one plain WeasyPrint render of the same body: {plain:.1f} s; ratio {full / plain:.2f}")


if __name__ == "__main__":
    if len(sys.argv) > 2:
        print(json.dumps(measure(sys.argv[1], sys.argv[2])))
    else:
        main()
