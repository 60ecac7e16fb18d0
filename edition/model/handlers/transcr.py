"""Transcription: what an editor supplies, and the marks of a source's physical state (printed as text)."""

from __future__ import annotations

from ..html import add_element, append_text
from ..registry import Display, generic, handles, omitted

generic("damage", "restore", "space", "metamark", "ex", "am", "subst", "handShift", display=Display.INLINE)
omitted("fw", "facsimile")


@handles("supplied", display=Display.INLINE)
def supplied(walk, source, parent):
    element = add_element(parent, "span", "supplied")
    walk.keep_identity(source, element)
    append_text(element, "[")
    walk.children(source, element)
    append_text(element, "]")
