"""Rules on content: choice pairs, empty notes, ISO dates, names left without a pointer."""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from .. import local_name, tei
from ..diagnostics import Diagnostic, shorten
from ..load import Document, Edition
from ..vocabulary import NAME_KINDS, REGISTER_LISTS
from .references import POINTER_FROM_TO
from .rules import finding

PAIRS = ({"sic", "corr"}, {"orig", "reg"}, {"abbr", "expan"})
DATE_ATTRIBUTES = ("when", "notBefore", "notAfter", "from", "to")
NAMES = {tei(name) for name in NAME_KINDS}
_ISO = re.compile(
    r"^(?P<year>-?\d{4,})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$"
    r"|^--(?P<m2>\d{2})(?:-(?P<d2>\d{2}))?$|^---\d{2}$|^\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$"
)
# @from/@to on these carry page or folio numbers, not dates.
_FROM_TO_WORDS = {tei("biblScope"), tei("citedRange"), tei("locus"), tei("locusGrp"), tei("measure")}


def is_iso_date(value: str) -> bool:
    if len(value) > 40:
        return False  # no date is that long (and a year of thousands of digits is no number Python reads)
    match = _ISO.match(value.strip())
    if not match or value != value.strip():
        return False
    month = match.group("month") or match.group("m2")
    day = match.group("day") or match.group("d2")
    if month and not 1 <= int(month) <= 12:
        return False
    if day:
        year = int(match.group("year")) if match.group("year") else 2000
        try:
            date(year if 1 <= year <= 9999 else 2000, int(month), int(day))
        except ValueError:
            return False
    return True


def check(edition: Edition) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for document in edition.documents:
        if edition.in_focus(document):
            found += _check_document(document)
    return found


def _check_document(document: Document) -> list[Diagnostic]:
    found = []
    text = document.root.find(tei("text"))
    in_text = set(text.iter(etree.Element)) if text is not None else set()
    for element in document.root.iter(etree.Element):
        tag = element.tag
        if tag == tei("choice"):
            found += _check_choice(document, element)
        elif tag == tei("note") and element in in_text and not _in_register(element) and not _has_content(element):
            found.append(finding(document, element, "note-empty",
                                 "<note> has no content, so the books would print a note call leading to "
                                 "nothing; write the note or remove it"))
        for name in DATE_ATTRIBUTES:
            value = element.get(name)
            if value is None or (name in ("from", "to") and (tag in POINTER_FROM_TO or tag in _FROM_TO_WORDS)):
                continue
            if not value.strip():
                found.append(finding(
                    document, element, "date-empty",
                    f"@{name} on <{local_name(element)}> is empty; give the date (YYYY, YYYY-MM or YYYY-MM-DD) "
                    "or remove the attribute",
                    name,
                ))
            elif not is_iso_date(value):
                found.append(finding(
                    document, element, "date-not-iso",
                    f'@{name}="{shorten(value)}" on <{local_name(element)}> is not an ISO 8601 date; '
                    "write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1918-03-03)",
                    name,
                ))
        if tag in NAMES and element in in_text and element.get("ref") is None and element.get("key") is None:
            if not _in_register(element):
                label = " ".join("".join(element.itertext()).split())
                found.append(finding(
                    document, element, "name-unlinked",
                    f'<{local_name(element)}>{label[:40]}</{local_name(element)}> has no @ref; '
                    "point it at its register entry",
                ))
    return found


def _in_register(element: etree._Element) -> bool:
    """Inside a list of persons, places, organisations or works: read for the index, not printed as text."""
    return any(local_name(a) in REGISTER_LISTS for a in element.iterancestors())


def _has_content(element: etree._Element) -> bool:
    return bool((element.text or "").strip()) or any(
        isinstance(child.tag, str) or (child.tail or "").strip() for child in element
    )


def _check_choice(document: Document, choice: etree._Element) -> list[Diagnostic]:
    children = [c for c in choice if isinstance(c.tag, str)]
    names = {local_name(c) for c in children}
    if len(children) == 2 and names in PAIRS:
        return []
    shown = ", ".join(f"<{local_name(c)}>" for c in children) or "nothing"
    return [finding(
        document, choice, "choice-unpaired",
        f"<choice> holds {shown}; it must pair <sic>/<corr>, <orig>/<reg> or <abbr>/<expan>",
    )]
