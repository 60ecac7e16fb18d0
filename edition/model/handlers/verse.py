"""Verse: line groups and lines (TEI core elements, kept here with the verse module's)."""

from __future__ import annotations

from ... import XML_LANG
from ..html import add_element
from ..registry import Display, handles


@handles("lg", display=Display.BLOCK)
def line_group(walk, source, parent):
    element = walk.wrap(source, parent, walk.block_tag(parent), "lg")
    if source.get(XML_LANG):
        element.set("lang", source.get(XML_LANG))


@handles("l", display=Display.BLOCK)
def line(walk, source, parent):
    element = add_element(parent, "span", "l")
    walk.keep_identity(source, element)
    if source.get("n"):
        element.set("data-n", source.get("n"))
    walk.children(source, element)
