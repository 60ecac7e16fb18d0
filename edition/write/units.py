"""The body laid out a text at a time: each text (with the part it opens) is a unit that begins on a recto, laid
out on as many processes as there are cores, kept in the build folder by everything its layout depends on, and
set in the book at its place once every unit's length is known.

A unit's layout does not depend on where it falls in the book: it is laid out with its own page numbers, which
are set to the book's afterwards (``Rendered.renumber``), and its cross-references print their pages in figures
of one width, laid out with placeholders of as many digits as the page will have and filled in afterwards
(``Rendered.replace_generated``). Only a unit whose cross-references change their number of digits is laid out
again, with the new digits.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import signal
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import weasyprint

from ..diagnostics import Diagnostic
from ..model import Part, Text

_MARK = re.compile("\ue000(\\d+)\ue001")
PLACEHOLDER_DIGIT = "0"


def page_mark(index: int) -> str:
    """A unit's page (0 for its first) as it stands in what its layout reports before the unit's place is known."""
    return f"\ue000{index}\ue001"


def in_book(text: str, first: int) -> str:
    """``text`` with each page mark put as the page's number in the book, the unit beginning on page ``first``."""
    return _MARK.sub(lambda match: str(first + int(match.group(1))), text)


@dataclass(frozen=True)
class Unit:
    index: int
    id: str  # the id of its first text
    part: Part | None  # the part it opens
    texts: tuple[Text, ...]


@dataclass
class UnitLayout:
    """What the build reads off a unit's layout; pages are counted from 0 within the unit, and every page number
    in its keys and diagnostics is a page mark."""

    keys: dict[str, str]  # apparatus entry -> its printed key
    xrefs: dict[str, tuple[str, str]]  # data-xref -> (target id, the page printed for it)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    relayouts: int = 0
    pages: int = 0
    anchors: dict[str, int] = field(default_factory=dict)  # id -> the page it begins on
    last: dict[str, int] = field(default_factory=dict)  # id -> the page it ends on
    starts: list[dict] = field(default_factory=list)  # each page's first words (Rendered.page_starts)
    bookmarks: list = field(default_factory=list)  # each page's height and bookmarks (Rendered.bookmarks)
    first_page: int = 0  # pages laid out before the unit's own (not printed)
    # how far each page's content moves when put on the other side of the leaf (Rendered.flip); None: it cannot
    shifts: list[float] | None = None


def unit_starts(lengths: list[int]) -> dict[int, int]:
    """Where each unit begins in the body (from 0), each on a recto: after a unit of an odd number of pages, a
    blank verso."""
    starts, page = {}, 0
    for index, length in enumerate(lengths):
        starts[index] = page
        page += length + length % 2
    return starts


