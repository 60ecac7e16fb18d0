"""What is laid over the body's pages once they are laid out: line numbers in the margin and the apparatus
blocks with their true keys.

Before layout, each apparatus entry is put in the text right after the first word of its lemma as a footnote
of its series (a run-in footnote whose key is a placeholder at least as wide as the true one), so the layout
keeps the room the entries take on the page of their lemmas and moves text, not entries, where they do not
fit. After layout the keys are known; each page's apparatus is set again with them, in the room kept for it
(never more: the keys can only be narrower, and an entry on the line of the one before it drops its key), and
put in its place together with the page's line numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree, html

from ..config import ApparatusSettings
from ..model import Book, TextualEntry
from ..model.html import add_element, has_class
from .apparatus import add_entry
from .weasy import FootArea

_FIRST_WORD = re.compile(r"\S+")


def placeholder_key(entry: TextualEntry, settings: ApparatusSettings, section: str = "") -> str:
    """A key at least as wide as the one the entry will print (keys use tabular figures): where lines are counted
    by section, the lemma's section (its number as printed) and a line's."""
    if entry.verse_lines:
        start, end = entry.verse_lines
        return start if start == end else f"{start}–{end}"
    digits = f"{section}.000" if settings.numbering == "section" and section else "00"
    return f"{digits}–{digits}" if len(entry.lemma.split()) > 3 else digits


def insert_entries(root: etree._Element, book: Book, settings: ApparatusSettings) -> set[str]:
    """Each entry of the apparatus as a run-in footnote after its lemma's first word, and one rule template
    per series; returns the anchors of the entries so placed."""
    entries = {e.anchor_id: e for e in book.textual}
    placed: set[str] = set()
    first_paragraph = None
    for lemma in list(root.iter("span")):
        entry = entries.get(lemma.get("id")) if has_class(lemma, "lemma") or has_class(lemma, "emendation") else None
        if entry is None:
            continue
        section = next((a.get("data-n") for a in lemma.iterancestors() if has_class(a, "div") and a.get("data-n")), "")
        footnote = reserving_entry(entry, settings, section)
        _after_first_word(lemma, footnote)
        placed.add(entry.anchor_id)
        first_paragraph = first_paragraph if first_paragraph is not None else lemma
    if first_paragraph is not None:
        for name in sorted({entries[a].series for a in placed}):
            first_paragraph.addnext(etree.Element("span", {"class": "app-rule", "data-series": name}))
    return placed


def reserving_entry(entry: TextualEntry, settings: ApparatusSettings, section: str = "") -> etree._Element:
    """The entry as the layout sees it: its printed words as one run of bold text (wider than the same words in
    roman and italic, so the room kept is never too small), a single box quick to lay out again each time the
    page's footnote area grows."""
    holder = etree.Element("span")
    printed = add_entry(holder, entry, placeholder_key(entry, settings, section), settings, separator=True)
    footnote = etree.Element("span", {"class": "app-entry reserve", "data-series": entry.series,
                                      "id": f"app-{entry.anchor_id}"})
    footnote.text = "".join(printed.itertext())
    return footnote


def _after_first_word(lemma: etree._Element, footnote: etree._Element) -> None:
    """Put ``footnote`` right after the first word inside ``lemma`` (a call before a word breaks wrapping)."""
    for node in lemma.iter():
        if node is not lemma and has_class(node, "note"):
            continue
        match = _FIRST_WORD.search(node.text or "")
        if match:
            footnote.tail = node.text[match.end():]
            node.text = node.text[:match.end()]
            node.insert(0, footnote)
            return
        for child in node:
            match = _FIRST_WORD.search(child.tail or "")
            if match and child.getparent() is node:
                footnote.tail = child.tail[match.end():]
                child.tail = child.tail[:match.end()]
                child.addnext(footnote)
                return
    lemma.append(footnote)


@dataclass(frozen=True)
class MarginNumber:
    baseline: float
    number: str
    recto: bool


@dataclass
class OverlayPage:
    """What one body page gets: numbers in its margin, and its apparatus entries with their keys."""

    page: int
    width: float
    height: float
    content_left: float
    content_right: float
    numbers: list[MarginNumber]
    area: FootArea | None
    entries: list[tuple[TextualEntry, str]]  # in the order of their lemmas, with their keys
    notes: bool = False  # the page has notes above the apparatus (the footnote area's rule is theirs)


def overlay_root(pages: list[OverlayPage], book: Book, settings: ApparatusSettings, language: str):
    """One page of HTML per body page that gets numbers or entries, everything placed where it belongs."""
    root = html.Element("html", {"lang": language})
    body = add_element(root, "body", "overlay")
    for page in pages:
        holder = add_element(body, "div", "overlay-page")
        holder.set("style", f"height: {page.height - 1:.2f}px; width: {page.width:.2f}px")
        for number in page.numbers:
            span = add_element(holder, "span", f"ln {'recto' if number.recto else 'verso'}")
            span.text = number.number
            span.set("data-baseline", f"{number.baseline:.3f}")
            left = page.content_right + 6 if number.recto else page.content_left - 6 - 40
            span.set("style", f"top: {number.baseline - 12:.2f}px; left: {left:.2f}px")
        if page.area is not None and page.entries:
            block = add_element(holder, "div", "app-overlay")
            block.set("style", f"top: {page.area.top:.3f}px; left: {page.area.left:.3f}px; "
                               f"width: {page.area.width:.3f}px")
            names = list(settings.series) + sorted({e.series for e, _ in page.entries} - set(settings.series))
            for name in names:
                series = in_line_order([(e, k) for e, k in page.entries if e.series == name])
                if not series:
                    continue
                rule = add_element(block, "div", "app-rule" if page.notes or len(block) else "app-rule first")
                rule.set("data-series", name)
                paragraph = add_element(block, "p", "app-block")
                last_key = None
                for index, (entry, key) in enumerate(series):
                    shown = key if key != last_key or entry.whole_lines else ""
                    add_entry(paragraph, entry, shown, settings, separator=index > 0)
                    last_key = key
    return root


def in_line_order(entries: list[tuple[TextualEntry, str]]) -> list[tuple[TextualEntry, str]]:
    """A page's verse entries in the order of the lines they key (an entry on lines moved elsewhere, "15–16 post 20
    transp.", stands where it is encoded, after line 20, but is read after line 14); other entries as they come."""
    numbers = [re.match(r"\d+", entry.verse_lines[0]) if entry.verse_lines else None for entry, _ in entries]
    if not all(numbers):
        return entries
    order = sorted(range(len(entries)), key=lambda i: int(numbers[i].group(0)))
    return [entries[i] for i in order]
