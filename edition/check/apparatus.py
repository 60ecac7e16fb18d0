"""The critical apparatus: one lemma per entry, each witness once, every declared witness accounted for."""

from __future__ import annotations

from lxml import etree

from .. import XML_ID, tei
from ..diagnostics import Diagnostic, shorten
from ..load import Document, Edition
from .references import IdTable, Target
from .rules import finding

READINGS = {tei("lem"), tei("rdg")}


def witness_members(list_wit: etree._Element) -> set[str]:
    """Ids of the witnesses a listWit (a witness group) stands for, nested groups included."""
    return {w.get(XML_ID) for w in list_wit.iter(tei("witness")) if w.get(XML_ID)}


def declared_witnesses(document: Document) -> set[str]:
    """Witnesses declared in a text's own header: the ones its apparatus must account for."""
    header = document.root.find(tei("teiHeader"))
    if header is None:
        return set()
    leaves = set()
    for witness in header.iter(tei("witness")):
        if witness.get(XML_ID) and witness.find(f".//{tei('witness')}") is None:
            leaves.add(witness.get(XML_ID))
    return leaves


def check(edition: Edition, table: IdTable) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for document in edition.documents:
        if not edition.in_focus(document):
            continue
        declared = declared_witnesses(document)
        for app in document.root.iter(tei("app")):
            found += _check_app(document, app, declared, table)
    return found


def _readings(app: etree._Element):
    """The lem and rdg of an app, through rdgGrp but not into nested apps."""
    for child in app:
        if child.tag in READINGS:
            yield child
        elif child.tag == tei("rdgGrp"):
            yield from _readings(child)


def _successive(first: etree._Element, second: etree._Element) -> bool:
    """Two readings of one witness that the encoding marks as its layers or alternatives."""
    same_group = first.getparent() is second.getparent() and first.getparent().tag == tei("rdgGrp")
    return same_group or (first.get("varSeq") is not None and second.get("varSeq") is not None)


def _check_app(document: Document, app, declared: set[str], table: IdTable) -> list[Diagnostic]:
    found = []
    readings = list(_readings(app))
    lemmas = [r for r in readings if r.tag == tei("lem")]
    for extra in lemmas[1:]:
        found.append(finding(document, extra, "app-lem-multiple",
                             "a second <lem> in one <app>; make it a <rdg>, or split the entry"))
    seen: dict[str, etree._Element] = {}
    accounted: set[str] = set()
    for reading in readings:
        for token in (reading.get("wit") or "").split():
            target = table.resolve(document, token)
            members = {token.lstrip("#")}
            if isinstance(target, Target) and target.element.tag == tei("listWit"):
                members = witness_members(target.element)
            for member in members:
                if member in seen and seen[member] is not reading and not _successive(seen[member], reading):
                    found.append(finding(
                        document, reading, "app-wit-repeated",
                        f'witness "#{shorten(member)}" is already named by the '
                        f"<{etree.QName(seen[member]).localname}> on line {document.locate(seen[member])[1]} "
                        "of this <app>; a witness has one reading per entry",
                        "wit",
                    ))
                seen.setdefault(member, reading)
            accounted |= members
    if declared and readings and all(r.get("wit") for r in readings):
        missing = sorted(declared - accounted)
        if missing:
            found.append(finding(
                document, app, "app-wit-missing",
                "no reading of this <app> accounts for " + ", ".join(f'"#{shorten(w)}"' for w in missing)
                + "; add it to the @wit of the reading it supports",
            ))
    return found
