"""The TEI dictionaries module: an entry a block, each sense a block within it, and the parts of an entry (its
forms, grammar, definitions, etymology, usage, cross-references) run in, kept apart by a space where the TEI
has nothing between them (``<form><orth>Haus</orth></form><sense><def>Gebäude</def></sense>``)."""

from __future__ import annotations

from ... import local_name
from ..html import append_text
from ..registry import Display, handles

BLOCK, INLINE = Display.BLOCK, Display.INLINE

_BLOCKS = ("entry", "superEntry", "entryFree", "hom", "sense", "re", "dictScrap")
_PARTS = ("form", "orth", "pron", "hyph", "syll", "stress", "gramGrp", "pos", "gen", "number", "case", "mood",
          "tns", "per", "itype", "subc", "colloc", "def", "etym", "lang", "usg", "lbl", "xr", "oRef", "pRef",
          "oVar", "pVar")


def _apart(source, parent) -> None:
    """A space before a part that follows another part of the entry with nothing between them."""
    previous = source.getprevious()
    if previous is None or local_name(previous) not in _PARTS + _BLOCKS or (previous.tail or "").strip():
        return
    if previous.tail:  # white space of the source: printed as one space already
        return
    text = parent[-1].tail if len(parent) else parent.text
    if text is None or not text.endswith(" "):
        append_text(parent, " ")


@handles(*_BLOCKS, display=BLOCK)
def entry_block(walk, source, parent):
    walk.wrap(source, parent, "div", f"tei-{local_name(source)}")


@handles(*_PARTS, display=INLINE)
def entry_part(walk, source, parent):
    _apart(source, parent)
    walk.wrap(source, parent, "span", f"tei-{local_name(source)}")
