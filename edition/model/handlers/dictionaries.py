"""The TEI dictionaries module: an entry a block, each sense a block within it, and the parts of an entry (its
forms, grammar, definitions, etymology, usage, cross-references) run in, kept apart by a space where the TEI
has nothing between them (``<form><orth>Haus</orth></form><sense><def>Gebäude</def></sense>``)."""

from __future__ import annotations

from ... import local_name
from ..registry import Display, handles
from .core import after_part

BLOCK, INLINE = Display.BLOCK, Display.INLINE

_BLOCKS = ("entry", "superEntry", "entryFree", "hom", "sense", "re", "dictScrap")
_PARTS = ("form", "orth", "pron", "hyph", "syll", "stress", "gramGrp", "pos", "gen", "number", "case", "mood",
          "tns", "per", "itype", "subc", "colloc", "def", "etym", "lang", "usg", "lbl", "xr", "oRef", "pRef",
          "oVar", "pVar")


@handles(*_BLOCKS, display=BLOCK)
def entry_block(walk, source, parent):
    walk.wrap(source, parent, "div", f"tei-{local_name(source)}")


@handles(*_PARTS, display=INLINE)
def entry_part(walk, source, parent):
    after_part(source, parent, _PARTS + _BLOCKS, "")
    walk.wrap(source, parent, "span", f"tei-{local_name(source)}")
