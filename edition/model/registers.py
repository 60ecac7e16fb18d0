"""Read the registers (persons, works, organisations, places) into typed entries, wherever the TEI keeps them."""

from __future__ import annotations

import re

from lxml import etree

from .. import XML_ID, local_name, tei
from ..load import Edition
from ..vocabulary import PERSON, REGISTER_KINDS, WORK, entry_kind
from .book import RegisterEntry
from .plain import plain_text

_NAMES = ("persName", "orgName", "placeName", "title")
_MAIN_FORMS = (None, "reg", "main", "full")


def collect_registers(edition: Edition) -> dict[str, dict[str, RegisterEntry]]:
    """Every register entry of the edition with an xml:id, by kind and id (the last of a duplicated id wins)."""
    registers: dict[str, dict[str, RegisterEntry]] = {kind: {} for kind in REGISTER_KINDS}
    for document in edition.documents:
        for element in document.root.iter(etree.Element):
            kind = entry_kind(element)
            ident = element.get(XML_ID)
            if kind and ident:
                registers[kind][ident] = read_entry(element, kind, ident)
    return registers


def read_entry(element: etree._Element, kind: str, ident: str) -> RegisterEntry:
    if kind == PERSON:
        return RegisterEntry(ident, kind, person_heading(element), person_dates(element),
                             identification(element.find(tei("note"))), tuple(variant_forms(element)))
    if kind == WORK:
        authors = tuple(a.get("ref", "").lstrip("#") for a in element.findall(tei("author")))
        return RegisterEntry(ident, kind, work_heading(element), _year(element), "", tuple(variant_forms(element)),
                             authors)
    names = [n for n in element if local_name(n) in _NAMES]
    main = next((n for n in names if n.get("type") in ("reg", "main")), names[0] if names else None)
    heading = plain_text(main) if main is not None else ident
    return RegisterEntry(ident, kind, heading, "", identification(element.find(tei("note"))),
                         tuple(variant_forms(element)))


def person_heading(person: etree._Element) -> str:
    """'Surname, Forenames' from the regularised name, or the name as written."""
    names = person.findall(tei("persName"))
    reg = next((n for n in names if n.get("type") in ("reg", "main")), names[0] if names else None)
    if reg is None:
        return person.get(XML_ID) or "?"
    surname = " ".join(plain_text(s) for s in reg.findall(tei("surname")))
    forenames = " ".join(plain_text(f) for f in reg.findall(tei("forename")))
    extra = " ".join(plain_text(e) for e in reg if local_name(e) in ("genName", "roleName", "addName"))
    if surname:
        rest = " ".join(x for x in (forenames, extra) if x)
        return f"{surname}, {rest}" if rest else surname
    return plain_text(reg)


def person_dates(person: etree._Element) -> str:
    def year(tag):
        element = person.find(tei(tag))
        if element is None:
            return ""
        value = element.get("when") or element.get("notBefore") or ""
        return value.lstrip("-")[:4] if value else plain_text(element)

    born, died = year("birth"), year("death")
    if born and died:
        return f"{born}–{died}"
    if died:
        return f"d. {died}"
    if born:
        return f"b. {born}"
    return ""


def identification(element: etree._Element | None, limit: int = 72) -> str:
    """A one-line identification from a register note: its first clause, cut at a word under ``limit``."""
    if element is None:
        return ""
    text = plain_text(element)
    match = re.match(r"(.+?[.!?])(\s+[A-Z“‘(]|$)", text)
    sentence = (match.group(1) if match else text).rstrip(".")
    for stop in re.finditer(r"[;,:]\s|\s(?:who|which|whose)\s", sentence):
        if stop.start() >= 14:
            sentence = sentence[: stop.start()]
            break
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0]
    return sentence.rstrip(" ,;:")


def variant_forms(entry: etree._Element) -> list[str]:
    """Other names the register records for an entry (variant spellings, birth names, pseudonyms)."""
    forms = []
    for name in entry:
        if local_name(name) in _NAMES and name.get("type") not in _MAIN_FORMS:
            text = plain_text(name)
            if text:
                forms.append(text)
    return forms


def work_heading(bibl: etree._Element) -> str:
    titles = bibl.findall(tei("title"))
    main = next((t for t in titles if t.get("type") == "main"), titles[0] if titles else None)
    return plain_text(main) if main is not None else bibl.get(XML_ID)


def _year(bibl: etree._Element) -> str:
    date = bibl.find(tei("date"))
    return (date.get("when") or "")[:4] if date is not None and date.get("when") else ""
