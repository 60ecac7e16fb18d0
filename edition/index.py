"""Collect every name and work occurrence once and build the indexes, sorted by Unicode collation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from . import tei
from .model import Book, Occurrence, local, plain_text

ARTICLES = re.compile(r"^(the|a|an|le|la|les|l’|l'|el|der|die|das)\s*", re.I)


@lru_cache(maxsize=1)
def collator():
    from pyuca import Collator

    return Collator()


def sort_key(text: str) -> tuple:
    """Unicode collation (DUCET): accents and case are later-level differences, never the order of letters."""
    folded = re.sub(r"[\s\-‐–—,.’'“”\"()]+", " ", text).strip()
    return collator().sort_key(folded)


def initial(text: str) -> str:
    letter = unicodedata.normalize("NFD", text.strip()[:1])[:1].upper()
    return letter if letter.isalpha() else "#"


@dataclass
class Locator:
    anchor_id: str
    text_id: str
    in_note: bool
    form: str
    page: str | None = None  # the printed page label, once the layout is known
    page_index: int | None = None  # physical position, for ranges and ordering


@dataclass
class Entry:
    id: str
    kind: str
    heading: str
    dates: str = ""
    gloss: str = ""
    locators: list[Locator] = field(default_factory=list)
    forms: set[str] = field(default_factory=set)
    subentries: list["Entry"] = field(default_factory=list)
    see: str | None = None  # heading of the entry this one refers to
    see_id: str | None = None
    sort_as: str = ""

    @property
    def key(self) -> tuple:
        return sort_key(self.sort_as or self.heading)

    @property
    def letter(self) -> str:
        return initial(self.sort_as or self.heading)


@dataclass
class Index:
    id: str
    title: str
    entries: list[Entry]

    def groups(self) -> list[tuple[str, list[Entry]]]:
        grouped: dict[str, list[Entry]] = {}
        for entry in self.entries:
            grouped.setdefault(entry.letter, []).append(entry)
        return list(grouped.items())

    def all_locators(self):
        for entry in self.entries:
            yield entry, entry.locators
            for sub in entry.subentries:
                yield sub, sub.locators


# --- headings from the registers ------------------------------------------------------------


def person_heading(person: etree._Element) -> str:
    names = person.findall(tei("persName"))
    reg = next((n for n in names if n.get("type") in ("reg", "main")), names[0] if names else None)
    if reg is None:
        return person.get("{http://www.w3.org/XML/1998/namespace}id") or "?"
    surname = " ".join(plain_text(s) for s in reg.findall(tei("surname")))
    forenames = " ".join(plain_text(f) for f in reg.findall(tei("forename")))
    extra = " ".join(plain_text(e) for e in reg if local(e) in ("genName", "roleName", "addName"))
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


def variant_forms(entry_element: etree._Element) -> list[str]:
    """Other names the register records for an entry (variant spellings, birth names, pseudonyms)."""
    forms = []
    for name in entry_element:
        if local(name) in ("persName", "orgName", "placeName", "title") and name.get("type") not in (None, "reg", "main", "full"):
            text = plain_text(name)
            if text:
                forms.append(text)
    return forms


def work_heading(bibl: etree._Element) -> str:
    titles = bibl.findall(tei("title"))
    main = next((t for t in titles if t.get("type") == "main"), titles[0] if titles else None)
    return plain_text(main) if main is not None else bibl.get("{http://www.w3.org/XML/1998/namespace}id")


def title_sort(title: str) -> str:
    return ARTICLES.sub("", title)


# --- building -------------------------------------------------------------------------------


def _locators(occurrences: list[Occurrence]) -> list[Locator]:
    return [Locator(o.anchor_id, o.text_id, o.in_note, o.form) for o in occurrences]


def build_indexes(book: Book) -> tuple[Index, Index]:
    by_target: dict[str, list[Occurrence]] = {}
    for occurrence in book.occurrences:
        by_target.setdefault(occurrence.target, []).append(occurrence)
    persons = book.registers["person"]
    works = book.registers["work"]

    names: list[Entry] = []
    for ident, person in persons.items():
        found = by_target.get(ident)
        if not found:
            continue
        entry = Entry(ident, "person", person_heading(person), person_dates(person),
                      identification(person.find(tei("note"))), _locators(found), {o.form for o in found})
        names.append(entry)
    names += _see_entries(names, persons)
    names.sort(key=lambda e: e.key)

    work_entries: dict[str, Entry] = {}
    for ident, bibl in works.items():
        found = by_target.get(ident)
        if not found:
            continue
        heading = work_heading(bibl)
        work_entries[ident] = Entry(ident, "work", heading, _year(bibl), "", _locators(found),
                                    {o.form for o in found}, sort_as=title_sort(heading))
    by_author: dict[str, Entry] = {}
    top: list[Entry] = []
    for ident, entry in work_entries.items():
        authors = [a.get("ref", "").lstrip("#") for a in works[ident].findall(tei("author"))]
        authors = [a for a in authors if a in persons]
        if not authors:
            top.append(entry)
            continue
        for author in authors:
            if author not in by_author:
                person = persons[author]
                by_author[author] = Entry(f"works-{author}", "author", person_heading(person), person_dates(person))
            by_author[author].subentries.append(entry)
        top.append(Entry(f"see-{ident}", "see", entry.heading, see=by_author[authors[0]].heading,
                         see_id=by_author[authors[0]].id, sort_as=title_sort(entry.heading)))
    for author in by_author.values():
        author.subentries.sort(key=lambda e: e.key)
    works_list = sorted(top + list(by_author.values()), key=lambda e: e.key)
    return (Index("index-names", "Index of Names", names), Index("index-works", "Index of Works", works_list))


def _year(bibl) -> str:
    date = bibl.find(tei("date"))
    return (date.get("when") or "")[:4] if date is not None and date.get("when") else ""


def inverted(form: str) -> str:
    """'Alexandra Bronstein' as an index heading: 'Bronstein, Alexandra'."""
    words = form.split()
    if len(words) < 2 or "," in form or not all(w[:1].isupper() for w in words):
        return form
    if re.fullmatch(r"[IVX]+", words[-1]):  # Alexander II, Napoleon III
        return form
    return f"{words[-1]}, {' '.join(words[:-1])}"


def primary(text: str) -> str:
    """A form at the collation's first level: no accents, no case, no punctuation."""
    folded = unicodedata.normalize("NFD", text).casefold()
    return re.sub(r"[^\w]+|_", "", "".join(c for c in folded if not unicodedata.combining(c)))


