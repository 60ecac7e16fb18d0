"""Faces in the PDF: a variable face made static by HarfBuzz as fontTools' instancer would, and one program for
each face of a book combined from parts."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont, newTable
from fontTools.varLib.instancer import instantiateVariableFont
from lxml import html
from pypdf import PdfReader

from edition.config import BookSettings
from edition.write import merge
from edition.write.assets import face_files, font_css, font_folders, static_instance
from edition.write.faces import united_program
from edition.write.merge import Drawn, combine
from edition.write.units import LayoutCache
from edition.write.weasy import Renderer, axis_positions, static_subset

uharfbuzz = pytest.importorskip("uharfbuzz")

FACES = face_files("fontpkg-eb-garamond", Path("."))
ROMAN = next(face.path for face in FACES if not face.italic)
ITALIC = next(face.path for face in FACES if face.italic)


def _drawn_font(path: Path, weight: int = 400, style: int = 0, variations=None):
    """What static_subset reads of a font WeasyPrint drew."""
    return SimpleNamespace(file_content=path.read_bytes(), index=0, weight=weight, font_size=12.0, style=style,
                           variations=variations or {}, missing={})


def _glyphs(path: Path, text: str) -> list[int]:
    font = TTFont(str(path), lazy=True)
    cmap = font.getBestCmap()
    return sorted({font.getGlyphID(cmap[ord(letter)]) for letter in text})


def _points(font: TTFont, number: int) -> tuple[list, int]:
    """A glyph's outline with its components drawn in, and its advance."""
    name = font.getGlyphOrder()[number]
    pen = DecomposingRecordingPen(font.getGlyphSet())
    font.getGlyphSet()[name].draw(pen)
    return pen.value, font["hmtx"][name][0]


def _instance(path: Path, weight: int) -> TTFont:
    """The whole face made static by fontTools, as a file holds it (coordinates rounded to units)."""
    out = io.BytesIO()
    instantiateVariableFont(TTFont(str(path)), {"wght": weight}, static=True).save(out)
    return TTFont(io.BytesIO(out.getvalue()))


@pytest.fixture(scope="module")
def bold_reference():
    return _instance(ROMAN, 700)


@pytest.mark.slow  # fontTools makes the whole face static: seconds
def test_a_static_instance_of_a_variable_face_has_the_bold_s_outlines_and_widths(bold_reference, tmp_path):
    made = static_instance(ROMAN, 700, tmp_path)
    static = TTFont(str(made))
    assert "fvar" not in static and static["OS/2"].usWeightClass == 700
    for number in _glyphs(ROMAN, "Hamburgefonstiv é 2024"):
        assert _points(static, number) == _points(bold_reference, number)
    stamp = made.stat().st_mtime_ns
    assert static_instance(ROMAN, 700, tmp_path) == made and made.stat().st_mtime_ns == stamp  # kept, not made again
    assert static_instance(made, 700, tmp_path / "other") is None  # a static face has no weight to pin


@pytest.mark.slow
def test_a_variable_face_is_made_static_with_the_outlines_fonttools_instancer_gives(bold_reference):
    glyphs = _glyphs(ROMAN, "Hamburgefonstiv é 2024 «»")
    data = static_subset(_drawn_font(ROMAN, weight=700), glyphs, hinting=False)
    static = TTFont(io.BytesIO(data))
    assert "fvar" not in static and "gvar" not in static
    regular = _instance(ROMAN, 400)
    for number in glyphs:
        assert _points(static, number) == _points(bold_reference, number)
    assert any(_points(static, number) != _points(regular, number) for number in glyphs)  # bold, not regular


def test_each_axis_is_pinned_where_the_font_was_drawn():
    def axis(tag, low, default, high):
        return SimpleNamespace(tag=tag, min_value=low, default_value=default, max_value=high)

    axes = [axis("wght", 400, 400, 800), axis("opsz", 6, 12, 72), axis("slnt", -12, 0, 0), axis("ital", 0, 0, 1),
            axis("GRAD", -50, 0, 50), axis("wdth", 75, 100, 125)]
    oblique = SimpleNamespace(weight=950, font_size=9.5, style=1, variations={"wdth": 87.5})
    assert axis_positions(oblique, axes) == {"wght": 800, "opsz": 9.5, "slnt": -12, "ital": 0, "GRAD": 0,
                                             "wdth": 87.5}  # the weight within the axis, the asked width
    italic = SimpleNamespace(weight=400, font_size=80, style=2, variations={})
    assert axis_positions(italic, axes) == {"wght": 400, "opsz": 72, "slnt": 0, "ital": 1, "GRAD": 0, "wdth": 100}


def _subset(path: Path, text: str, numbers_of: Path | None = None) -> bytes:
    """A subset of a face holding the glyphs of ``text`` (the glyphs at their numbers in ``numbers_of``)."""
    return static_subset(_drawn_font(path), _glyphs(numbers_of or path, text), hinting=False)


