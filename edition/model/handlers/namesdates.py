"""Names and dates: persons, places, organisations and works named in a text, pointing into the registers."""

from __future__ import annotations

from ... import local_name
from ...vocabulary import NAME_KINDS, RS_KINDS
from ..book import Occurrence
from ..html import add_element
from ..plain import plain_text
from ..registry import Display, generic, handles

INLINE = Display.INLINE

generic("surname", "forename", "roleName", "addName", "genName", "settlement", "country", "region", "geogName",
        "affiliation", display=INLINE)
generic("listPerson", "listPlace", "listOrg", "listEvent", "listNym", display=Display.BLOCK)
# The parts of a register's entry printed inside a text, in the entry's line.
generic("birth", "death", "floruit", "occupation", "residence", "sex", "age", "nationality", "faith", "education",
        "langKnowledge", "langKnown", "socecStatus", "state", "trait", "location", "geo", "district", "bloc",
        "offset", "population", "climate", "terrain", "objectName", "persona", display=INLINE)


@handles("person", "personGrp", "place", "org", "event", "nym", display=Display.BLOCK)
def register_entry(walk, source, parent):
    """An entry of a register that stands in a text (it is in the index too): a line of its own, its parts
    (names, dates, places, notes) apart."""
    element = add_element(parent, walk.block_tag(parent), f"tei-{local_name(source)}")
    walk.keep_identity(source, element)
    walk.children(source, element, apart="")


@handles("persName", "title", "orgName", "placeName", display=INLINE)
def name(walk, source, parent):
    _name(walk, source, parent, NAME_KINDS[local_name(source)])


@handles("rs", display=INLINE)
def referring_string(walk, source, parent):
    _name(walk, source, parent, RS_KINDS.get((source.get("type") or "").lower()))


def _name(walk, source, parent, kind: str | None):
    """The name as printed; an occurrence for the index when it points into a register."""
    ref = (source.get("ref") or "").split()
    target = ref[0][1:] if ref and ref[0].startswith("#") else None
    if target and walk.state.register_kind(target):
        kind = walk.state.register_kind(target)
    is_title = local_name(source) == "title"
    cls = f"name {kind or local_name(source)}"
    if is_title:
        cls += f" level-{source.get('level') or 'm'}"
    element = walk.wrap(source, parent, "cite" if is_title else "span", cls)
    if target and kind and walk.state.register_kind(target) and not walk.state.in_header:
        anchor = element.get("id") or walk.new_id("o")
        element.set("id", anchor)
        element.set("data-ref", target)
        walk.state.occurrences.append(
            Occurrence(anchor, target, kind, plain_text(source), walk.text_id, walk.in_note > 0)
        )


@handles("date", display=INLINE)
def date(walk, source, parent):
    element = walk.wrap(source, parent, "span", "date")
    if source.get("when"):
        element.set("data-when", source.get("when"))
