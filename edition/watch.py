"""Watch an edition while it is edited: check each saved file against the edition, then rebuild the books aside."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import click

from .config import BuildConfig, EditionSettings
from .diagnostics import Diagnostic, Severity, sort_diagnostics, summary_line
from .errors import EditionError
from .load import SKIPPED_FOLDERS, Edition, display_path, find_edition_root, load_edition

# What an edition is made from (the files `make` rebuilds the books for).
SOURCE_SUFFIXES = frozenset({".xml", ".toml", ".rng", ".ttf", ".otf"})
WAKE_MS = 200  # the watcher wakes this often when nothing changes (and says once that it is watching)


@dataclass(frozen=True)
class WatchConfig:
    """What to watch and what to do on a save: the build's settings, and whether to serve a preview."""

    build: BuildConfig  # its one source is the edition folder (or a lone TEI file) being watched
    serve: bool = False
    port: int = 8000  # of the preview on 127.0.0.1; 0 for any free port
    debug: bool = False  # show the traceback of an internal error (the watch goes on)


@dataclass
class Checked:
    """What one check found: its diagnostics, how many files it reported on, and the edition it loaded."""

    diagnostics: list[Diagnostic]
    file_count: int
    edition: Edition
    settings: EditionSettings

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


@dataclass(frozen=True)
class BuildOutcome:
    """What a background build did, in values that cross a process boundary."""

    diagnostics: tuple[Diagnostic, ...] = ()
    outputs: tuple[Path, ...] = ()
    stopped: bool = False  # the documents had errors: nothing was written
    failure: str = ""  # the build broke (one line); the last good books are untouched
    seconds: float = 0.0


def edition_source(path: Path) -> Path:
    """What to watch for PATH: the edition folder, the edition a file belongs to, or a lone TEI file."""
    path = path.resolve()
    if path.is_dir():
        return path
    return find_edition_root(path) or path


class SourceFilter:
    """The files whose saving matters: the edition's TEI, settings, schema and fonts; not its books, not the
    temporary files editors and writers leave (``.name.partial``, ``#name#``, ``name~``)."""

    def __init__(self, source: Path, out_dir: Path):
        self.source = source
        self.lone = not source.is_dir()
        self.folder = source.parent if self.lone else source
        self.out_dir = out_dir.resolve()

    def __call__(self, _change, path: str) -> bool:
        return self.wanted(Path(path))

    def wanted(self, path: Path) -> bool:
        if self.lone:
            return path == self.source
        if path.suffix.lower() not in SOURCE_SUFFIXES or path.is_relative_to(self.out_dir):
            return False
        if not path.is_relative_to(self.folder):
            return False
        *folders, name = path.relative_to(self.folder).parts
        if name.startswith((".", "#")) or name.endswith("~"):
            return False
        skipped = SKIPPED_FOLDERS - {"schema"} if path.suffix == ".rng" else SKIPPED_FOLDERS
        return not any(part in skipped or part.startswith(".") for part in folders)


def check_saved(source: Path, saved: Iterable[Path] = (), given: EditionSettings | None = None) -> Checked:
    """Check the edition at ``source``; with ``saved`` TEI files, report only on them (as ``edition validate
    FILE`` does, the whole edition loaded so their pointers resolve). Anything else saved or removed (the
    settings, the schema, a deleted text) is checked as the whole edition."""
    from .build import edition_settings, schema_settings
    from .check import check_edition

    saved = {path.resolve() for path in saved}
    whole = not saved or any(path.suffix != ".xml" or not path.is_file() for path in saved)
    edition, diagnostics = load_edition([source])
    settings, found = edition_settings(edition, given)
    if whole:
        diagnostics += found
    else:
        edition.focus = saved
        shown = {display_path(path) for path in saved}
        diagnostics = [d for d in diagnostics if d.path in shown]
    diagnostics += check_edition(edition, schema_settings(settings))
    return Checked(diagnostics, edition.file_count if whole else len(saved), edition, settings)


# --- the background build -----------------------------------------------------------------------------------

