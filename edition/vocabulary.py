"""The TEI vocabulary the stages share: which names point into which register, and what a register entry is."""

from __future__ import annotations

from lxml import etree

from . import local_name

PERSON, WORK, ORG, PLACE = "person", "work", "org", "place"
REGISTER_KINDS = (PERSON, WORK, ORG, PLACE)

# A name in a text and the kind of register entry its @ref must reach.
NAME_KINDS = {"persName": PERSON, "title": WORK, "placeName": PLACE, "orgName": ORG}
# <rs type="..."> by its (lower-cased) type.
RS_KINDS = {"person": PERSON, "work": WORK, "title": WORK, "bibl": WORK, "org": ORG, "place": PLACE}
# Register entries by element name; a bibliographic entry is a work only inside a listBibl.
ENTRY_KINDS = {"person": PERSON, "personGrp": PERSON, "place": PLACE, "org": ORG,
               "bibl": WORK, "biblStruct": WORK, "biblFull": WORK}
ENTRY_ELEMENTS = {kind: {name for name, of in ENTRY_KINDS.items() if of == kind} for kind in REGISTER_KINDS}
REGISTER_LISTS = {"listPerson", "listPlace", "listOrg", "listBibl"}
NAME_ELEMENTS = set(NAME_KINDS) | {"rs"}


def name_kind(element: etree._Element) -> str | None:
    """The kind of register entry a name element points to: persName a person, <rs type="place"> a place."""
    name = local_name(element)
    if name == "rs":
        return RS_KINDS.get((element.get("type") or "").lower())
    return NAME_KINDS.get(name)


def entry_kind(element: etree._Element) -> str | None:
    """The kind of register entry an element is, or None if it is none."""
    kind = ENTRY_KINDS.get(local_name(element))
    if kind == WORK:
        parent = element.getparent()
        if parent is None or local_name(parent) != "listBibl":
            return None
    return kind
