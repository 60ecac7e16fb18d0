"""The body laid out by units: where units begin, page marks, the layout cache, and the two corrections made to a
laid-out document in place (its folios, and the pages its cross-references print)."""

from __future__ import annotations

import pytest
from lxml import html
from pypdf import PdfReader

from edition.write.units import LayoutCache, in_book, page_mark, unit_starts
from edition.write.weasy import Renderer

_CSS = """
@page { size: 300px 260px; margin: 30px 40px 40px 40px; }
@page :right { @bottom-right { content: counter(page); font-family: serif; font-size: 11px; } }
@page :left { @bottom-left { content: counter(page); font-family: serif; font-size: 11px; } }
body { font-family: serif; font-size: 12px; }
a.page-label::after { content: " (p.\\00a0" attr(data-page) ")"; font-variant-numeric: tabular-nums; }
"""


def test_every_unit_begins_on_a_recto():
    assert unit_starts([3, 2, 1, 4]) == {0: 0, 1: 4, 2: 6, 3: 8}


def test_page_marks_become_the_books_pages():
    assert in_book(f"the apparatus of p. {page_mark(0)} to {page_mark(2)}.5", 11) == "the apparatus of p. 11 to 13.5"
    assert in_book("no marks", 5) == "no marks"


def test_the_cache_keeps_what_a_build_used_and_forgets_the_rest(tmp_path):
    cache = LayoutCache(tmp_path / "cache", "salt")
    assert cache.key("unit", "<html/>") != LayoutCache(None, "other").key("unit", "<html/>")
    assert cache.key("unit", "<html/>") != cache.key("unit", "<html/> ")
    key = cache.key("unit", "<html/>")
    assert cache.get(key) is None
    cache.put(key, b"laid out")
    assert cache.get(key) == b"laid out"
    later = LayoutCache(tmp_path / "cache", "salt")
    other = later.key("unit", "<p/>")
    later.put(other, b"another")
    later.prune()  # this build used only `other`
    assert later.get(key) is None and later.get(other) == b"another"
    assert LayoutCache(None, "salt").get(key) is None  # no folder: nothing kept, nothing read


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    folder = tmp_path_factory.mktemp("units")
    with Renderer([("string", _CSS)], roots=[folder], base=folder, corrected=False) as renderer:
        yield renderer


def _document(paragraphs: int):
    words = " ".join(["word"] * 60)
    body = "".join(f'<p id="p{i}">{words} <a class="page-label" data-xref="{i}" data-page="00" href="#p0">see</a></p>'
                   for i in range(paragraphs))
    return html.document_fromstring(f'<html lang="en"><body>{body}</body></html>')


def _folios(rendered) -> list[tuple[str, float, float]]:
    from weasyprint.formatting_structure.boxes import MarginBox, TextBox

    from edition.write.weasy import _walk

    found = []
    for page in rendered.document.pages:
        for margin in page._page_box.children:
            if isinstance(margin, MarginBox):
                for box, _ in _walk(margin):
                    if isinstance(box, TextBox):
                        found.append((box.text, round(box.position_x, 2), round(box.position_x + box.width, 2)))
    return found


def test_folios_are_set_to_the_books_pages_keeping_their_alignment(renderer, tmp_path):
    rendered = renderer.render(_document(12))
    assert len(rendered) >= 3
    before = _folios(rendered)
    assert [text for text, _, _ in before] == [str(i + 1) for i in range(len(rendered))]
    rendered.renumber(98)
    after = _folios(rendered)
    assert [text for text, _, _ in after] == [str(98 + i) for i in range(len(rendered))]
    for (_, left, right), (_, new_left, new_right), number in zip(before, after, range(len(rendered)), strict=True):
        if number % 2 == 0:  # a recto: the folio at the right keeps its right edge
            assert new_right == pytest.approx(right, abs=0.05) and new_left < left
        else:  # a verso: the folio at the left keeps its left edge
            assert new_left == pytest.approx(left, abs=0.05)
    out = tmp_path / "renumbered.pdf"
    renderer.write([(rendered, list(range(len(rendered))))], out, 0)
    text = "\n".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "98" in text and str(97 + len(rendered)) in text


def test_a_cross_reference_gets_its_page_where_the_figures_are_as_wide(renderer, tmp_path):
    rendered = renderer.render(_document(3))
    failed = rendered.replace_generated("data-xref", {"0": ("00", "47"), "1": ("00", "123"), "2": ("00", "00")})
    assert failed == {"1"}  # three figures do not fit where two were laid out
    out = tmp_path / "xrefs.pdf"
    renderer.write([(rendered, list(range(len(rendered))))], out, 0)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(out)).pages).split())
    assert "see (p. 47)" in text and "see (p. 00)" in text


