"""Count what an edition holds: register entries, mentions, notes, emendations, apparatus, cross-references."""

from __future__ import annotations

from lxml import etree

from . import tei
from .load import Edition
from .model import collect_registers, local


def count_edition(edition: Edition) -> dict[str, int]:
    registers = collect_registers(edition)
    kind_of = {ident: kind for kind, entries in registers.items() for ident in entries}
    counts = {"texts": 0, "persons": len(registers["person"]), "works": len(registers["work"]),
              "organisations": len(registers["org"]), "places": len(registers["place"]),
              "person mentions": 0, "work mentions": 0, "organisation mentions": 0, "place mentions": 0,
              "authorial notes": 0, "editorial notes": 0, "emendations": 0, "apparatus entries": 0,
              "cross-references": 0}
    mention = {"person": "person mentions", "work": "work mentions", "org": "organisation mentions",
               "place": "place mentions"}
    for document in edition.documents:
        text = document.root.find(tei("text"))
        if text is None or document is edition.manifest or (edition.manifest is not None and _is_register(text)):
            continue
        counts["texts"] += 1
        for element in text.iter(etree.Element):
            name = local(element)
            ref = (element.get("ref") or "").lstrip("#")
            if name in ("persName", "title", "orgName", "placeName", "rs") and ref in kind_of:
                counts[mention[kind_of[ref]]] += 1
            elif name == "note":
                counts["editorial notes" if element.get("type") == "editorial" else "authorial notes"] += 1
            elif name == "choice" and any(local(c) in ("sic", "orig") for c in element):
                counts["emendations"] += 1
            elif name == "app":
                counts["apparatus entries"] += 1
            elif name in ("ref", "ptr") and (element.get("target") or "").startswith("#"):
                counts["cross-references"] += 1
    return counts


def _is_register(text: etree._Element) -> bool:
    return any(local(e) in ("listPerson", "listBibl", "listOrg", "listPlace") for e in text.iter(etree.Element))
