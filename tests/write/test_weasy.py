"""The WeasyPrint adapter: the footnote and line corrections, the sandbox, the version guard."""

from __future__ import annotations

import io
import os

import pytest
from lxml import html

from edition.errors import EditionError
from edition.write import weasy

# A minimal document on which WeasyPrint 70.0, uncorrected, prints notes a page after their calls: the last
# paragraph's second line overflows where orphans forbid a break before it, with notes already on the page.
CSS = """@page { size: 300px 400px; margin: 20px; }
body { font: 12px/16px serif; margin: 0; }
p { margin: 0; orphans: 2; widows: 2; }
.fn { float: footnote; font-size: 10px; line-height: 12px; }"""


def document():
    paragraphs = [f'<p><span id="c{i}">Para</span><span class="fn" id="n{i}">Note {i}.</span> ' + "filler " * 23
                  + "</p>" for i in range(5)]
    paragraphs.append('<p>' + "word " * 30 + '<span id="c5">called</span><span class="fn" id="n5">The last note.'
                      "</span> " + "more " * 20 + "</p>")
    return html.fromstring("<html><body>" + "".join(paragraphs) + "</body></html>")


def displaced(corrected: bool, tmp_path) -> list[int]:
    renderer = weasy.Renderer([("string", CSS)], [tmp_path], tmp_path, corrected=corrected)
    with renderer:
        pages = renderer.render(document()).anchor_pages()
    return [i for i in range(6) if pages[f"n{i}"][0] != pages[f"c{i}"][0]]


def first_lines(corrected: bool, tmp_path) -> list[str]:
    """The lines of a paragraph whose first run of text (up to a name in an element of its own) fits its line
    only without its trailing space, as a page of the Serge edition had it."""
    from pathlib import Path

    from weasyprint.formatting_structure.boxes import LineBox, TextBox

    from edition.config import BookSettings
    from edition.write.assets import font_css, font_folders

    book = BookSettings()
    css = """@page { size: 6in 9in; margin: 0.72in 0.62in 0.85in 0.85in; }
    html { font-family: "EB Garamond"; font-size: 10.5pt; line-height: 1.32; }
    body { margin: 0 } p { margin: 0; text-align: justify; hyphens: auto; }"""
    source = ('<html lang="en"><body><p>Even in those difficult times the Seventh Congress considered questions '
              'of theory. <span>Lenin</span> finally succeeded in having the name of the party changed.</p></body>'
              '</html>')
    renderer = weasy.Renderer([("string", font_css(book, Path("."), instances=tmp_path)), ("string", css)],
                              [tmp_path, *font_folders(book, Path("."))], tmp_path, corrected=corrected)
    with renderer:
        pages = renderer.render(html.document_fromstring(source)).document.pages
    return ["".join(b.text for b in line.descendants() if isinstance(b, TextBox))
            for page in pages for line in page._page_box.descendants() if isinstance(line, LineBox)]


def test_without_the_correction_a_line_that_fits_but_for_its_trailing_space_keeps_one_word(tmp_path):
    assert first_lines(False, tmp_path)[0] == "Even"


def test_with_the_correction_a_line_keeps_all_that_fits_before_its_trailing_space(tmp_path):
    lines = first_lines(True, tmp_path)
    assert lines[0].rstrip() == "Even in those difficult times the Seventh Congress considered questions of theory."
    assert lines[1].startswith("Lenin finally")


def test_without_the_correction_notes_fall_a_page_after_their_calls(tmp_path):
    assert displaced(False, tmp_path) != []


def test_with_the_correction_every_note_is_on_its_calls_page(tmp_path):
    assert displaced(True, tmp_path) == []


def test_the_correction_changes_nothing_outside_the_render(tmp_path):
    from weasyprint.document import Document
    from weasyprint.layout import LayoutContext

    displaced(True, tmp_path)
    assert weasy.LayoutContext is LayoutContext and "in_column" not in vars(LayoutContext)
    assert Document._build_layout_context.__func__ is vars(Document)["_build_layout_context"].__func__


def test_another_weasyprint_release_is_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(weasy.weasyprint, "__version__", "71.0")
    with pytest.raises(EditionError, match="WeasyPrint 71.0 is installed.*weasyprint==70.0"):
        weasy.check_version()


def test_sandbox_refuses_the_network_and_files_outside(tmp_path):
    from weasyprint.urls import FatalURLFetchingError

    fetcher = weasy.sandbox([tmp_path / "project"])
    (tmp_path / "project").mkdir()
    for url in ("http://example.org/x.css", "https://example.org/font.ttf", "ftp://example.org/a",
                "file:///etc/passwd", (tmp_path / "elsewhere.css").as_uri()):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    inside = tmp_path / "project" / "ok.css"
    inside.write_text("p {}")
    assert fetcher.fetch(inside.as_uri()) is not None
    assert fetcher.fetch("data:text/css,p{}") is not None


