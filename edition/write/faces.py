"""One font program for each face of a book combined from parts: the glyphs each part's subset of it holds,
united in one.

Each part of the book is drawn as a PDF of its own, which embeds its own subset of each face it uses. Each subset
keeps every glyph at its number in the face (``weasy.static_subset``), and WeasyPrint names it after the face's
description, the same in every part; so the parts' subsets of one face differ only in which glyphs they hold:
their union, a glyph taken from whichever subset holds it, is the subset the whole book would embed. Each part
keeps its own font dictionary (its widths, its map to Unicode); only the program they point to is shared.

A face is united only where that is certain to be right: TrueType outlines, and nothing in the subsets indexed by
glyph but the outlines and their metrics. Where two subsets hold different outlines under one number, or
anything else is unexpected, the parts keep their own programs.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable

# the tables a subset of a face may hold for the face to be united: the outlines and metrics (indexed by glyph)
# and tables that do not depend on which glyphs are held. Glyph classes (GDEF) are for shaping, which a PDF never
# does: left out of the united program
_UNITED_TABLES = {"GlyphOrder", "head", "hhea", "maxp", "OS/2", "name", "post", "cmap", "gasp", "glyf", "loca",
                  "hmtx", "prep", "fpgm", "cvt ", "STAT", "GDEF"}


def united_program(programs: Iterable[bytes]) -> bytes | None:
    """One TrueType program holding every glyph of ``programs`` (subsets of one face, glyphs at their numbers in
    the face); None where they cannot be united with certainty."""
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        fonts = [TTFont(io.BytesIO(data)) for data in programs]  # glyphs kept as stored: parts by number
        if len(fonts) < 2 or any(set(font.keys()) - _UNITED_TABLES or "glyf" not in font for font in fonts):
            return None
        if len({font["head"].unitsPerEm for font in fonts}) != 1:
            return None
        base = max(fonts, key=lambda font: len(font.getGlyphOrder()))
        order = base.getGlyphOrder()
        held = {number: _held(base, name) for number, name in enumerate(order)}
        for font in fonts:
            if font is base:
                continue
            for number, name in enumerate(font.getGlyphOrder()):
                glyph = _held(font, name)
                if glyph is None:
                    continue
                if held.get(number) is not None:
                    if held[number] != glyph:
                        return None  # two faces under one name: not the same face
                    continue
                base["glyf"].glyphs[order[number]] = font["glyf"].glyphs[name]
                base["hmtx"].metrics[order[number]] = font["hmtx"].metrics[name]
                held[number] = glyph
        if "GDEF" in base:
            del base["GDEF"]
        base.recalcTimestamp = False  # the same parts, the same bytes: the book's file is reproducible
        out = io.BytesIO()
        base.save(out)
        return out.getvalue()
    except Exception:  # a subset fontTools cannot read or write: the parts keep their own programs
        return None


def _held(font, name: str) -> tuple[bytes, int] | None:
    """A glyph a subset holds: its outline as stored (a composite glyph names its parts by number, the same bytes
    in every subset) and its advance; None where the subset does not hold it (no outline, no advance: a space has
    an advance and no outline, and its width must be the same in the program as in the parts that print it)."""
    glyph = font["glyf"].glyphs[name]
    data = getattr(glyph, "data", None)
    if data is None:  # already read out: compiled again
        data = glyph.compile(font["glyf"]) if glyph.numberOfContours else b""
    advance = font["hmtx"].metrics[name][0]
    return (bytes(data), advance) if data or advance else None
