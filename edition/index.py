"""The indexes, from the model's registers and name occurrences, sorted as the edition's language sorts; paged
from a layout as a new value, where an entry cited on too many pages is broken up by text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .config import IndexSettings
from .model import Book, Occurrence, RegisterEntry, Text
from .vocabulary import PERSON, WORK
from .words import Words, words_for

ARTICLES = re.compile(r"^(the|a|an|le|la|les|l’|l'|el|der|die|das)\s*", re.I)
INDEX_IDS = {"person": "index-names", "work": "index-works", "place": "index-places", "org": "index-orgs"}
INDEX_ORDER = ("person", "work", "place", "org")


@lru_cache(maxsize=8)
def collator(locale: str):
    """ICU's collation for a locale (CLDR's tailoring of the Unicode Collation Algorithm): German sorts Ä with A
    and ß as ss, Swedish puts Å after Z, Greek and Russian sort in their alphabets' order."""
    import icu

    return icu.Collator.createInstance(icu.Locale(locale or "en"))


def sort_key(text: str, locale: str = "en") -> bytes:
    """The collation key of a heading: accents and case are later-level differences, never the order of letters;
    spaces and punctuation count as one space."""
    folded = re.sub(r"[\s\-‐–—,.’'“”\"()]+", " ", text).strip()
    return collator(locale).getSortKey(folded)


def initial(text: str) -> str:
    letter = unicodedata.normalize("NFD", text.strip()[:1])[:1].upper()
    return letter if letter.isalpha() else "#"


@dataclass(frozen=True)
class Locator:
    """One occurrence an entry counts; its page once the index has been paged from a layout."""

    anchor_id: str
    text_id: str
    in_note: bool
    form: str
    page: str | None = None  # the printed page label
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
    subentries: list[Entry] = field(default_factory=list)
    see: str | None = None  # heading of the entry this one refers to
    see_id: str | None = None
    sort_as: str = ""
    locale: str = "en"  # the collation it sorts by

    @property
    def key(self) -> bytes:
        return sort_key(self.sort_as or self.heading, self.locale)

    @property
    def letter(self) -> str:
        return initial(self.sort_as or self.heading)


@dataclass
class Index:
    id: str
    title: str
    entries: list[Entry]
    texts: dict[str, str] = field(default_factory=dict)  # text id -> its sub-entry's heading, in the book's order
    max_locators: int = 0  # once paged, an entry cited on more pages is broken up by text; 0: never

    def groups(self) -> list[tuple[str, list[Entry]]]:
        grouped: dict[str, list[Entry]] = {}
        for entry in self.entries:
            grouped.setdefault(entry.letter, []).append(entry)
        return list(grouped.items())


# --- building -------------------------------------------------------------------------------


def title_sort(title: str) -> str:
    return ARTICLES.sub("", title)


def _locators(occurrences: list[Occurrence]) -> list[Locator]:
    return [Locator(o.anchor_id, o.text_id, o.in_note, o.form) for o in occurrences]


def build_indexes(book: Book, settings: IndexSettings | None = None, language: str = "en",
                  collation: str = "") -> tuple[Index, ...]:
    """One index per register the settings name (by default every register the edition has), each from the
    model's register entries and occurrences, sorted by the collation of ``collation`` (or ``language``)."""
    settings = settings or IndexSettings()
    words = words_for(language)
    locale = collation or language
    by_target: dict[str, list[Occurrence]] = {}
    for occurrence in book.occurrences:
        by_target.setdefault(occurrence.target, []).append(occurrence)
    kinds = settings.registers or tuple(k for k in INDEX_ORDER if book.registers[k])
    texts = {text.id: in_text(text, words) for text in book.front + book.texts}
    indexes = []
    for kind in kinds:
        if kind == WORK:
            entries = _works(book, by_target, locale)
        else:
            entries = _names(kind, book.registers[kind], by_target, locale)
        indexes.append(Index(INDEX_IDS[kind], settings.title(kind) or words.index_title(kind), entries, texts,
                             settings.max_locators))
    return tuple(indexes)


def in_text(text: Text, words: Words) -> str:
    """The heading of an entry's sub-entry for one text: 'in the Introduction' (the editors' own matter),
    'in Sedgwick, Translator's Introduction', 'in A Review of ...' (a text without an author)."""
    title = text.short_title or text.title
    if text.role == "front":
        return words.in_front.format(title=title)
    authors = " and ".join(inverted(author).split(",")[0] for author in text.authors)
    return words.in_text.format(title=f"{authors}, {title}" if authors else title)


def _names(kind: str, register: dict[str, RegisterEntry], by_target, locale: str) -> list[Entry]:
    """An index of persons, places or organisations: every entry mentioned, with 'see' entries for other forms."""
    entries: list[Entry] = []
    for ident, named in register.items():
        found = by_target.get(ident)
        if found:
            entries.append(Entry(ident, kind, named.heading, named.dates, named.gloss, _locators(found),
                                 {o.form for o in found}, locale=locale))
    entries += _see_entries(entries, register, invert=kind == PERSON, locale=locale)
    return sorted(entries, key=lambda e: e.key)


