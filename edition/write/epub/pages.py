"""The print edition's pages in the EPUB: a page-break marker where each printed page of the body begins."""

from __future__ import annotations

import re

from ... import local_name
from ..layout import Layout
from .xhtml import EPUB_TYPE, Chapter, classes, new_element

_BLOCKS = ("p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "div")


def insert_page_breaks(chapters: list[Chapter], layout: Layout) -> list[tuple[str, str, str]]:
    """Place the markers; returns (page label, file, marker id) for the page-list, in page order."""
    markers = []
    by_id = {}
    for chapter in chapters:
        for element in chapter.root.iter():
            if isinstance(element.tag, str) and element.get("id"):
                by_id.setdefault(element.get("id"), (chapter, element))
    pending: list[str] = []
    for start in layout.page_starts:
        label = start["page"]
        anchor = start.get("anchor")
        if not anchor or anchor not in by_id:
            pending.append(label)  # a blank page: its marker goes with the next page's
            continue
        chapter, element = by_id[anchor]
        # markers of blank pages go just before the next page's; placed last first, so they read in order
        for missing in reversed(pending + [label]):
            marker = new_element("span", {EPUB_TYPE: "pagebreak", "role": "doc-pagebreak", "id": f"page-{missing}",
                                          "aria-label": missing, "class": "pagebreak"})
            place_marker(element, start.get("words", ""), marker)
        markers += [(missing, chapter.name, f"page-{missing}") for missing in pending + [label]]
        pending = []
    return markers


def place_marker(element, words: str, marker) -> None:
    """Insert a page-break marker before the words a printed page begins with, inside ``element``."""
    wanted = words.split()[:6]
    if not wanted:
        element.addprevious(marker) if element.getparent() is not None else element.insert(0, marker)
        return
    # text nodes in document order, skipping notes (they are not in the running text of the page)
    nodes = []

    def collect(node):
        cls = classes(node) if isinstance(node.tag, str) else []
        if "note" in cls or "footnotes" in cls or local_name(node) == "aside":
            return
        if node.text:
            nodes.append((node, "text"))
        for child in node:
            collect(child)
            if child.tail:
                nodes.append((child, "tail"))

    collect(element)
    flat = ""
    spans = []
    for node, kind in nodes:
        value = getattr(node, kind) or ""
        spans.append((len(flat), node, kind))
        flat += value
    normal = re.sub(r"\s+", " ", flat)
    # map positions in the normalised text back to the original
    positions = []
    previous_space = False
    for index, char in enumerate(flat):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        positions.append(index)
    needle = " ".join(wanted)
    found = normal.find(needle)
    while found > 0 and not normal[found - 1].isspace() and normal.find(needle, found + 1) >= 0:
        found = normal.find(needle, found + 1)
    if found < 0:
        found = normal.find(wanted[0])
    if found <= 0:
        if element.getparent() is not None and local_name(element) in _BLOCKS + ("section", "header", "article"):
            element.insert(0, marker)
            marker.tail, element.text = element.text, None
        else:
            element.insert(0, marker)
        return
    while found > 0 and not normal[found - 1].isspace():
        found -= 1  # the page began inside a hyphenated word: mark before the word
    offset = positions[found] if found < len(positions) else len(flat)
    for start, node, kind in reversed(spans):
        if start <= offset:
            value = getattr(node, kind) or ""
            cut = offset - start
            before, after = value[:cut], value[cut:]
            if kind == "text":
                node.text = before
                node.insert(0, marker)
                marker.tail = after
            else:
                node.tail = before
                node.addnext(marker)
                marker.tail = after
            return