@pytest.mark.slow
def test_subsets_of_one_face_are_united_glyph_for_glyph():
    first, second = _subset(ROMAN, "abc"), _subset(ROMAN, "xyz 2% é")  # figures and % are composite glyphs
    composite = TTFont(io.BytesIO(second))
    assert any(composite["glyf"][composite.getGlyphOrder()[n]].isComposite() for n in _glyphs(ROMAN, "2%"))
    data = united_program([first, second])
    united = TTFont(io.BytesIO(data))
    assert united["head"].modified == TTFont(io.BytesIO(first))["head"].modified  # not the time it was made
    whole = _instance(ROMAN, 400)
    for number in _glyphs(ROMAN, "abcxyz2%é"):
        assert _points(united, number) == _points(whole, number)


def test_a_space_is_united_with_its_width():
    space = _glyphs(ROMAN, " ")[0]
    wide = _subset(ROMAN, "ab\u2014")  # the most glyph numbers (the dash is far down the face), no space
    spaced = TTFont(io.BytesIO(_subset(ROMAN, "a b")))
    assert len(TTFont(io.BytesIO(wide)).getGlyphOrder()) > len(spaced.getGlyphOrder())
    width = spaced["hmtx"][spaced.getGlyphOrder()[space]][0]
    assert width > 0
    united = TTFont(io.BytesIO(united_program([wide, _subset(ROMAN, "a b")])))
    assert united["hmtx"][united.getGlyphOrder()[space]][0] == width


def test_two_faces_under_one_name_are_not_united():
    italic = _subset(ITALIC, "abc")
    roman = _subset(ROMAN, "abc", numbers_of=ITALIC)  # other outlines under the same numbers
    assert united_program([italic, roman]) is None
    assert united_program([italic, _subset(ITALIC, "xyz")]) is not None


def test_a_subset_holding_other_tables_by_glyph_is_not_united():
    font = TTFont(io.BytesIO(_subset(ROMAN, "xyz")))
    font["kern"] = newTable("kern")
    font["kern"].version, font["kern"].kernTables = 0, []
    out = io.BytesIO()
    font.save(out)
    assert united_program([_subset(ROMAN, "abc"), out.getvalue()]) is None


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> list[Drawn]:
    """Two parts of a book drawn apart in EB Garamond, roman, italic and bold, with other words each."""
    folder = tmp_path_factory.mktemp("faces")
    book = BookSettings()
    css = "@page { size: 300px 260px; margin: 30px; } body { font-family: 'EB Garamond'; font-size: 12px; }"
    texts = ["Alpha beta <i>gamma</i> <b>delta</b>", "Quixotic <i>zephyrs</i> jump, 1917 <b>Wyvern</b>"]
    found = []
    rules = font_css(book, Path("."), instances=folder)  # as a build has them: static instances
    assert "[wght]" not in rules
    with Renderer([("string", rules), ("string", css)], roots=[folder, *font_folders(book, Path("."))],
                  base=folder, corrected=False) as renderer:
        for text in texts:
            rendered = renderer.render(html.document_fromstring(f'<html lang="en"><body><p>{text}</p></body></html>'))
            data, places, _ = renderer.draw(rendered, list(range(len(rendered))))
            found.append(Drawn(data, frozenset(places)))
    return found


def test_a_combined_book_embeds_each_face_once_with_every_part_s_glyphs(parts, tmp_path):
    path = tmp_path / "book.pdf"
    combine(parts, path, 0, [])

    def programs(pdf) -> dict[str, list]:
        found: dict[str, list] = {}
        for item in pdf.objects:
            if isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/FontDescriptor":
                found.setdefault(str(item.FontName), []).append(item.FontFile2)
        return found

    book_pdf = pikepdf.open(path)
    combined = programs(book_pdf)
    assert len(combined) == 3 and all(len({p.objgen for p in found}) == 1 for found in combined.values())
    shared = {name: TTFont(io.BytesIO(found[0].read_bytes())) for name, found in combined.items()}
    for part in parts:  # every glyph a part drew is in the book's program of its face, the same outline
        part_pdf = pikepdf.open(io.BytesIO(part.data))
        for name, found in programs(part_pdf).items():
            own = TTFont(io.BytesIO(found[0].read_bytes()))
            for number, glyph_name in enumerate(own.getGlyphOrder()):
                if own["glyf"][glyph_name].numberOfContours:
                    assert _points(shared[name], number) == _points(own, number)
    for font in (f for page in book_pdf.pages for f in page.obj.Resources.Font.values()):
        # PDF/UA: each glyph's width in the font dictionary is its width in the program
        descendant = font.DescendantFonts[0]
        program = shared[str(descendant.FontDescriptor.FontName)]
        scale = 1000 / program["head"].unitsPerEm
        widths, at = descendant.W, 0
        while at < len(widths):
            first, given = int(widths[at]), widths[at + 1]
            for offset, width in enumerate(given):
                name = program.getGlyphOrder()[first + offset]
                assert abs(program["hmtx"][name][0] * scale - float(width)) <= 1
            at += 2
    text = "".join(page.extract_text() for page in PdfReader(str(path)).pages)
    assert "Quixotic" in text and "Alpha" in text


def test_a_union_is_kept_for_the_next_build(parts, tmp_path, monkeypatch):
    cache = LayoutCache(tmp_path / "cache", "salt")
    combine(parts, tmp_path / "first.pdf", 0, [], cache)
    monkeypatch.setattr(merge, "united_program", lambda programs: pytest.fail("united again"))
    combine(parts, tmp_path / "second.pdf", 0, [], cache)
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()
