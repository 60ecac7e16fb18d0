"""The TEI textstructure module: divisions, headings, and the openers and closers of texts and letters."""

from __future__ import annotations

import re

from ... import local_name
from ..html import add_element
from ..plain import plain_text
from ..registry import Display, generic, handles

generic("opener", "salute", "argument", "epigraph", "postscript", "floatingText", display=Display.BLOCK)
# A text inside a group (or a floatingText) and its parts; a title page's parts, each on its own line.
generic("group", "front", "body", "back", "titlePage", "docTitle", "titlePart", "docAuthor", "docImprint",
        "docEdition", "imprimatur", display=Display.BLOCK)


@handles("text", display=Display.BLOCK)
def inner_text(walk, source, parent):
    """A text inside a group or a floatingText: a block of its own, its verse numbered from 1."""
    walk.verse_count = 0
    walk.wrap(source, parent, walk.block_tag(parent), "tei-text")


_DIVISION = re.compile(r"div[1-7]?")


@handles("div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", display=Display.BLOCK)
def division(walk, source, parent):
    depth = sum(1 for a in source.iterancestors() if _DIVISION.fullmatch(local_name(a)))
    section = add_element(parent, "section", f"div depth-{depth}")
    if source.get("type"):
        section.set("data-type", source.get("type"))
    walk.keep_identity(source, section)
    if source.get("n"):
        section.set("data-n", source.get("n"))
        walk.verse_count = 0  # a numbered division numbers its verse from 1
    walk.state.div_depth.append(depth)
    walk.children(source, section)
    walk.state.div_depth.pop()


@handles("head", display=Display.BLOCK)
def head(walk, source, parent):
    if source.get("type"):
        walk.wrap(source, parent, "p", f"head-{source.get('type')}")
        return
    depth = walk.state.div_depth[-1] if walk.state.div_depth else 0
    element = walk.wrap(source, parent, f"h{min(2 + depth, 6)}", "head")
    element.set("data-bookmark", plain_text(source))


# Lines of a text's opening or closing that stand as paragraphs (spans inside a note or a paragraph).
_PARAGRAPH_LIKE = {"byline": "byline", "docDate": "docdate", "dateline": "dateline", "signed": "signed",
                   "trailer": "trailer"}


@handles(*_PARAGRAPH_LIKE, display=Display.BLOCK)
def paragraph_like(walk, source, parent):
    walk.wrap(source, parent, walk.paragraph_tag(parent), _PARAGRAPH_LIKE[local_name(source)])


@handles("closer", display=Display.BLOCK)
def closer(walk, source, parent):
    walk.wrap(source, parent, walk.block_tag(parent), "closer")
