"""Benchmark: the price of line numbers and the apparatus at the foot of the page.

For the Serge edition (apparatus at the back, every body line numbered) and for a synthetic text with a
variant on about every printed line (apparatus at the foot), it prints the time of the PDF writer's work on
the body (one body layout, the line numbering, the one extra render of margin numbers and apparatus blocks,
and their grafting) against one plain WeasyPrint render of the same body HTML with no apparatus. Each
measurement runs in a fresh process; the medians of a few runs are printed.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

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
    from edition.config import ApparatusSettings
    from edition.index import build_indexes
    from edition.load import load_edition
    from edition.model import build_book
    from edition.write.pdf import PdfWriter

    with tempfile.TemporaryDirectory() as folder:
        edition, _ = load_edition([edition_of(name, Path(folder))])
        book = build_book(edition)
        plain = ApparatusSettings(placement="back", interval=0)
        writer = PdfWriter(book, build_indexes(book), edition.root_dir,
                           settings=ApparatusSettings() if kind == "apparatus" else plain)
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


def run(name: str, kind: str) -> dict:
    output = subprocess.run([sys.executable, __file__, name, kind], capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    for name in ("serge", "every-line"):
        plains = [run(name, "plain") for _ in range(RUNS)]
        fulls = [run(name, "apparatus") for _ in range(RUNS)]
        plain = statistics.median(p["seconds"] for p in plains)
        full = statistics.median(f["seconds"] for f in fulls)
        layout = statistics.median(f["layout"] for f in fulls)
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
