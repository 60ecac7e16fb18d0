"""Line numbers from the layout: which printed lines count, their numbers, and where each lemma stands.

Verse lines keep the numbers the TEI gives them (or its count); prose lines are counted as laid out, from 1
on each page or within each numbered section. Headings, a text's opening, running heads, notes and the
apparatus are never counted. This module reads plain line data (``weasy.TextLine``), not WeasyPrint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import ApparatusSettings
from .weasy import TextLine

_UNCOUNTED_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "header", "caption"}


@dataclass(frozen=True)
class NumberedLine:
    line: TextLine
    number: str  # as keys print it: "14", a verse's "15a"
    shown: bool  # printed in the margin
    verse: bool
    section: str = ""  # where prose lines are counted by section: the section's number (div/@n)


def _classes(block: dict) -> list[str]:
    return (block.get("class") or "").split()


def _article(line: TextLine) -> dict | None:
    return next((b for b in line.blocks if b["tag"] == "article" and "text" in _classes(b)), None)


def _counted(line: TextLine) -> bool:
    return _article(line) is not None and not any(
        b["tag"] in _UNCOUNTED_TAGS or any(c.startswith("head") for c in _classes(b)) for b in line.blocks)


def _section(line: TextLine) -> tuple[str, str]:
    """The numbered section (div/@n) a line belongs to, or its text where none is numbered: (a key telling it
    from every other, its number as printed or "")."""
    numbered = [b for b in line.blocks if "div" in _classes(b) and b.get("data-n")]
    if numbered:
        return str(numbered[-1]["key"]), numbered[-1]["data-n"]
    return str((_article(line) or {}).get("key")), ""


def _shown(number: int, first: bool, settings: ApparatusSettings) -> bool:
    return bool(settings.interval) and (number % settings.interval == 0 or (settings.first_line and first))


def number_lines(pages: list[list[TextLine]], settings: ApparatusSettings) -> list[list[NumberedLine]]:
    """The counted lines of each page with their numbers, and whether the margin shows them."""
    numbered: list[list[NumberedLine]] = []
    count, section, last_verse, verse_text = 0, None, None, None
    for lines in pages:
        if settings.numbering == "page":
            count = 0
        found = []
        for line in lines:
            if not _counted(line):
                continue
            article = _article(line)
            if article.get("data-verse"):
                verse = next((b for b in reversed(line.blocks) if b.get("data-line")), None)
                if verse is None or not line.first_in_block or verse["key"] == last_verse:
                    continue  # a verse's second line, or its continuation on the next page
                first = article["key"] != verse_text
                last_verse, verse_text = verse["key"], article["key"]
                digits = re.match(r"\d+", verse["data-line"])
                found.append(NumberedLine(line, verse["data-line"],
                                          _shown(int(digits.group(0)) if digits else 1, first, settings), True))
                continue
            here, label = _section(line)
            if here != section:
                section = here
                if settings.numbering == "section":
                    count = 0
            count += 1
            found.append(NumberedLine(line, str(count), _shown(count, count == 1, settings), False,
                                      label if settings.numbering == "section" else ""))
        numbered.append(found)
    return numbered


def lemma_lines(numbered: list[list[NumberedLine]]) -> dict[str, list[tuple[int, NumberedLine]]]:
    """For every id on a counted line: (page, line) of each line it is on, in order."""
    found: dict[str, list[tuple[int, NumberedLine]]] = {}
    for page, lines in enumerate(numbered):
        for numbered_line in lines:
            for ident in numbered_line.line.ids:
                found.setdefault(ident, []).append((page, numbered_line))
    return found
