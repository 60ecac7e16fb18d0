"""The EPUB written in a process of its own while the PDF is drawn: put in place once the PDF is, the same
book as one written after it, and written here where the process fails, dies or cannot be forked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from edition.build import Background
from edition.diagnostics import Diagnostic, Severity


def _writer(action=lambda: None):
    parent = os.getpid()

    def make(path: Path) -> list[Diagnostic]:
        if os.getpid() != parent:
            action()
        path.write_text(f"made by {os.getpid()}")
        return [Diagnostic("(epub)", 0, 0, Severity.WARNING, "test", f"from {os.getpid()}")]
    return make


def test_the_book_is_made_in_another_process_and_put_in_place(tmp_path):
    staged, path = tmp_path / ".cache" / "b.epub", tmp_path / "b.epub"
    staged.parent.mkdir()
    job = Background(_writer(), staged)
    found = job.result(path)
    assert found[0].message != f"from {os.getpid()}"  # made in the other process
    assert path.read_text() == f"made by {found[0].message.split()[-1]}" and not staged.exists()


def test_a_book_that_fails_there_is_made_here_and_its_error_raised_here(tmp_path):
    def fail():
        raise ValueError("only in the process")

    staged, path = tmp_path / "staged.epub", tmp_path / "b.epub"
    found = Background(_writer(fail), staged).result(path)
    assert found[0].message == f"from {os.getpid()}" and path.exists() and not staged.exists()

    def always(path: Path):
        raise ValueError("everywhere")

    with pytest.raises(ValueError, match="everywhere"):
        Background(always, staged).result(path)


def test_a_process_that_dies_leaves_the_book_to_be_made_here(tmp_path):
    staged, path = tmp_path / "staged.epub", tmp_path / "b.epub"
    found = Background(_writer(lambda: os._exit(9)), staged).result(path)
    assert found[0].message == f"from {os.getpid()}" and path.read_text() == f"made by {os.getpid()}"


def test_a_stopped_book_is_put_nowhere(tmp_path):
    import time

    staged, path = tmp_path / "staged.epub", tmp_path / "b.epub"
    job = Background(_writer(lambda: time.sleep(60)), staged)
    job.stop()
    assert not job.process.is_alive() and not staged.exists() and not path.exists()


@pytest.mark.slow
def test_both_books_with_the_epub_written_meanwhile_are_the_books_written_one_after_the_other(tmp_path, request):
    from edition.build import build_edition
    from edition.config import BuildConfig

    source = request.getfixturevalue("mini_edition")
    books = []
    for processes in (1, 2):
        out = tmp_path / f"out{processes}"
        result = build_edition(BuildConfig(sources=(source,), out_dir=out, formats=("pdf", "epub"), quiet=True,
                                           processes=processes))
        assert not result.stopped and result.outputs["epub"].exists()
        assert not list((out / ".cache").glob("*.epub"))  # nothing staged is left
        books.append((result.outputs["epub"].read_bytes(), [d.format() for d in result.diagnostics]))
    assert books[0] == books[1]


@pytest.mark.slow
def test_a_pdf_that_fails_leaves_the_last_epub_in_place(tmp_path, request, monkeypatch):
    from edition.build import build_edition
    from edition.config import BuildConfig
    from edition.errors import EditionError
    from edition.write import pdf

    source = request.getfixturevalue("mini_edition")
    config = BuildConfig(sources=(source,), out_dir=tmp_path / "out", formats=("pdf", "epub"), quiet=True,
                         processes=2, force=True)
    good = build_edition(config).outputs["epub"].read_bytes()
    (source / "texts" / "one.xml").write_text((source / "texts" / "one.xml").read_text(encoding="utf-8").replace(
        "</p>", " An edit.</p>", 1), encoding="utf-8")

    def broken(self, *args):
        raise EditionError("the drawing failed")

    monkeypatch.setattr(pdf.PdfWriter, "draw_book", broken)
    with pytest.raises(EditionError, match="the drawing failed"):
        build_edition(config)
    assert (tmp_path / "out" / "mini-edition.epub").read_bytes() == good
    assert not list((tmp_path / "out" / ".cache").glob("*.epub"))


def test_a_process_stuck_on_a_lock_is_given_up_and_the_book_made_here(tmp_path, monkeypatch):
    import threading

    monkeypatch.setenv("EDITION_IDLE_SECONDS", "2")
    lock = threading.Lock()
    lock.acquire()  # held at the fork by no thread that will release it in the process
    staged, path = tmp_path / "staged.epub", tmp_path / "b.epub"
    job = Background(_writer(lock.acquire), staged)
    found = job.result(path)
    assert found[0].message == f"from {os.getpid()}" and path.read_text() == f"made by {os.getpid()}"
    assert not job.process.is_alive()