def test_a_layout_failure_is_one_clear_error(tmp_path, monkeypatch):
    renderer = weasy.Renderer([("string", "p {}")], [tmp_path], tmp_path)

    def broken(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(renderer.document_class, "_render", broken)
    with pytest.raises(EditionError, match="failed inside WeasyPrint.*last good PDF is untouched"):
        renderer.render(document())


# A book's two sides: mirrored margins around a text block of one width, the folio and running head outside.
SIDES_CSS = """@page { size: 300px 400px; margin: 20px 30px 20px 50px; }
@page :left { margin-left: 30px; margin-right: 50px;
  @bottom-left { content: counter(page); } @top-left { content: "Verso " string(group); } }
@page :right { margin-left: 50px; margin-right: 30px; @bottom-right { content: counter(page); } }
body { font: 12px/16px serif; margin: 0; } h2 { string-set: group content(); bookmark-level: 2; }
p { margin: 0; } .skipped { break-after: page; }"""


def _entries(verso: bool, side_break: bool = False):
    entries = "".join(f'<p id="e{i}">{i}.1 <b>word</b> <a href="#e{(i + 7) % 60}">lemma</a>] <i>A</i>; other</p>'
                      + (f"<h2>Group {i}</h2>" if i % 25 == 0 else "") for i in range(60))
    if side_break:
        entries = entries.replace("<h2>Group 25</h2>", '<h2 style="break-before: right">Group 25</h2>')
    skipped = '<div class="skipped"></div>' if verso else ""
    return html.document_fromstring(f"<html><body>{skipped}<section>{entries}</section></body></html>")


def test_pages_laid_out_for_rectos_put_on_versos_are_those_laid_out_for_versos(tmp_path):
    import pikepdf

    renderer = weasy.Renderer([("string", SIDES_CSS)], [tmp_path], tmp_path)
    with renderer:
        flipped = renderer.render(_entries(False), other_sides=True)
        shifts = flipped.sides_shifts()
        flipped.flip()
        versos = renderer.render(_entries(True))
        versos.renumber(0)  # numbered as the flipped pages, once the page laid out before the first verso is gone
        versos.document.pages = versos.document.pages[1:]
        assert len(flipped) == len(versos) > 2
        assert shifts == [-20, 20] * (len(flipped) // 2) + [-20] * (len(flipped) % 2)
        for made, laid in zip(flipped.document.pages, versos.document.pages, strict=True):
            assert made.anchors == laid.anchors and made.bookmarks == laid.bookmarks
            assert [link[:3] for link in made.links] == [link[:3] for link in laid.links]
        drawn = [renderer.draw(rendered, list(range(len(rendered))))[0] for rendered in (flipped, versos)]
    streams = [[page.Contents.read_bytes() for page in pikepdf.open(io.BytesIO(data)).pages] for data in drawn]
    assert streams[0] == streams[1]  # the same marks, at the same places, margin boxes included


def test_a_page_after_a_break_to_a_side_has_no_other_side(tmp_path):
    renderer = weasy.Renderer([("string", SIDES_CSS)], [tmp_path], tmp_path)
    with renderer:
        assert renderer.render(_entries(False), other_sides=True).sides_shifts() is not None
        assert renderer.render(_entries(False, side_break=True), other_sides=True).sides_shifts() is None
        assert renderer.render(_entries(False)).sides_shifts() is None  # not asked for


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="threads are read from /proc (Linux)")
def test_settle_waits_for_pangos_fontconfig_threads_before_a_fork(tmp_path):
    import ctypes
    import threading
    import time

    libc = ctypes.CDLL(None)
    started, running = threading.Event(), []

    def fontconfig_sort():  # a thread named as Pango 1.50 names the one that sorts fonts
        libc.prctl(15, b"[pango] FcFontSetSort", 0, 0, 0)  # PR_SET_NAME
        started.set()
        time.sleep(0.4)
        running.append(False)

    renderer = weasy.Renderer([("string", CSS)], [tmp_path], tmp_path)
    with renderer:
        renderer.settle()  # the font machinery set up first
        thread = threading.Thread(target=fontconfig_sort)
        thread.start()
        started.wait()
        assert weasy.pango_threads() == ["[pango] FcFontS"]  # a thread's name is cut at 15 bytes
        renderer.settle()
        assert running == [False]  # the thread had ended when settle returned
        thread.join()
    assert weasy.pango_threads() == []


def test_pages_laid_out_with_their_other_sides_are_the_pages_laid_out_without(tmp_path):
    import pikepdf

    renderer = weasy.Renderer([("string", SIDES_CSS)], [tmp_path], tmp_path)
    with renderer:
        made = [renderer.render(_entries(False), other_sides=sides) for sides in (True, False)]
        drawn = [renderer.draw(rendered, list(range(len(rendered))))[0] for rendered in made]
    streams = [[page.Contents.read_bytes() for page in pikepdf.open(io.BytesIO(data)).pages] for data in drawn]
    assert len(streams[0]) > 2 and streams[0] == streams[1]