class BuildProcess:
    """Runs ``build_edition`` in a child process of its own: it holds no lock of the watcher's, a Ctrl-C in the
    terminal does not reach it, and stopping it mid-layout leaves the last good books (the writers move a
    finished file into place)."""

    def __init__(self):
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._stopped = False

    def run(self, config: BuildConfig) -> BuildOutcome:
        started = time.perf_counter()
        package_parent = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_parent,
                                                                         os.environ.get("PYTHONPATH")])))
        with self._lock:
            if self._stopped:
                return BuildOutcome(failure="the watch is stopping")
            self._process = subprocess.Popen(
                [sys.executable, "-c", "from edition.watch import build_in_child; build_in_child()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                start_new_session=True)
        out, err = self._process.communicate(pickle.dumps(config))
        returncode = self._process.returncode
        with self._lock:
            self._process = None
        if returncode == 0 and out:
            return pickle.loads(out)
        lines = err.decode("utf-8", "replace").strip().splitlines()
        reason = "stopped" if returncode and returncode < 0 else (lines[-1] if lines else f"exit code {returncode}")
        return BuildOutcome(failure=reason, seconds=time.perf_counter() - started)

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            process = self._process
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


def build_in_child() -> None:
    """The child's side: a BuildConfig (pickled) on stdin, a BuildOutcome (pickled) on stdout."""
    from .build import build_edition

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so the writers' ``finally`` removes their temp files
    channel = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but the outcome goes down the channel
    config = pickle.loads(sys.stdin.buffer.read())
    started = time.perf_counter()
    try:
        result = build_edition(config)
        outcome = BuildOutcome(tuple(result.diagnostics), tuple(result.outputs.values()), result.stopped)
    except EditionError as error:
        outcome = BuildOutcome(failure=str(error))
    except Exception as error:  # a bug: one line, the watch goes on
        outcome = BuildOutcome(failure=f"internal error: {type(error).__name__}: {error}")
    channel.write(pickle.dumps(replace(outcome, seconds=time.perf_counter() - started)))
    channel.flush()


class Rebuilder:
    """One build at a time, in the background: a request made while a build runs is queued, and any number of
    them fold into one more build of the sources as they then are."""

    def __init__(self, config: BuildConfig, builder, on_done: Callable[[BuildOutcome], None],
                 on_start: Callable[[], None] = lambda: None):
        """``builder`` has ``run(config) -> BuildOutcome`` and ``stop()`` (a BuildProcess, or a stand-in)."""
        self.config = config
        self.builder = builder
        self.on_done = on_done
        self.on_start = on_start
        self._pending = False
        self._running = False
        self._closed = False
        self._condition = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name="edition-rebuild", daemon=True)
        self._thread.start()

    def request(self) -> None:
        with self._condition:
            self._pending = True
            self._condition.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """True once no build runs and none is queued."""
        with self._condition:
            return self._condition.wait_for(lambda: not (self._pending or self._running), timeout)

    def close(self) -> None:
        """Stop: drop a queued build, stop the one running."""
        with self._condition:
            self._closed = True
            self._pending = False
            self._condition.notify_all()
        self.builder.stop()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._pending or self._closed)
                if self._closed:
                    return
                self._pending, self._running = False, True
            try:
                self.on_start()
                try:
                    outcome = self.builder.run(self.config)
                except Exception as error:  # the child could not be started, or a bug: the next request may do
                    outcome = BuildOutcome(failure=f"internal error: {type(error).__name__}: {error}")
                if not self._closed:
                    self.on_done(outcome)
            finally:
                with self._condition:
                    self._running = False
                    self._condition.notify_all()


# --- a session ----------------------------------------------------------------------------------------------

class Session:
    """One watch of one edition: each save checked and shown, the preview refreshed, the books rebuilt."""

    def __init__(self, config: WatchConfig, rebuilder: Rebuilder | None = None, preview=None,
                 show: Callable[[Checked, str], None] = lambda checked, what: None):
        """``show`` is given each check's findings as soon as they are known, before the preview and the books."""
        self.config = config
        self.source = config.build.sources[0]
        self.rebuilder = rebuilder
        self.preview = preview
        self.show = show
        self._rendering = threading.Lock()

    def start(self) -> Checked:
        """The whole edition checked and shown, and the preview rendered."""
        checked = check_saved(self.source, (), self.config.build.settings)
        self.show(checked, f"checked {display_path(self.source)}")
        self._preview(checked)
        return checked

    def saved(self, paths: Iterable[Path]) -> Checked:
        """What a save changed: those files checked against the edition and shown, the preview refreshed, and a
        rebuild requested."""
        paths = sorted(set(paths))
        checked = check_saved(self.source, paths, self.config.build.settings)
        self.show(checked, "saved " + ", ".join(display_path(path) for path in paths))
        self._preview(checked)
        self.rebuild(checked)
        return checked

    def rebuild(self, checked: Checked) -> None:
        """A rebuild, unless what was checked has errors (the build would stop on them)."""
        if self.rebuilder is not None and (not checked.has_errors or self.config.build.force):
            self.rebuilder.request()

    def built(self, outcome: BuildOutcome) -> None:
        """After a build, the preview again: with the print pages of the new layout."""
        if self.preview is None or outcome.stopped or outcome.failure:
            return
        from .build import edition_settings

        edition, _ = load_edition([self.source])
        self._render(edition, edition_settings(edition, self.config.build.settings)[0])

    def _preview(self, checked: Checked) -> None:
        if self.preview is not None:
            self.preview.report([d.format() for d in sort_diagnostics(checked.diagnostics)
                                 if d.severity is Severity.ERROR])
            self._render(checked.edition, checked.settings)

    def _render(self, edition: Edition, settings: EditionSettings) -> None:
        from .preview import render_pages

        if len(edition.documents) < edition.file_count and self.preview.version:
            return  # a text that does not parse would vanish from the preview: the last pages stay
        with self._rendering:
            self.preview.publish(render_pages(edition, settings, self.config.build.out_dir))


