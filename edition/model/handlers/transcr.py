"""Transcription: what an editor supplies or judges superfluous, the changes a hand made (the final reading is
printed, the deleted words kept for the apparatus), the marks of a source's physical state, and its spacing."""

from __future__ import annotations

import re

from ... import local_name, tei
from ..html import add_element, append_text, has_class
from ..registry import Display, generic, handles, omitted
from .core import deletion_entry

INLINE = Display.INLINE

generic("damage", "restore", "retrace", "mod", "ex", "am", "handShift", "substJoin", display=INLINE)
omitted("fw", "metamark", "facsimile", "transpose", "listTranspose", "path")  # pointers, drawings: no words
# a documentary transcription (sourceDoc): each surface and zone a block, each line of the document a line
generic("surfaceGrp", "surface", "zone", "line", display=Display.BLOCK)


@handles("supplied", display=INLINE)
def supplied(walk, source, parent):
    """Words the editor supplies: in square brackets."""
    bracketed(walk, source, parent, "supplied", "[", "]")


@handles("surplus", "secl", display=INLINE)
def surplus(walk, source, parent):
    """Words the editor judges superfluous or spurious: printed, in braces (as the Leiden conventions have it)."""
    bracketed(walk, source, parent, local_name(source), "{", "}")


def bracketed(walk, source, parent, cls: str, opening: str, closing: str) -> None:
    """Its words between brackets; around whole verse lines, at the start of the first and the end of the last."""
    element = add_element(parent, "span", cls)
    walk.keep_identity(source, element)
    walk.children(source, element)
    lines = [e for e in element.iter("span") if has_class(e, "l")]
    first, last = (lines[0], lines[-1]) if lines else (element, element)
    first.text = opening + (first.text or "")
    append_text(last, closing)


@handles("subst", display=INLINE)
def subst(walk, source, parent):
    """A substitution: what replaced the deleted words is printed; the deleted words are its apparatus entry."""
    deleted = [c for c in source if c.tag == tei("del")]
    shown = [c for c in source if isinstance(c.tag, str) and c.tag != tei("del")]
    if not deleted:
        walk.children(source, parent)
        return
    deletion_entry(walk, source, parent, deleted, shown)


# A horizontal space this wide or less is one space between words; a wider one is a visible gap.
_ONE_SPACE = {"chars": 1.0, "char": 1.0, "letters": 1.0, "letter": 1.0, "em": 1.0, "mm": 3.0, "minims": 2.0}


@handles("space", display=INLINE)
def space(walk, source, parent):
    """A space the writer left: never nothing, so the words on either side stay apart; a wide one a visible gap,
    a vertical one a blank line."""
    element = add_element(parent, "span", "space")
    for attribute in ("unit", "quantity", "extent", "dim"):
        if source.get(attribute):
            element.set(f"data-{attribute}", source.get(attribute))
    element.text = " "
    if source.get("dim") == "vertical":
        element.set("class", "space vertical")
    elif _wide(source):
        element.set("class", "space wide")


def _wide(source) -> bool:
    quantity = re.match(r"\s*(\d+(?:\.\d+)?)", source.get("quantity") or "")
    if quantity is None:
        return bool(source.get("extent"))
    return float(quantity.group(1)) > _ONE_SPACE.get((source.get("unit") or "chars").lower(), 0.0)
