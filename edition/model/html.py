"""Building the model's HTML: elements, text with HTML's white space, and the word that carries a note's call."""

from __future__ import annotations

import re

from lxml import etree

_ASCII_SPACE = re.compile(r"[ \t\r\n]+")
_LAST_WORD = re.compile(r"(\S+)$")
# Where the model's HTML may hold a block (div, p, blockquote); elsewhere a block-like element is a span.
BLOCK_PARENTS = {"div", "section", "article", "blockquote", "li", "dd", "body", "header", "td", "aside", "figure"}
WORD_JOINER = "\u2060"  # fills an element that must not be empty (an empty inline breaks WeasyPrint's wrapping)


def add_element(parent: etree._Element, tag: str, cls: str = "") -> etree._Element:
    """A new last child of ``parent`` with an optional class."""
    element = etree.SubElement(parent, tag)
    if cls:
        element.set("class", cls)
    return element


def has_class(element: etree._Element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def append_text(element: etree._Element, text: str) -> None:
    """Add text after what an element holds; runs of ASCII white space become one space, as HTML prints them
    (no-break spaces are the witness's and stay)."""
    text = _ASCII_SPACE.sub(" ", text)
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def trim_end(element: etree._Element) -> None:
    """Drop the white space at the end of what an element holds so far (a word goes on across a break)."""
    if len(element):
        last = element[-1]
        if last.tail:
            last.tail = last.tail.rstrip()
    elif element.text:
        element.text = element.text.rstrip()


_ENDS_A_PHRASE = (".", ",", ";", ":", "?", "!")


def set_apart(parent: etree._Element, previous: etree._Element, mark: str) -> None:
    """Between ``previous`` (just converted into ``parent``) and what follows, where the TEI has nothing or only
    white space between them: ``mark`` ("," or "." or "") and a space; the space alone where the words of
    ``previous`` end with punctuation already."""
    trim_end(parent)
    said = "".join(previous.itertext()).rstrip()
    append_text(parent, (mark if said and not said.endswith(_ENDS_A_PHRASE) else "") + " ")


def line_break(element: etree._Element) -> None:
    """A line break at the end of ``element``, unless nothing stands before it on its line yet."""
    if len(element):
        last = element[-1]
        if last.tag == "br" and not (last.tail or "").strip():
            return
    elif not (element.text or "").strip():
        return
    add_element(element, "br")


def visible_words(element: etree._Element) -> str:
    """An element's text in the running line: without the notes it holds."""
    parts = [element.text or ""]
    for child in element:
        if not has_class(child, "note"):
            parts.append(visible_words(child))
        parts.append(child.tail or "")
    return "".join(parts)


def wrap_last_word(parent: etree._Element, ident: str) -> etree._Element:
    """A span with ``ident`` around the word just before a note's call (its page is found after layout)."""
    span = etree.Element("span", {"class": "call", "id": ident})
    if len(parent):
        last = parent[-1]
        tail = last.tail or ""
        match = _LAST_WORD.search(tail)
        if match:
            last.tail = tail[: match.start()]
            span.text = match.group(1)
            last.addnext(span)
            return span
        if not tail.strip():  # a note after a block (a paragraph's end) hangs on the block's last word
            if not has_class(last, "call") and " " in visible_words(last).strip():
                return wrap_last_word(last, ident)  # several words: take only the last one, inside
            last.addprevious(span)
            span.tail, last.tail = last.tail, None
            span.append(last)
            return span
    else:
        text = parent.text or ""
        match = _LAST_WORD.search(text)
        if match:
            parent.text = text[: match.start()]
            span.text = match.group(1)
            parent.insert(0, span)
            return span
    span.text = WORD_JOINER
    parent.append(span)
    return span
