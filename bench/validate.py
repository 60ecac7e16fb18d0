"""Benchmark: wall time of `edition validate` over the whole edition, in-process and as a command."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edition.check import check_edition  # noqa: E402
from edition.load import load_edition  # noqa: E402


def in_process(edition_dir: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    edition, diagnostics = load_edition([edition_dir])
    diagnostics += check_edition(edition)
    return time.perf_counter() - start, edition.file_count, len(diagnostics)


def as_command(edition_dir: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("edition")), "validate", "-q", str(edition_dir)],
                   capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    edition_dir = ROOT / "tei"
    runs = [in_process(edition_dir) for _ in range(5)]
    times = [r[0] for r in runs]
    commands = [as_command(edition_dir) for _ in range(3)]
    size = sum(p.stat().st_size for p in edition_dir.rglob("*.xml"))
    print(f"validate {edition_dir.relative_to(ROOT)}/: {runs[0][1]} files, {size / 1024:.0f} KiB, "
          f"{runs[0][2]} diagnostics")
    print(f"  in-process (load + check), median of 5: {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f} ms)")
    print(f"  `edition validate` command incl. interpreter start, median of 3: "
          f"{statistics.median(commands) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
