"""Benchmark: the PDF build against one plain WeasyPrint render of the same body HTML.

Each measurement runs in a fresh process (neither side inherits the other's font or layout caches);
the two alternate, and the medians are compared.
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


def prepare():
    from edition.build import book_and_indexes, edition_settings
    from edition.load import load_edition

    edition, _ = load_edition([ROOT / "tei"])
    settings = edition_settings(edition, None)[0]
    return edition, settings, *book_and_indexes(edition, settings)


def measure(kind: str) -> dict:
    """One measurement, in this (fresh) process."""
    import resource

    from edition.write.pdf import PdfWriter

    edition, settings, book, indexes = prepare()
    with tempfile.TemporaryDirectory() as folder:
        writer = PdfWriter(book, indexes, edition.root_dir, settings=settings)
        start = time.perf_counter()
        if kind == "build":
            result = writer.write(Path(folder) / "book.pdf")
            pages, extra = result.pages, {"relayouts": result.relayouts, "body_pages": result.layout.body_pages}
        else:
            with writer.renderer as renderer:
                body = renderer.render(writer.body_root())
                renderer.write([(body, list(range(len(body))))], Path(folder) / "plain.pdf", 0)
            pages, extra = len(body), {}
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "pages": pages, "peak_mib": peak, "notes": len(book.notes), **extra}


def main() -> None:
    builds, plains = [], []
    for _ in range(RUNS):
        plains.append(in_fresh_process(__file__, "plain"))
        builds.append(in_fresh_process(__file__, "build"))
    (build,) = medians(builds, "seconds")
    (plain,) = medians(plains, "seconds")
    last = builds[-1]
    print(f"PDF of tei/: {last['pages']} pages ({last['body_pages']} body), {last['notes']} notes; "
          f"medians of {RUNS} runs, each in a fresh process")
    print(f"  PDF build (body once, relayouts: {last['relayouts']}; front, back, front again; write): "
          f"{build:.1f} s, "
          f"{last['pages'] / build:.1f} pages/s")
    print(f"  one plain WeasyPrint render + write of the same body HTML: {plain:.1f} s")
    print(f"  ratio build / plain render: {build / plain:.2f} (goal: under 1.3)")
    print(f"  peak memory: build {max(b['peak_mib'] for b in builds):.0f} MiB, "
          f"plain render {max(p['peak_mib'] for p in plains):.0f} MiB")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(measure(sys.argv[1])))
    else:
        main()
