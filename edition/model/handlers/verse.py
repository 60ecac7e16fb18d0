"""Verse: line groups and lines (TEI core elements, kept here with the verse module's), with their numbers."""

from __future__ import annotations

import re

from ... import XML_LANG
from ..html import add_element
from ..registry import Display, generic, handles

generic("rhyme", "metSym", display=Display.INLINE)


@handles("lg", display=Display.BLOCK)
def line_group(walk, source, parent):
    if source.get("n"):
        walk.verse_count = 0  # the TEI numbers this group: its lines are counted from 1
    element = walk.wrap(source, parent, walk.block_tag(parent), "lg")
    if source.get(XML_LANG):
        element.set("lang", source.get(XML_LANG))


@handles("l", display=Display.BLOCK)
def line(walk, source, parent):
    element = add_element(parent, "span", "l")
    walk.keep_identity(source, element)
    if source.get("n"):
        element.set("data-n", source.get("n"))
    number = line_number(walk, source)
    element.set("data-line", number)
    walk.verse_lines.append(number)
    walk.open_lines.append(number)
    walk.children(source, element)
    walk.open_lines.pop()


def line_number(walk, source) -> str:
    """The line's number: its @n where the TEI gives one, else one more than the line before (from 1 where the
    text, a numbered division or a numbered line group begins)."""
    given = (source.get("n") or "").strip()
    if given:
        leading = re.match(r"\d+", given)
        if leading:
            walk.verse_count = int(leading.group(0))
        return given
    walk.verse_count += 1
    return str(walk.verse_count)


@handles("caesura", display=Display.INLINE)
def caesura(walk, source, parent):
    """The pause within a verse line: a visible gap, never nothing between the words on either side."""
    add_element(parent, "span", "caesura").text = " "
