"""Benchmark: `edition validate` of the whole edition, and the TEI schema check of each foreign file, cold, cached."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edition.check import check_edition  # noqa: E402
from edition.load import load_edition  # noqa: E402

FOREIGN = ROOT.parent / "shared" / "foreign-tei"

# Run in a fresh interpreter: nothing parsed or compiled yet. Prints the seconds spent loading the
# file and checking it against its schema, then the same again in the same process (grammar cached).
_COLD = """
import sys, time
from pathlib import Path
start = time.perf_counter()
from edition.check.schema import check_document
from edition.load import load_document
imported = time.perf_counter()
path = Path(sys.argv[1])
document, _ = load_document(path, path.parent)
check_document(document, path.parent)
cold = time.perf_counter()
document, _ = load_document(path, path.parent)
found = check_document(document, path.parent)
print(imported - start, cold - imported, time.perf_counter() - cold, len(found))
"""


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


def schema_times(path: Path, runs: int = 3) -> tuple[float, float, float, float, int]:
    """Median seconds over fresh processes: imports, cold check (load + schema), cached check, whole process."""
    rows, wall = [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", _COLD, str(path)], capture_output=True, text=True, cwd=ROOT)
        wall.append(time.perf_counter() - start)
        assert out.returncode == 0, out.stderr
        rows.append([float(x) for x in out.stdout.split()])
    median = [statistics.median(column) for column in zip(*rows, strict=False)]
    return median[0], median[1], median[2], statistics.median(wall), int(median[3])


def large_copy(source: Path, target_bytes: int, folder: Path) -> Path:
    """A copy of a foreign file whose body is repeated until the file reaches ``target_bytes``."""
    text = source.read_text(encoding="utf-8")
    body = re.search(r"<body>(.*)</body>", text, re.S)
    copies = max(1, target_bytes // len(text) + 1)
    path = folder / f"{source.stem}-x{copies}.xml"
    path.write_text(text[:body.start(1)] + body.group(1) * copies + text[body.end(1):], encoding="utf-8")
    return path


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

    if not FOREIGN.is_dir():
        print(f"{FOREIGN} is absent: no schema figures for foreign files")
        return
    with tempfile.TemporaryDirectory() as scratch:
        files = sorted(FOREIGN.glob("*/*.xml"))
        files.append(large_copy(FOREIGN / "pta" / "pta0013.pta003.pta-grc1.xml", 200 * 1024, Path(scratch)))
        print("\nschema check of one file against TEI P5 tei_all (load + schema), median of 3 fresh processes:")
        print(f"  {'file':<40} {'KiB':>5} {'imports':>8} {'cold':>8} {'cached':>8} {'process':>8}  findings")
        for path in files:
            imports, cold, cached, wall, found = schema_times(path)
            shown = f"{path.parent.name}/{path.name}" if path.is_relative_to(FOREIGN) else f"(made) {path.name}"
            print(f"  {shown[:40]:<40} {path.stat().st_size / 1024:>5.0f} {imports * 1000:>6.0f}ms "
                  f"{cold * 1000:>6.0f}ms"
                  f" {cached * 1000:>6.0f}ms {wall * 1000:>6.0f}ms  {found}")
        print("  imports: Python importing lxml and the package; cold: first check in a fresh process (tei_all parsed,"
              "\n  restricted to the file's elements, compiled); cached: the same check again in that process"
              "\n  (compiled grammar reused); process: the whole fresh process, interpreter start included")


if __name__ == "__main__":
    main()
