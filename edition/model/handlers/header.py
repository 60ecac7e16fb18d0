"""Header elements: the header itself is not printed; a few of its phrases occur in a source's description."""

from __future__ import annotations

from ..registry import Display, generic, omitted

omitted("teiHeader")
generic("extent", "edition", "textLang", display=Display.INLINE)
