"""`edition watch`: which saves count, what a save checks and shows, the background build queued one at a time."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT
from edition.cli import main
from edition.config import BuildConfig
from edition.diagnostics import Severity, sort_diagnostics, summary_line
from edition.preview import Preview
from edition.watch import (
    BuildOutcome,
    BuildProcess,
    Rebuilder,
    Session,
    SourceFilter,
    WatchConfig,
    check_saved,
    run_watch,
)

WAIT = 60  # seconds a test waits for a thread before it fails rather than hangs; never a measure of speed


class StandInBuilder:
    """Records the builds asked for; each waits until the test lets it finish."""

    def __init__(self):
        self.started = threading.Semaphore(0)
        self.release = threading.Event()
        self.runs = 0
        self.stopped = False

    def run(self, config: BuildConfig) -> BuildOutcome:
        self.runs += 1
        self.started.release()
        assert self.release.wait(WAIT)
        return BuildOutcome(failure="stopped") if self.stopped else BuildOutcome()

    def stop(self) -> None:
        self.stopped = True
        self.release.set()


class Requests:
    """A stand-in for the Rebuilder that counts what a session asks of it."""

    def __init__(self):
        self.count = 0

    def request(self) -> None:
        self.count += 1


def config_for(edition: Path, tmp_path: Path, **kwargs) -> WatchConfig:
    return WatchConfig(BuildConfig(sources=(edition,), out_dir=tmp_path / "build", formats=("pdf", "epub"),
                                   quiet=True, **kwargs))


def replace_in(path: Path, old: str, new: str) -> None:
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")


# --- which files count ---------------------------------------------------------------------------------------

def test_the_filter_takes_the_sources_and_leaves_books_and_temporary_files(tmp_path):
    edition = tmp_path / "ed"
    edition.mkdir()
    wanted = SourceFilter(edition, edition / "out").wanted
    for path in ("edition.xml", "texts/one.xml", "edition.toml", "schema/edition.rng", "fonts/Face-Italic.otf"):
        assert wanted(edition / path), path
    for path in ("out/ed.pdf", "out/ed.layout.json", "out/sub/x.xml", "build/x.xml", "schema/x.xml",
                 "texts/.one.xml.partial", "texts/.#one.xml", "texts/#one.xml#", "texts/one.xml~",
                 ".git/x.xml", "texts/notes.txt", "README.md"):
        assert not wanted(edition / path), path
    assert not wanted(tmp_path / "elsewhere.xml")


def test_a_lone_file_is_watched_alone(tmp_path):
    lone = tmp_path / "letter.xml"
    lone.write_text("<TEI/>")
    wanted = SourceFilter(lone, tmp_path / "build").wanted
    assert wanted(lone) and not wanted(tmp_path / "other.xml")


# --- what a save checks --------------------------------------------------------------------------------------

def test_a_saved_file_is_checked_against_the_whole_edition_and_reported_alone(mini_edition):
    one, two = mini_edition / "texts" / "one.xml", mini_edition / "texts" / "two.xml"
    replace_in(one, 'ref="#lenin"', 'ref="#lenni"')
    replace_in(two, 'ref="#serge"', 'ref="#sergei"')
    checked = check_saved(mini_edition, [one])
    assert checked.file_count == 1
    assert {(Path(d.path).name, d.rule) for d in checked.diagnostics} == {("one.xml", "ref-unresolved")}
    # its pointers into the registers resolve: only the broken one is reported
    assert all("lenni" in d.message for d in checked.diagnostics)


def test_a_save_is_checked_as_edition_validate_file_checks_it(mini_edition, run):
    one = mini_edition / "texts" / "one.xml"
    replace_in(one, 'ref="#lenin"', 'ref="#lenni"')
    replace_in(one, 'when="1917-10"', 'when="10/1917"')
    checked = check_saved(mini_edition, [one])
    *printed, summary = run("validate", one).stderr.splitlines()
    assert [d.format() for d in sort_diagnostics(checked.diagnostics)] == printed and len(printed) == 3
    assert summary == summary_line(checked.diagnostics, checked.file_count)


def test_a_clean_save_has_no_diagnostics(mini_edition):
    one = mini_edition / "texts" / "one.xml"
    replace_in(one, "spoke in", "spoke twice in")
    checked = check_saved(mini_edition, [one])
    assert checked.diagnostics == [] and not checked.has_errors


def test_settings_and_removed_files_check_the_whole_edition(mini_edition):
    (mini_edition / "edition.toml").write_text('[book]\ntrimsize = "A5"\n', encoding="utf-8")
    checked = check_saved(mini_edition, [mini_edition / "edition.toml"])
    assert checked.file_count == 4
    assert [d.rule for d in checked.diagnostics] == ["settings-unknown"]
    (mini_edition / "edition.toml").unlink()
    (mini_edition / "registers" / "persons.xml").unlink()
    checked = check_saved(mini_edition, [mini_edition / "registers" / "persons.xml"])
    assert {Path(d.path).name for d in checked.diagnostics if d.rule == "ref-unresolved"} == {"one.xml", "two.xml"}


# --- a session: shown, previewed, rebuilt ---------------------------------------------------------------------

def test_a_save_is_shown_then_previewed_then_rebuilt(mini_edition, tmp_path):
    shown, requests, preview = [], Requests(), Preview()
    session = Session(config_for(mini_edition, tmp_path), requests, preview,
                      show=lambda checked, what: shown.append((what, checked.diagnostics, preview.version)))
    session.start()
    assert preview.version == 1 and b"spoke in" in preview.page("one.xhtml")
    one = mini_edition / "texts" / "one.xml"
    replace_in(one, "spoke in", "spoke loudly in")
    session.saved([one])
    what, diagnostics, version_when_shown = shown[-1]
    assert what.startswith("saved ") and what.endswith("one.xml") and diagnostics == []
    assert version_when_shown == 1  # the diagnostics come first, before the preview's work
    assert preview.version == 2 and b"spoke loudly in" in preview.page("one.xhtml")
    assert requests.count == 1


def test_a_save_with_errors_is_not_rebuilt_and_its_errors_go_to_the_preview(mini_edition, tmp_path):
    requests, preview = Requests(), Preview()
    session = Session(config_for(mini_edition, tmp_path), requests, preview)
    session.start()
    one = mini_edition / "texts" / "one.xml"
    replace_in(one, 'ref="#lenin"', 'ref="#lenni"')
    checked = session.saved([one])
    assert checked.has_errors and requests.count == 0
    assert len(preview.problems) == 1 and re.search(r"one\.xml:\d+:\d+: error: .*lenni.*\[ref-unresolved\]",
                                                    preview.problems[0])
    replace_in(one, 'ref="#lenni"', 'ref="#lenin"')
    session.saved([one])
    assert preview.problems == [] and requests.count == 1


def test_force_rebuilds_despite_errors(mini_edition, tmp_path):
    requests = Requests()
    session = Session(config_for(mini_edition, tmp_path, force=True), requests)
    one = mini_edition / "texts" / "one.xml"
    replace_in(one, 'ref="#lenin"', 'ref="#lenni"')
    assert session.saved([one]).has_errors and requests.count == 1


def test_a_file_that_does_not_parse_leaves_the_last_preview(mini_edition, tmp_path):
    preview = Preview()
    session = Session(config_for(mini_edition, tmp_path), Requests(), preview)
    session.start()
    one = mini_edition / "texts" / "one.xml"
    replace_in(one, "</head>", "</hed>")
    checked = session.saved([one])
    assert [d.rule for d in checked.diagnostics] == ["xml-malformed"]
    assert preview.version == 1 and b"The First Text" in preview.page("one.xhtml")
    assert "xml-malformed" in preview.problems[0]


def test_a_finished_build_refreshes_the_preview_only_if_it_changed(mini_edition, tmp_path):
    preview = Preview()
    session = Session(config_for(mini_edition, tmp_path), Requests(), preview)
    session.start()
    session.built(BuildOutcome())
    assert preview.version == 1  # the same pages: the browser is not reloaded for nothing
    replace_in(mini_edition / "texts" / "two.xml", "grew", "grew and grew")
    session.built(BuildOutcome(stopped=True))
    assert preview.version == 1
    session.built(BuildOutcome())
    assert preview.version == 2 and b"grew and grew" in preview.page("two.xhtml")


# --- the background build --------------------------------------------------------------------------------------

def test_requests_during_a_build_fold_into_one_more(tmp_path):
    builder, done = StandInBuilder(), []
    rebuilder = Rebuilder(config_for(tmp_path, tmp_path).build, builder, on_done=done.append)
    try:
        rebuilder.request()
        assert builder.started.acquire(timeout=WAIT)
        for _ in range(3):
            rebuilder.request()  # saved while the first build runs
        builder.release.set()
        assert builder.started.acquire(timeout=WAIT)
        assert rebuilder.wait_idle(WAIT)
        assert builder.runs == 2 and len(done) == 2
    finally:
        rebuilder.close()


def test_closing_stops_the_running_build_and_drops_the_queued_one(tmp_path):
    builder, done = StandInBuilder(), []
    rebuilder = Rebuilder(config_for(tmp_path, tmp_path).build, builder, on_done=done.append)
    rebuilder.request()
    assert builder.started.acquire(timeout=WAIT)
    rebuilder.request()
    rebuilder.close()
    assert builder.stopped and builder.runs == 1 and done == []


def test_a_builder_that_breaks_is_reported_and_the_next_request_still_builds(tmp_path):
    class Breaking:
        runs = 0

        def run(self, config):
            self.runs += 1
            raise OSError("no such interpreter")

        def stop(self):
            pass

    builder, done = Breaking(), []
    rebuilder = Rebuilder(config_for(tmp_path, tmp_path).build, builder, on_done=done.append)
    try:
        for _ in range(2):
            rebuilder.request()
            assert rebuilder.wait_idle(WAIT)
    finally:
        rebuilder.close()
    assert builder.runs == 2
    assert [outcome.failure for outcome in done] == ["internal error: OSError: no such interpreter"] * 2


@pytest.mark.slow
def test_a_build_in_a_child_process_writes_the_books(mini_edition, tmp_path):
    config = config_for(mini_edition, tmp_path).build
    outcome = BuildProcess().run(config)
    assert not (outcome.failure or outcome.stopped), outcome.failure
    assert {path.name for path in outcome.outputs} == {"mini-edition.pdf", "mini-edition.epub"}
    assert all(path.stat().st_size for path in outcome.outputs)
    assert not [d for d in outcome.diagnostics if d.severity is Severity.ERROR]


@pytest.mark.slow
def test_a_stopped_build_leaves_the_last_book_and_no_temporary_file(mini_edition, tmp_path):
    config = config_for(mini_edition, tmp_path).build
    config.out_dir.mkdir()
    last_good = config.out_dir / "mini-edition.pdf"
    last_good.write_bytes(b"%PDF- the last good book")
    builder = BuildProcess()
    outcomes = []
    thread = threading.Thread(target=lambda: outcomes.append(builder.run(config)))
    thread.start()
    while builder._process is None and thread.is_alive():
        thread.join(0.05)
    builder.stop()
    thread.join(WAIT)
    assert outcomes and outcomes[0].failure
    assert last_good.read_bytes() == b"%PDF- the last good book"
    assert [p.name for p in config.out_dir.iterdir()] == ["mini-edition.pdf"]


# --- the command ------------------------------------------------------------------------------------------------

def test_a_port_in_use_is_one_line_and_exit_code_2(mini_edition, tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as stop:
            main(["watch", str(mini_edition), "--out", str(tmp_path / "build"), "--serve", "--port", str(port)])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.count("\n") == 1
    assert err.startswith(f"edition: cannot serve the preview on 127.0.0.1:{port} (") and "--port" in err


def test_an_internal_error_on_a_save_is_one_line_and_the_watch_goes_on(mini_edition, tmp_path, monkeypatch,
                                                                      capsys):
    saves = threading.Semaphore(0)

    def broken(session, paths):
        saves.release()
        raise RuntimeError("boom")

    monkeypatch.setattr(Session, "saved", broken)
    builder, stop, ready = StandInBuilder(), threading.Event(), threading.Event()
    builder.release.set()
    watching = threading.Thread(target=run_watch, args=(config_for(mini_edition, tmp_path),),
                                kwargs={"stop": stop, "ready": lambda url: ready.set(), "builder": builder})
    watching.start()
    try:
        assert ready.wait(WAIT)
        for old, new in (("spoke in", "spoke once in"), ("once", "twice")):
            replace_in(mini_edition / "texts" / "one.xml", old, new)
            assert saves.acquire(timeout=WAIT)
    finally:
        stop.set()
        watching.join(WAIT)
    err = capsys.readouterr().err
    assert err.count("edition: internal error: RuntimeError: boom (rerun with --debug") >= 2
    assert "Traceback" not in err and err.rstrip().endswith("stopped watching")


def test_port_without_serve_is_a_usage_error(run, mini_edition):
    result = run("watch", mini_edition, "--port", "8001")
    assert result.exit_code == 2 and "--serve" in result.stderr


class Lines:
    """The lines a process writes to stderr, read in a thread so that a test waits for one with a time limit."""

    def __init__(self, stream):
        self.seen: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [self._queue.put(line) for line in stream] + [self._queue.put("")],
                         daemon=True).start()

    def until(self, wanted: str) -> None:
        while not (self.seen and wanted in self.seen[-1]):
            line = self._queue.get(timeout=WAIT)
            assert line, "the process ended:\n" + "".join(self.seen)
            self.seen.append(line)

    def rest(self) -> str:
        lines = []
        while (line := self._queue.get(timeout=WAIT)):
            lines.append(line)
        return "".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_watch_reports_a_save_and_stops_on_ctrl_c(mini_edition, tmp_path, stop_signal):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-c", "from edition.cli import main; main()", "watch", str(mini_edition),
         "--out", str(tmp_path / "build"), "--serve", "--port", "0"],
        stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
        # Ctrl-C as at a terminal, even where the suite itself runs in the background (a shell's background job
        # ignores SIGINT, the watch would inherit that, and Python then installs no handler for it)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        lines = Lines(process.stderr)
        lines.until("preview at http://127.0.0.1:")
        replace_in(mini_edition / "texts" / "one.xml", 'ref="#lenin"', 'ref="#lenni"')
        lines.until("1 error, 0 warnings in 1 file")
        assert re.search(r"^mini/texts/one\.xml:\d+:\d+: error: .*\[ref-unresolved\]$", "".join(lines.seen), re.M)
        process.send_signal(stop_signal)  # most likely while the first build runs
        try:
            code = process.wait(WAIT)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGUSR1)  # the watch prints where each of its threads is
            time.sleep(2)
            process.kill()
            pytest.fail("the watch did not stop:\n" + "".join(lines.seen) + lines.rest())
        assert code == 0
        rest = lines.rest()
    finally:
        if process.poll() is None:
            process.kill()
    assert "Traceback" not in rest and rest.rstrip().endswith("stopped watching")
    assert not list((tmp_path / "build").glob(".*.partial"))