# --- the cache ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The package's own code and styles, and the WeasyPrint release: a layout made by other code is not reused."""
    digest = hashlib.sha256(weasyprint.__version__.encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".css", ".toml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def file_digest(paths: Iterable[Path]) -> str:
    """Font files by name, size and time of change (their content is too large to read on every build)."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


class LayoutCache:
    """Laid-out documents by a key of everything their layout depends on, one file each in ``folder``; a file
    that cannot be read is laid out again, never trusted."""

    def __init__(self, folder: Path | None, salt: str):
        self.folder = folder
        self.salt = salt
        self.used: set[str] = set()
        self.hits = 0

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self.salt.encode())
        for part in parts:
            digest.update(b"\0" + part.encode())
        return digest.hexdigest()[:40]

    def get(self, key: str) -> bytes | None:
        return self.read(key, lambda stream: stream.read())

    def read(self, key: str, reader: Callable[[object], object]) -> object | None:
        """What ``reader`` reads from the start of a kept file (without reading the rest); None where it cannot."""
        if self.folder is None:
            return None
        try:
            with open(self.folder / f"{key}.layout", "rb") as stream:
                found = reader(stream)
        except Exception:  # absent, damaged or from elsewhere: laid out again
            return None
        self.used.add(key)
        self.hits += 1
        return found

    def put(self, key: str, data: bytes) -> bool:
        """Keep ``data``; returns whether it was."""
        if self.folder is None:
            return False
        self.used.add(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".partial")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self.folder / f"{key}.layout")
        except OSError:
            return False  # a cache that cannot be written costs time on the next build, nothing else
        return True

    def prune(self) -> None:
        """Forget every layout this build did not use (the cache holds one book's layouts, not its history)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix in (".layout", ".partial") and path.stem not in self.used:
                path.unlink(missing_ok=True)


# --- laying units out on several processes ---------------------------------------------------------

_worker_job: Callable[[str], bytes] | None = None

# A worker that sends nothing back for this long is taken to be stuck (a library's lock inherited in the fork, a
# worker killed from outside): the units it had not returned are laid out here instead. No unit of a real book
# takes near this long; the 917-page synthetic volume lays out whole in about 80 s.
STALL_SECONDS = 600.0


# Workers that use no processor time for this long while units are out are stuck (waiting on a lock no thread
# will release): given up long before the stall limit. A worker laying a unit out is always computing.
IDLE_SECONDS = 30.0


def stall_limit() -> float:
    """The stall limit: STALL_SECONDS, or EDITION_STALL_SECONDS where set (the test suite sets a shorter one)."""
    return _seconds("EDITION_STALL_SECONDS", STALL_SECONDS)


def idle_limit() -> float:
    """The idle limit: IDLE_SECONDS, or EDITION_IDLE_SECONDS where set."""
    return _seconds("EDITION_IDLE_SECONDS", IDLE_SECONDS)


def _seconds(variable: str, default: float) -> float:
    try:
        return float(os.environ.get(variable, "")) or default
    except ValueError:
        return default


def processor_time(pids: Iterable[int]) -> int | None:
    """The processor time (clock ticks) the processes ``pids`` have used, or None where it cannot be read."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            return None
    return total


class IdleWatch:
    """Whether processes have used no processor time for ``limit`` seconds while work is out: waiting on a lock
    no thread will release. Time that cannot be read counts as work; so does anything coming back (``progress``)."""

    def __init__(self, limit: float):
        self.limit, self.used, self.busy = limit, None, time.monotonic()

    def progress(self) -> None:
        self.busy = time.monotonic()

    def idle(self, pids: list[int]) -> bool:
        working = processor_time(pids) if pids else None
        if working is None or working != self.used:
            self.used = working
            self.progress()
        return time.monotonic() - self.busy >= self.limit


def _start_worker(fresh: Callable[[], None]) -> None:
    # a worker ends when told to, whatever handler the parent had (the watch turns TERM into Ctrl-C); Ctrl-C at
    # the terminal is the parent's to handle, which then stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fresh()


def _run(job: tuple[int, str]) -> tuple[int, bytes]:
    index, source = job
    return index, _worker_job(source)


class Stalled(Exception):
    """The worker processes stopped returning units."""


def lay_out(jobs: list[tuple[int, str]], job: Callable[[str], bytes], fresh: Callable[[], None],
            processes: int, stall: float | None = None, fallback: Callable[[str], None] = lambda why: None,
            size: Callable[[tuple[int, str]], int] = lambda job: len(job[1]),
            idle: float | None = None) -> Iterator[tuple[int, bytes]]:
    """Run ``job`` on each (unit, HTML) and yield (unit, its layout as bytes) as each is done. With more than one
    job and process, the jobs run in forked worker processes, each set up by ``fresh`` (a renderer of its own),
    the largest first (by ``size``, the length of the HTML unless told); else here, one after the other. Should
    the workers die, return nothing for ``stall`` seconds, or use no processor time for ``idle`` seconds while
    units are out, the units not yet returned are laid out here, and ``fallback`` is told why: the build is
    slower, never stuck. An error a job raises is raised here."""
    global _worker_job
    stall = stall or stall_limit()
    idle = idle or idle_limit()
    if processes <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index, source in jobs:
            yield index, job(source)
        return
    _worker_job = job
    ordered = sorted(jobs, key=lambda item: -size(item))
    left = dict(ordered)
    before = set(multiprocessing.active_children())
    executor = ProcessPoolExecutor(min(processes, len(jobs)), mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(fresh,))
    try:
        futures = {executor.submit(_run, item) for item in ordered}
        returned, watch = time.monotonic(), IdleWatch(idle)
        while futures:
            done, futures = wait(futures, timeout=min(stall, idle, 1.0), return_when=FIRST_COMPLETED)
            if not done:
                if time.monotonic() - returned >= stall:
                    raise Stalled(f"no unit came back from the worker processes in {stall:.0f} s")
                if watch.idle(list(getattr(executor, "_processes", None) or {})):  # unknown pids: working
                    raise Stalled(f"the worker processes used no processor time for {idle:.0f} s with units out")
                continue
            returned = time.monotonic()
            watch.progress()
            for future in done:
                index, data = future.result()
                del left[index]
                yield index, data
    except (BrokenProcessPool, Stalled) as error:
        why = str(error) or "a worker process ended unexpectedly"
        _end_workers(before)
        fallback(f"{why}; {len(left)} units laid out in the main process instead")
        for index, source in left.items():
            yield index, job(source)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        _end_workers(before)  # none is left, whatever happened
        _worker_job = None


def _end_workers(before: set) -> None:
    for child in set(multiprocessing.active_children()) - before:
        child.kill()
        child.join(5)


def processes_available() -> int:
    """The cores this process may use: those it may run on, fewer where a container's CPU quota says so."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    quota = _cpu_quota(Path("/sys/fs/cgroup/cpu.max"))
    return max(1, min(cores, quota)) if quota else cores


def _cpu_quota(path: Path) -> int | None:
    """The whole cores a cgroup v2 ``cpu.max`` ("200000 100000", or "max 100000") allows, if it limits them."""
    try:
        limit, period = path.read_text(encoding="ascii").split()[:2]
        return -(-int(limit) // int(period)) if limit != "max" else None
    except (OSError, ValueError):
        return None
