"""Tables and figures."""

from __future__ import annotations

from ... import local_name
from ..html import add_element
from ..registry import Display, generic, handles

generic("figure", display=Display.BLOCK)
generic("figDesc", display=Display.INLINE)


@handles("table", display=Display.BLOCK)
def table(walk, source, parent):
    element = add_element(parent, "table", "table")
    walk.keep_identity(source, element)
    for child in source:
        if local_name(child) == "head":
            walk.children(child, add_element(element, "caption"))
        elif local_name(child) == "row":
            row = add_element(element, "tr")
            for cell in child:
                if local_name(cell) == "cell":
                    walk.children(cell, add_element(row, "th" if cell.get("role") == "label" else "td"))
