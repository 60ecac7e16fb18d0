"""Benchmark: `edition watch` on the Serge edition: the check of a saved file, and the time from a save to the
preview serving the changed page, with no build running and while one runs in the background."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from edition.config import BuildConfig  # noqa: E402
from edition.watch import BuildOutcome, BuildProcess, WatchConfig, check_saved, run_watch  # noqa: E402

TEXTS = ("weissman-1988", "sedgwick-introduction-1972", "serge-preface-1938")  # a long, a middling, a short text
SAVES = 12


class NoBuild:
    """Builds nothing, so that the preview is measured on a machine doing nothing else."""

    def run(self, config: BuildConfig) -> BuildOutcome:
        return BuildOutcome()

    def stop(self) -> None:
        pass


def edit(path: Path, number: int) -> str:
    """Save ``path`` with a word of its first paragraph in the body changed; the new word."""
    source = path.read_text(encoding="utf-8")
    body = source.index("<body>")
    start = source.index(">", source.index("<p ", body)) + 1
    word = f"Benchmark{number}"
    previous = source.find("Benchmark", start, start + 40)
    if previous == start:
        source = source[:start] + source[source.index(" ", start) + 1:]
    path.write_text(source[:start] + word + " " + source[start:], encoding="utf-8")
    return word


def check_times(edition: Path) -> tuple[list[float], float]:
    """Seconds to check one saved file against the edition, per save; and the whole edition once (warm)."""
    check_saved(edition)  # the schema compiled, as it is once a watch has started
    times = []
    for number in range(SAVES):
        path = edition / "texts" / f"{TEXTS[number % len(TEXTS)]}.xml"
        edit(path, number)
        start = time.perf_counter()
        check_saved(edition, [path])
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    check_saved(edition)
    return times, time.perf_counter() - start


def preview_times(edition: Path, out: Path, builder, saves: int) -> list[float]:
    """Seconds from a save to the preview serving the changed page, per save, through a running watch."""
    ready, stop = threading.Event(), threading.Event()
    address: list[str] = []
    config = WatchConfig(BuildConfig(sources=(edition,), out_dir=out, formats=("pdf", "epub"), quiet=True),
                         serve=True, port=0)

    def watch() -> None:
        with contextlib.redirect_stderr(io.StringIO()):
            run_watch(config, stop=stop, ready=lambda url: (address.append(url), ready.set()), builder=builder)

    thread = threading.Thread(target=watch)
    thread.start()
    ready.wait()
    url = address[0]

    def status(after: int | None = None) -> dict:
        query = "" if after is None else f"?after={after}"
        with urllib.request.urlopen(f"{url}_preview/status{query}") as answer:
            return json.load(answer)

    times = []
    time.sleep(1)  # the first build under way, when there is one
    for number in range(saves):
        text = TEXTS[number % len(TEXTS)]
        current = status()
        start = time.perf_counter()
        word = edit(edition / "texts" / f"{text}.xml", 100 + number)
        serial = current["serial"]
        while True:
            now = status(serial)
            serial = now["serial"]
            if now["version"] != current["version"]:
                break
        with urllib.request.urlopen(f"{url}{text}.xhtml") as answer:
            page = answer.read().decode("utf-8")
        times.append(time.perf_counter() - start)
        assert word in page, f"the preview of {text} does not show {word}"
        time.sleep(0.3)
    stop.set()
    thread.join()
    return times


def line(label: str, times: list[float]) -> str:
    return (f"{label:<48} median {statistics.median(times):.3f} s   max {max(times):.3f} s   "
            f"({len(times)} saves)")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        edition = Path(folder) / "tei"
        shutil.copytree(ROOT / "tei", edition)
        out = Path(folder) / "build"
        checks, whole = check_times(edition)
        print(line("check of the saved file against the edition", checks))
        print(f"{'check of the whole edition (edition.toml saved)':<48} {whole:.3f} s")
        print(line("save to preview, no build running", preview_times(edition, out, NoBuild(), SAVES)))
        print(line("save to preview, a build running beside it", preview_times(edition, out, BuildProcess(), 6)))


if __name__ == "__main__":
    main()
