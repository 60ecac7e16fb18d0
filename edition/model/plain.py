"""A TEI element's words as one line of plain text, for titles, headings, lemmas and readings."""

from __future__ import annotations

from .. import local_name

# Never part of an element's words: readings the text rejects, corrected errors, deleted words, descriptions of
# gaps, what the books do not print (forme work, a hand's marks).
_NOT_WORDS = ("rdg", "sic", "orig", "abbr", "del", "witDetail", "desc", "fw", "metamark")
# Ends of lines and blocks, and spaces: their words never run into the next ones.
_SEPARATE = ("l", "p", "ab", "lg", "head", "item", "lb", "space", "caesura", "addrLine", "cell")
# Breaks that print nothing: with break="no" the word goes on across them.
_BREAKS = ("lb", "pb", "cb", "milestone")
# Elements that hold only elements: the white space between their parts is layout, not a space between words.
_ELEMENT_ONLY = ("subst", "choice", "app", "rdgGrp")


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def plain_text(element, skip=("note",), deleted: str = "") -> str:
    """An element's words, without its notes, apparatus readings or corrected errors; ``deleted``: how a reading
    shows the words its witness deleted ("[[{}]]"), which are otherwise left out."""
    parts: list[str] = []

    def walk(node, top=False):
        name = local_name(node)
        if name == "del" and deleted and not top:
            parts.append(deleted.format(plain_text(node, skip, deleted)))
        elif top or (name not in skip and name not in _NOT_WORDS):
            layout = name in _ELEMENT_ONLY
            if node.text and not (layout and node.text.isspace()):
                parts.append(node.text)
            for child in node:
                tail = child.tail or ""
                if layout and tail.isspace():
                    tail = ""
                if local_name(child) in _BREAKS and child.get("break") == "no":
                    parts[:] = ["".join(parts).rstrip()]
                    tail = tail.lstrip()
                elif isinstance(child.tag, str):
                    walk(child)
                    if local_name(child) in _SEPARATE:
                        parts.append(" ")
                parts.append(tail)

    walk(element, top=True)
    return clean("".join(parts))
