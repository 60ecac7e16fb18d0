"""Simple analysis: words, characters, punctuation (printed as they stand) and interpretations (not printed)."""

from __future__ import annotations

from ... import tei
from ..html import append_text
from ..registry import Display, generic, handles, omitted

generic("c", "pc", "m", "s", "cl", "phr", display=Display.INLINE)
omitted("interp", "interpGrp")


@handles("w", display=Display.INLINE)
def word(walk, source, parent):
    """A word: apart from the word before it even where the encoding leaves no space between them, unless either
    says it is joined to the other (@join, or a word in parts)."""
    before = source.getprevious()
    if (before is not None and before.tag == tei("w") and not before.tail
            and source.get("join") not in ("left", "both") and before.get("join") not in ("right", "both")
            and not source.get("part") and not before.get("part")):
        append_text(parent, " ")
    walk.generic(source, parent, "w")