def _see_entries(names: list[Entry], persons: dict) -> list[Entry]:
    """'Chichirin, see Chicherin': every recorded form that differs from its heading other than by accents or case."""
    extra = []
    seen = {primary(e.heading) for e in names}
    for entry in names:
        forms = set(variant_forms(persons[entry.id])) | {f for f in entry.forms if " " not in f.strip()}
        forms = {inverted(f) for f in forms if "(" not in f and primary(f) != primary(entry.heading)}
        surname = primary(entry.heading.split(",")[0])
        for form in sorted(forms):
            key = primary(form)
            if not key or key in seen or key == surname or primary(form.split(",")[0]) == surname:
                continue
            seen.add(key)
            extra.append(Entry(f"see-{entry.id}-{len(extra)}", "see", form, see=entry.heading, see_id=entry.id))
    return extra


# --- page numbers ---------------------------------------------------------------------------


def assign_pages(indexes, page_of: dict[str, tuple[int, str]]) -> list[str]:
    """Give each locator its page from the layout; return the anchors the layout did not place."""
    missing = []
    for index in indexes:
        for _, locators in index.all_locators():
            for locator in locators:
                placed = page_of.get(locator.anchor_id)
                if placed is None:
                    missing.append(locator.anchor_id)
                    continue
                locator.page_index, locator.page = placed
    return missing


@dataclass(frozen=True)
class PageRef:
    label: str
    in_note: bool
    first_anchor: str
    last_label: str = ""

    def display(self) -> str:
        shown = f"{self.label}–{self.last_label}" if self.last_label else self.label
        return shown + ("n" if self.in_note else "")


def page_references(locators: list[Locator]) -> list[PageRef]:
    """Deduplicated page locators: a page once; 'n' when only notes mention it; runs of pages as ranges."""
    pages: dict[int, list[Locator]] = {}
    for locator in locators:
        if locator.page_index is not None:
            pages.setdefault(locator.page_index, []).append(locator)
    refs: list[tuple[int, PageRef]] = []
    for index in sorted(pages):
        group = pages[index]
        in_text = [l for l in group if not l.in_note]
        chosen = (in_text or group)[0]
        refs.append((index, PageRef(chosen.page, not in_text, chosen.anchor_id)))
    merged: list[PageRef] = []
    previous_index = None
    for index, ref in refs:
        if (
            merged and not ref.in_note and not merged[-1].in_note and previous_index is not None
            and index == previous_index + 1 and ref.label.isdigit() and merged[-1].label.isdigit()
        ):
            start = merged[-1]
            merged[-1] = PageRef(start.label, False, start.first_anchor, ref.label)
        else:
            merged.append(ref)
        previous_index = index
    return merged


def index_as_data(indexes) -> dict:
    """The indexes as plain data, for `edition index --format json` and for review."""
    def entry_data(entry: Entry) -> dict:
        data = {"id": entry.id, "heading": entry.heading}
        if entry.see:
            data["see"] = entry.see
            return data
        if entry.dates:
            data["dates"] = entry.dates
        if entry.gloss:
            data["gloss"] = entry.gloss
        if entry.forms:
            data["forms"] = sorted(entry.forms)
        if entry.locators:
            data["pages"] = [r.display() for r in page_references(entry.locators)]
            data["locators"] = [
                {"anchor": l.anchor_id, "text": l.text_id, "form": l.form, "in_note": l.in_note, "page": l.page}
                for l in entry.locators
            ]
        if entry.subentries:
            data["subentries"] = [entry_data(s) for s in entry.subentries]
        return data

    return {index.id: {"title": index.title, "entries": [entry_data(e) for e in index.entries]} for index in indexes}