def _works(book: Book, by_target, locale: str) -> list[Entry]:
    """The works index: works by a registered person stand under their author, with a 'see' entry by title."""
    persons, works = book.registers[PERSON], book.registers[WORK]
    by_author: dict[str, Entry] = {}
    top: list[Entry] = []
    for ident, work in works.items():
        found = by_target.get(ident)
        if not found:
            continue
        entry = Entry(ident, "work", work.heading, work.dates, "", _locators(found), {o.form for o in found},
                      sort_as=title_sort(work.heading), locale=locale)
        authors = [a for a in work.authors if a in persons]
        if not authors:
            top.append(entry)
            continue
        for author in authors:
            if author not in by_author:
                person = persons[author]
                by_author[author] = Entry(f"works-{author}", "author", person.heading, person.dates, locale=locale)
            by_author[author].subentries.append(entry)
        top.append(Entry(f"see-{ident}", "see", entry.heading, see=by_author[authors[0]].heading,
                         see_id=by_author[authors[0]].id, sort_as=title_sort(entry.heading), locale=locale))
    for author in by_author.values():
        author.subentries.sort(key=lambda e: e.key)
    return sorted(top + list(by_author.values()), key=lambda e: e.key)


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


def _see_entries(names: list[Entry], register: dict[str, RegisterEntry], invert: bool = True,
                 locale: str = "en") -> list[Entry]:
    """'Chichirin, see Chicherin': every recorded form that differs from its heading other than by accents or case."""
    extra = []
    seen = {primary(e.heading) for e in names}
    for entry in names:
        forms = set(register[entry.id].forms) | {f for f in entry.forms if " " not in f.strip()}
        forms = {inverted(f) if invert else f for f in forms if "(" not in f and primary(f) != primary(entry.heading)}
        surname = primary(entry.heading.split(",")[0])
        for form in sorted(forms):
            key = primary(form)
            if not key or key in seen or key == surname or primary(form.split(",")[0]) == surname:
                continue
            seen.add(key)
            extra.append(Entry(f"see-{entry.id}-{len(extra)}", "see", form, see=entry.heading, see_id=entry.id,
                               locale=locale))
    return extra


# --- page numbers ---------------------------------------------------------------------------


def assign_pages(indexes, page_of: dict[str, tuple[int, str]]) -> tuple[tuple[Index, ...], list[str]]:
    """The indexes with each locator's page from a layout (id -> (physical index, label)), and the anchors
    the layout did not place; an entry cited on more pages than its index's ``max_locators`` becomes
    sub-entries by text (``by_text``). The indexes given are not changed."""
    missing: list[str] = []

    def paged(entry: Entry, index: Index) -> Entry:
        locators = []
        for locator in entry.locators:
            placed = page_of.get(locator.anchor_id)
            if placed is None:
                missing.append(locator.anchor_id)
                locators.append(locator)
            else:
                locators.append(replace(locator, page_index=placed[0], page=placed[1]))
        entry = replace(entry, locators=locators, subentries=[paged(sub, index) for sub in entry.subentries])
        return by_text(entry, index.texts, index.max_locators)

    return tuple(replace(index, entries=[paged(e, index) for e in index.entries]) for index in indexes), missing


def by_text(entry: Entry, texts: dict[str, str], max_locators: int) -> Entry:
    """A paged entry cited on more than ``max_locators`` pages, as one sub-entry per text that names it, in the
    order of the book ("Stalin, Joseph", "in the Introduction, vii, ix", "in Serge, Preface to the 1938 Edition,
    5–7", ...); the entry itself, if it is cited on fewer pages or in one text only (its sub-entry would be as
    long). ``texts``: text id -> the heading of its sub-entry."""
    if not max_locators or len(page_references(entry.locators)) <= max_locators:
        return entry
    found: dict[str, list[Locator]] = {}
    for locator in entry.locators:
        found.setdefault(locator.text_id, []).append(locator)
    if len(found) < 2:
        return entry
    order = {ident: number for number, ident in enumerate(texts)}
    groups = sorted(found.items(), key=lambda group: (order.get(group[0], len(order)), group[0]))
    subentries = [Entry(f"{entry.id}--in-{ident}", "in-text", texts.get(ident, ident), locators=locators,
                        locale=entry.locale)
                  for ident, locators in groups]
    return replace(entry, locators=[], subentries=subentries + entry.subentries)


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
        in_text = [locator for locator in group if not locator.in_note]
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
                {"anchor": locator.anchor_id, "text": locator.text_id, "form": locator.form,
                 "in_note": locator.in_note, "page": locator.page}
                for locator in entry.locators
            ]
        if entry.subentries:
            data["subentries"] = [entry_data(s) for s in entry.subentries]
        return data

    return {index.id: {"title": index.title, "entries": [entry_data(e) for e in index.entries]} for index in indexes}