# --- the command --------------------------------------------------------------------------------------------

class Console:
    """Lines to stderr from the watcher and the background build, never interleaved."""

    def __init__(self):
        self._lock = threading.Lock()

    def __call__(self, *lines: str) -> None:
        with self._lock:
            for line in lines:
                click.echo(line, err=True)

    def checked(self, checked: Checked, what: str) -> None:
        diagnostics = sort_diagnostics(checked.diagnostics)
        self(f"[{time.strftime('%H:%M:%S')}] {what}", *(d.format() for d in diagnostics),
             summary_line(diagnostics, checked.file_count))

    def built(self, outcome: BuildOutcome) -> None:
        from .check.rules import RULES

        stamp = f"[{time.strftime('%H:%M:%S')}]"
        if outcome.failure:
            self(f"{stamp} build failed: {outcome.failure}; the last good books are untouched")
        elif outcome.stopped:
            errors = [d.format() for d in outcome.diagnostics if d.severity is Severity.ERROR]
            self(*errors, f"{stamp} build stopped: fix the errors above; the last good books are untouched")
        else:
            # the edition's own diagnostics were shown on save; what the build adds is the writers'
            found = [d.format() for d in outcome.diagnostics if d.rule not in RULES]
            written = ", ".join(display_path(path) for path in outcome.outputs) or "nothing"
            self(*found, f"{stamp} wrote {written} ({outcome.seconds:.1f} s)")


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def run_watch(config: WatchConfig, stop: threading.Event | None = None,
              ready: Callable[[str | None], None] = lambda url: None, builder=None) -> int:
    """Watch until Ctrl-C, a TERM signal or ``stop``; the exit code is 0. ``ready`` is given the preview's address
    once it serves; ``builder`` runs the builds (a BuildProcess unless given)."""
    import watchfiles

    from .preview import Preview, PreviewServer

    console = Console()
    source = config.build.sources[0]
    preview = Preview() if config.serve else None
    server = rebuilder = None
    on_term = None
    if threading.current_thread() is threading.main_thread():
        # stopped by a process manager: as by Ctrl-C, the build too; the handler before is put back at the end
        on_term = signal.signal(signal.SIGTERM, _interrupt)
    try:
        if preview is not None:
            server = PreviewServer(preview, config.port)
        session = Session(config, None, preview, show=console.checked)

        def internal(error: Exception) -> None:
            """A bug in a check, the model or the preview: said in one line, and the watch goes on."""
            if config.debug:
                traceback.print_exception(error)
            console(f"edition: internal error: {type(error).__name__}: {error} (rerun with --debug for the "
                    "traceback)")

        def built(outcome: BuildOutcome) -> None:
            console.built(outcome)
            try:
                session.built(outcome)
            except Exception as error:
                internal(error)

        rebuilder = Rebuilder(config.build, builder or BuildProcess(), on_done=built,
                              on_start=lambda: console(f"[{time.strftime('%H:%M:%S')}] rebuilding the books…"))
        session.rebuilder = rebuilder
        checked = session.start()
        sources = SourceFilter(source, config.build.out_dir)
        watching = False
        # the first (empty) yield says the watcher is in place: only then is "watching" true
        for changes in watchfiles.watch(sources.folder, watch_filter=sources, stop_event=stop,
                                        raise_interrupt=True, rust_timeout=WAKE_MS, yield_on_timeout=True):
            if not watching:
                watching = True
                console(f"watching {display_path(source)}; the books go to {display_path(config.build.out_dir)}"
                        + (f"; preview at {server.url}" if server else "") + " (Ctrl-C to stop)")
                ready(server.url if server else None)
                session.rebuild(checked)
            if not changes:
                continue
            try:
                session.saved(Path(path) for _, path in changes)
            except Exception as error:
                internal(error)
    except KeyboardInterrupt:
        pass
    finally:
        if rebuilder is not None:
            rebuilder.close()
        if server is not None:
            server.close()
        if on_term is not None:
            signal.signal(signal.SIGTERM, on_term)
    console("stopped watching")
    return 0
