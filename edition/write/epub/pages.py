"""The print edition's pages in the EPUB: a page-break marker where each printed page whose matter it carries
begins, front matter, body and back matter alike."""

from __future__ import annotations

import re

from ... import local_name
from ...diagnostics import Diagnostic, Severity
from ..layout import Layout
from .xhtml import EPUB_TYPE, Chapter, classes, new_element

_BLOCKS = ("p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "div")
_CONTAINERS = ("section", "header", "article", "ul", "ol", "dl")
# Matter the PDF prints and the EPUB does not carry, by the id of its section: the half-title repeats the title
# page, and the printed contents are the navigation document's work here.
NOT_CARRIED = frozenset({"half-title", "contents"})


def insert_page_breaks(chapters: list[Chapter], layout: Layout) -> tuple[list[tuple[str, str, str]], list[Diagnostic]]:
    """Place the markers; returns (page label, file, marker id) for the page-list, in page order, and a warning for
    each page that begins in matter the EPUB should carry but lacks (its marker stands with the next page's)."""
    markers = []
    diagnostics = []
    by_id = {}
    for chapter in chapters:
        for element in chapter.root.iter():
            if isinstance(element.tag, str) and element.get("id"):
                by_id.setdefault(element.get("id"), (chapter, element))
    pending: list[str] = []
    last = None
    known: dict = {}  # the text map of the element the last marker went into
    for start in layout.page_starts:
        label = start["page"]
        anchor = start.get("anchor")
        if anchor in NOT_CARRIED:
            continue
        if not anchor or anchor not in by_id:
            if start.get("words"):
                diagnostics.append(Diagnostic("(layout)", 0, 0, Severity.WARNING, "page-unplaced",
                                              f"p. {label} of the print edition begins in #{anchor}, which the EPUB "
                                              "does not have; its marker stands with the next page's"))
            pending.append(label)  # a blank page: its marker goes with the next page's
            continue
        chapter, element = by_id[anchor]
        # markers of blank pages go just before the next page's, in the order of the pages
        first, *others = [page_marker(missing) for missing in pending + [label]]
        place_marker(element, start.get("words", ""), first, known)
        for marker in others:
            marker.tail, first.tail = first.tail, None
            first.addnext(marker)
            first = marker
        markers += [(missing, chapter.name, f"page-{missing}") for missing in pending + [label]]
        pending = []
        last = chapter
    if pending and last is not None:  # blank pages at the very end: after the last page's matter
        for missing in pending:
            last.body.append(page_marker(missing))
        markers += [(missing, last.name, f"page-{missing}") for missing in pending]
    return markers, diagnostics


def page_marker(label: str):
    return new_element("span", {EPUB_TYPE: "pagebreak", "role": "doc-pagebreak", "id": f"page-{label}",
                                "aria-label": label, "class": "pagebreak"})


class _TextMap:
    """The running text of an element (notes left out, the edges of blocks as spaces), white space made single,
    and where each stretch of it stands in the tree. Kept from one page's marker to the next in the same element,
    as a long text with few ids holds many pages: a marker holds no text, so only the stretch it splits changes."""

    def __init__(self, element):
        self.element = element
        nodes = []

        def collect(node):
            cls = classes(node) if isinstance(node.tag, str) else []
            if "note" in cls or "footnotes" in cls or local_name(node) == "aside":
                return
            if node.text:
                nodes.append((node, "text"))
            for child in node:
                block = isinstance(child.tag, str) and local_name(child) in _BLOCKS + _CONTAINERS
                if block:
                    nodes.append((None, "edge"))
                collect(child)
                if block:
                    nodes.append((None, "edge"))
                if child.tail:
                    nodes.append((child, "tail"))

        collect(element)
        parts = []
        length = 0
        self.spans = []  # (where the stretch begins in the text, the node holding it, "text" or "tail")
        for node, kind in nodes:
            value = " " if node is None else getattr(node, kind) or ""
            if node is not None:
                self.spans.append((length, node, kind))
            parts.append(value)
            length += len(value)
        self.length = length
        flat = "".join(parts)
        self.normal = re.sub(r"\s+", " ", flat)
        # positions in the normalised text mapped back to the original: a run of white space is one position
        self.positions = []
        for run in re.finditer(r"\s+|\S+", flat):
            if run.group()[0].isspace():
                self.positions.append(run.start())
            else:
                self.positions.extend(range(run.start(), run.end()))

    def split(self, offset: int, marker) -> None:
        """Put ``marker`` at ``offset`` of the text, in the stretch that holds it."""
        for number in range(len(self.spans) - 1, -1, -1):
            start, node, kind = self.spans[number]
            if start <= offset:
                value = getattr(node, kind) or ""
                cut = offset - start
                before, after = value[:cut], value[cut:]
                if kind == "text":
                    node.text = before
                    node.insert(0, marker)
                else:
                    node.tail = before
                    node.addnext(marker)
                marker.tail = after
                if after:  # as a fresh map would have it: a tail without text is no stretch
                    self.spans.insert(number + 1, (offset, marker, "tail"))
                return


def place_marker(element, words: str, marker, known: dict | None = None) -> None:
    """Insert a page-break marker before the words a printed page begins with, inside ``element``; ``known``
    keeps the element's text map for the next page's marker."""
    known = {} if known is None else known
    wanted = words.split()[:6]
    if not wanted:
        known.clear()
        element.addprevious(marker) if element.getparent() is not None else element.insert(0, marker)
        return
    text = known.get("map")
    if text is None or text.element is not element:
        text = known["map"] = _TextMap(element)
    normal, positions = text.normal, text.positions
    needle = " ".join(wanted)
    found = normal.find(needle)
    while found > 0 and not normal[found - 1].isspace() and normal.find(needle, found + 1) >= 0:
        found = normal.find(needle, found + 1)
    if found < 0:
        found = normal.find(wanted[0])
    if found <= 0:
        known.clear()
        if element.getparent() is not None and local_name(element) in _BLOCKS + _CONTAINERS:
            element.insert(0, marker)
            marker.tail, element.text = element.text, None
        else:
            element.insert(0, marker)
        return
    while found > 0 and not normal[found - 1].isspace():
        found -= 1  # the page began inside a hyphenated word: mark before the word
    offset = positions[found] if found < len(positions) else text.length
    text.split(offset, marker)
