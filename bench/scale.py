"""Benchmark: a synthetic edition of 100 and of 1,000 pages (prose, a name every 40 words, a note every third
paragraph, an apparatus entry every few lines), built as PDF and EPUB in a fresh process with an empty cache:
the time, pages per second, and the peak memory of the build's process and of its largest worker.

    python bench/scale.py            # 100 and 1,000 pages
    python bench/scale.py 300        # other sizes
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fresh import in_fresh_process  # noqa: E402


def measure(pages: int) -> dict:
    """One build, in this (fresh) process."""
    import os
    import resource

    from synthetic import edition_of_pages

    from edition.build import build_edition
    from edition.config import BuildConfig

    with tempfile.TemporaryDirectory() as folder:
        edition_of_pages(Path(folder) / "edition", pages)
        start, before = time.perf_counter(), os.times()
        result = build_edition(BuildConfig(sources=(Path(folder) / "edition",), out_dir=Path(folder) / "out",
                                           formats=("pdf", "epub"), quiet=True, force=True))
        seconds = time.perf_counter() - start
        after = os.times()
        processor = sum(after[:4]) - sum(before[:4])  # this process and its workers, user and system
        if result.stopped or "pdf" not in result.outputs:
            raise SystemExit("the synthetic edition did not build: " +
                             "; ".join(d.format() for d in result.diagnostics[:5]))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "processor": processor, "pages": len(result.layout.labels),
            "texts": len(result.book.texts), "passes": result.passes, "peak_mib": own, "worker_peak_mib": workers}


def main(sizes: list[int]) -> None:
    from edition.write.units import processes_available

    print(f"synthetic editions, PDF and EPUB, empty cache, {processes_available()} processes")
    for size in sizes:
        found = in_fresh_process(__file__, "--one", str(size))
        print(f"  {size} pages asked: {found['pages']} pages in {found['texts']} texts, {found['seconds']:.1f} s, "
              f"{found['pages'] / found['seconds']:.1f} pages/s, {found['processor']:.0f} s of processor time, "
              f"{found['passes']} passes; peak memory "
              f"{found['peak_mib']:.0f} MiB (build), {found['worker_peak_mib']:.0f} MiB (largest worker)")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        import json

        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        main([int(size) for size in sys.argv[1:]] or [100, 1000])
