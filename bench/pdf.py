"""Benchmark: the PDF build against one plain WeasyPrint render of the same body HTML, and the rebuild of both
books after one paragraph of one text is edited.

Each measurement runs in a fresh process (neither side inherits the other's font or layout caches); the build
and the plain render alternate, and the medians are compared. The build starts with an empty layout cache and
no earlier layout; the rebuild has the cache and layout of a build of the same edition before the edit.
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
            pages, extra = result.pages, {"relayouts": result.relayouts, "body_pages": result.layout.body_pages,
                                          "passes": result.passes, "processes": writer.processes}
        else:
            with writer.renderer as renderer:
                body = renderer.render(writer.body_root())
                renderer.write([(body, list(range(len(body))))], Path(folder) / "plain.pdf", 0)
            pages, extra = len(body), {}
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "pages": pages, "peak_mib": peak, "notes": len(book.notes), **extra}


def rebuild() -> dict:
    """Build a copy of the edition (PDF and EPUB), edit one paragraph of its middle text, and time the rebuild."""
    import shutil

    from edition.build import build_edition
    from edition.config import BuildConfig

    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "tei", Path(folder) / "out"
        shutil.copytree(ROOT / "tei", source)
        config = BuildConfig(sources=(source,), out_dir=out, formats=("pdf", "epub"), quiet=True)
        build_edition(config)
        texts = sorted((source / "texts").glob("*.xml"))
        edited = texts[len(texts) // 2]
        words = edited.read_text(encoding="utf-8")
        at = words.index("<p", words.index("<body"))
        at = words.index(">", at) + 1
        edited.write_text(words[:at] + "Indeed, " + words[at:], encoding="utf-8")
        start = time.perf_counter()
        result = build_edition(config)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "edited": edited.name, "laid_out": list(result.laid_out), "passes": result.passes}


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
    print(f"  ratio build / plain render: {build / plain:.2f} (goal: at most 0.75)")
    print(f"  peak memory: build {max(b['peak_mib'] for b in builds):.0f} MiB, "
          f"plain render {max(p['peak_mib'] for p in plains):.0f} MiB")
    print(f"  (the build on {last['processes']} processes, {last['passes']} passes of unit layouts, empty cache)")
    again = in_fresh_process(__file__, "rebuild")
    print(f"  after editing one paragraph of {again['edited']}: both books rebuilt in {again['seconds']:.1f} s "
          f"(texts laid out again: {', '.join(again['laid_out']) or 'none'}; {again['passes']} passes)")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(rebuild() if sys.argv[1] == "rebuild" else measure(sys.argv[1])))
    else:
        main()