def test_laid_out_pages_travel_as_bytes_and_print_the_same(renderer, tmp_path):
    rendered = renderer.render(_document(8))
    data = renderer.dumps(rendered, {"what": "extra"})
    loaded, extra = renderer.loads(data)
    assert extra == {"what": "extra"} and len(loaded) == len(rendered)
    texts = []
    for name, document in (("direct", rendered), ("loaded", loaded)):
        out = tmp_path / f"{name}.pdf"
        renderer.write([(document, list(range(len(document))))], out, 0)
        texts.append([page.extract_text() for page in PdfReader(str(out)).pages])
    assert texts[0] == texts[1]


# --- the worker processes: a stuck or dead worker makes the build slower, never stuck ----------------------

def _in_worker_unless(parent: int, action):
    import os

    def job(source: str) -> bytes:
        if os.getpid() != parent and source == "stuck":
            action()
        return source.upper().encode()
    return job


def _lay_out_all(job, stall: float) -> tuple[dict[int, bytes], list[str]]:
    from edition.write.units import lay_out

    told: list[str] = []
    jobs = [(0, "one"), (1, "stuck"), (2, "three"), (3, "four")]
    done = dict(lay_out(jobs, job, fresh=lambda: None, processes=2, stall=stall, fallback=told.append))
    return done, told


def test_units_come_back_from_the_workers_with_nothing_to_report():
    import os

    done, told = _lay_out_all(_in_worker_unless(os.getpid(), lambda: None), stall=60)
    assert done == {0: b"ONE", 1: b"STUCK", 2: b"THREE", 3: b"FOUR"} and told == []


def test_a_stuck_worker_is_given_up_and_its_units_laid_out_here():
    import os
    import time

    done, told = _lay_out_all(_in_worker_unless(os.getpid(), lambda: time.sleep(120)), stall=2)
    assert done == {0: b"ONE", 1: b"STUCK", 2: b"THREE", 3: b"FOUR"}
    assert len(told) == 1 and "no unit came back from the worker processes in 2 s" in told[0]


def test_a_worker_that_dies_is_replaced_by_this_process():
    import multiprocessing
    import os
    import time

    before = set(multiprocessing.active_children())
    done, told = _lay_out_all(_in_worker_unless(os.getpid(), lambda: os._exit(9)), stall=60)
    assert done == {0: b"ONE", 1: b"STUCK", 2: b"THREE", 3: b"FOUR"}
    assert len(told) == 1 and "laid out in the main process instead" in told[0]
    # no worker left behind (the executor's own thread may be reaping one a moment longer)
    deadline = time.monotonic() + 10
    while not set(multiprocessing.active_children()) <= before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert set(multiprocessing.active_children()) <= before


def test_an_error_in_a_unit_is_raised_not_hidden():
    import os

    def fail():
        raise ValueError("a unit that cannot be laid out")

    with pytest.raises(ValueError, match="cannot be laid out"):
        _lay_out_all(_in_worker_unless(os.getpid(), fail), stall=60)


def test_a_containers_cpu_quota_caps_the_worker_processes(tmp_path):
    from edition.write.units import _cpu_quota

    path = tmp_path / "cpu.max"
    for text, cores in [("200000 100000\n", 2), ("150000 100000", 2), ("max 100000", None), ("nonsense", None)]:
        path.write_text(text)
        assert _cpu_quota(path) == cores
    assert _cpu_quota(tmp_path / "absent") is None


def test_the_stall_limit_can_be_shortened_and_falls_back_on_nonsense(monkeypatch):
    from edition.write.units import STALL_SECONDS, stall_limit

    monkeypatch.setenv("EDITION_STALL_SECONDS", "45")
    assert stall_limit() == 45
    for value in ("", "soon", "0"):
        monkeypatch.setenv("EDITION_STALL_SECONDS", value)
        assert stall_limit() == STALL_SECONDS


def test_a_worker_waiting_on_a_lock_is_given_up_before_the_stall_limit():
    import os
    import threading

    from edition.write.units import lay_out

    lock = threading.Lock()
    lock.acquire()  # held in the parent, and so in every forked worker, by no thread that will release it
    told: list[str] = []
    jobs = [(0, "one"), (1, "stuck"), (2, "three")]
    job = _in_worker_unless(os.getpid(), lock.acquire)
    done = dict(lay_out(jobs, job, fresh=lambda: None, processes=2, stall=600, idle=2, fallback=told.append))
    assert done == {0: b"ONE", 1: b"STUCK", 2: b"THREE"}
    assert len(told) == 1 and "used no processor time for 2 s" in told[0], told


def test_a_worker_computing_long_is_waited_for():
    import os
    import time

    from edition.write.units import lay_out

    def compute():
        end = time.process_time() + 4  # longer than the idle limit, all of it on the processor
        while time.process_time() < end:
            pass

    told: list[str] = []
    jobs = [(0, "one"), (1, "stuck"), (2, "three")]
    done = dict(lay_out(jobs, _in_worker_unless(os.getpid(), compute), fresh=lambda: None, processes=2, stall=600,
                        idle=2, fallback=told.append))
    assert done == {0: b"ONE", 1: b"STUCK", 2: b"THREE"} and told == []
