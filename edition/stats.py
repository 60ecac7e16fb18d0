"""Count what the model of an edition holds: register entries, mentions, notes, emendations, apparatus, links."""

from __future__ import annotations

from collections import Counter

from .model import Book
from .model.html import has_class
from .vocabulary import ORG, PERSON, PLACE, WORK

_KINDS = ((PERSON, "persons", "person mentions"), (WORK, "works", "work mentions"),
          (ORG, "organisations", "organisation mentions"), (PLACE, "places", "place mentions"))


def count_book(book: Book) -> dict[str, int]:
    mentions = Counter(o.kind for o in book.occurrences)
    series = Counter(n.series for n in book.notes)
    entries = Counter(e.kind for e in book.textual)
    texts = book.front + book.texts
    counts = {"texts": len(texts)}
    counts.update({label: len(book.registers[kind]) for kind, label, _ in _KINDS})
    counts.update({label: mentions[kind] for kind, _, label in _KINDS})
    counts.update({
        "authorial notes": series["author"], "editorial notes": series["editor"],
        "emendations": entries["emendation"], "apparatus entries": entries["variant"],
        "cross-references": sum(1 for text in texts for link in text.section.iter("a")
                                if has_class(link, "xref") and link.get("data-target")),
    })
    return counts
