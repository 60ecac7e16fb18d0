"""Simple analysis: words, characters, punctuation (printed as they stand) and interpretations (not printed)."""

from __future__ import annotations

from ..registry import Display, generic, omitted

generic("w", "c", "pc", display=Display.INLINE)
omitted("interp", "interpGrp")
