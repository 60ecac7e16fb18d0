"""The parts of a book both writers print: openings, title pages, witnesses, textual notes, indexes."""

from __future__ import annotations

import copy
from collections.abc import Callable

from lxml import etree

from ..config import ApparatusSettings
from ..index import Entry, Index, page_references
from ..model import Book, Text, TextualEntry
from ..model.html import add_element
from ..words import Words, words_for
from .apparatus import add_entry

ENGLISH = words_for("en")

Href = Callable[[str], str]  # HTML id -> the link to it in this writer's output


def text_opening(text: Text, part_title: str) -> etree._Element:
    header = etree.Element("header", {"class": "text-opening"})
    title = add_element(header, "h1", "text-title")
    title.text = text.title
    title.set("data-short", text.short_title)
    title.set("data-part", part_title)
    if text.role == "front":
        return header  # the editors' own matter: its title is enough
    for author in text.authors:
        line = add_element(header, "p", "text-author")
        line.text = author
    for resp in text.responsibility:
        line = add_element(header, "p", "text-resp")
        line.text = resp
    if text.source:
        line = add_element(header, "p", "text-source")
        if text.source_html is not None:
            line.text = text.source_html.text
            for child in copy.deepcopy(text.source_html):
                line.append(child)
        else:
            line.text = text.source
        if text.siglum:
            siglum = add_element(line, "span", "siglum")
            siglum.text = f" [{text.siglum}]"
    return header


def half_title(book: Book, parent: etree._Element) -> None:
    half = add_element(parent, "section", "half-title")
    half.set("id", "half-title")
    add_element(half, "p").text = book.metadata.title


def title_page(book: Book, parent: etree._Element, title_tag: str = "p", words: Words = ENGLISH) -> etree._Element:
    """Authors, title, subtitle, editors, publisher (the EPUB's title is its page's heading)."""
    meta = book.metadata
    page = add_element(parent, "section", "title-page")
    page.set("id", "titlepage")
    for author in meta.authors:
        add_element(page, "p", "book-author").text = author
    add_element(page, title_tag, "book-title").text = meta.title
    if meta.subtitle:
        add_element(page, "p", "book-subtitle").text = meta.subtitle
    for editor in meta.editors:
        add_element(page, "p", "book-editor").text = f"{words.edited_by} {editor}"
    if meta.publisher:
        add_element(page, "p", "book-publisher").text = meta.publisher
    return page


def copyright_page(book: Book, parent: etree._Element, words: Words = ENGLISH) -> None:
    meta = book.metadata
    page = add_element(parent, "section", "copyright")
    page.set("id", "copyright")
    add_element(page, "p").text = f"{meta.title}" + (f": {meta.subtitle}" if meta.subtitle else "")
    version = " ".join(x for x in (f"{words.version} {meta.version}" if meta.version else "",
                                   f"{words.of_date} {meta.date_display}" if meta.date_display else "") if x)
    if version:
        add_element(page, "p").text = version + "."
    if meta.publisher:
        add_element(page, "p").text = f"{words.published_by} {meta.publisher}."
    if meta.licence:
        add_element(page, "p").text = meta.licence
    if meta.rights:
        add_element(page, "p").text = meta.rights
    copies = [w for w in book.witnesses if w.copy_text]
    if copies:
        add_element(page, "h2").text = words.sources
        add_element(page, "p").text = words.sources_note
        for witness in copies:
            line = add_element(page, "p", "source")
            line.text = f"{witness.text_title}: {witness.description}"


def witness_list(book: Book, parent: etree._Element, words: Words = ENGLISH) -> etree._Element:
    """Every witness under the title of its text (given once), with its siglum."""
    section = add_element(parent, "section", "witness-list")
    section.set("id", "witnesses")
    add_element(section, "h1").text = words.witnesses
    intro = add_element(section, "p", "intro-note")
    intro.text = words.witnesses_note
    listing = add_element(section, "dl")
    current = None
    for witness in book.witnesses:
        if witness.text_title != current:
            current = witness.text_title
            add_element(listing, "dt").text = witness.text_title
        description = add_element(listing, "dd")
        siglum = add_element(description, "span", "siglum")
        siglum.text = witness.siglum or "—"
        siglum.tail = " " + witness.description
    return section


def textual_entries(book: Book, entries: list[TextualEntry], parent: etree._Element, kind: str, title: str,
                    section_id: str, intro: str, key_of: Callable[[str], str], href: Href,
                    settings: ApparatusSettings) -> etree._Element | None:
    """The apparatus at the back ('variant') or the list of emendations ('emendation'), grouped by text, each
    entry keyed (by page and line in the PDF) and its lemma linked to its place in the text; nothing if it has none."""
    entries = [e for e in entries if e.kind == kind]
    if not entries:
        return None
    section = add_element(parent, "section", "back " + ("textual-notes" if kind == "variant" else "emendations"))
    section.set("id", section_id)
    add_element(section, "h1").text = title
    add_element(section, "p", "intro-note").text = intro
    titles = {t.id: t.title for t in book.front + book.texts}
    current = None
    for entry in entries:
        if entry.text_id != current:
            current = entry.text_id
            heading = add_element(section, "h2")
            heading.set("id", f"{section_id}-{current}")
            heading.text = titles.get(current, current)
        line = add_element(section, "p", "entry")
        line.set("id", f"tn-{entry.anchor_id}")
        add_entry(line, entry, key_of(entry.anchor_id), settings, lemma_href=href(entry.anchor_id))
    return section


def index_section(index: Index, parent: etree._Element, href: Href, epub: bool = False,
                  words: Words = ENGLISH) -> etree._Element:
    """An index as nested letter groups of entries: 'Heading (dates), gloss, 12, 14–16, 20n'."""
    section = add_element(parent, "section", "back index")
    section.set("id", index.id)
    add_element(section, "h1").text = index.title
    columns = add_element(section, "div", "columns")
    used: set[str] = set()
    for letter, entries in index.groups():
        group = add_element(columns, "section", "letter-group") if epub else columns
        heading = add_element(group, "h2", "letter")
        heading.set("id", f"{index.id}-{letter if letter.isalpha() else 'other'}")
        heading.text = letter
        holder = add_element(group, "ul", "entries") if epub else group
        for entry in entries:
            _entry(holder, entry, href, epub, 0, used, see_word=words.see)
    return section


def _entry(holder, entry: Entry, href: Href, epub: bool, level: int, used: set, parent_id: str = "",
           see_word: str = "see") -> None:
    """An entry and its sub-entries (level 1: a work under its author, or a text naming the entry; level 2: a text
    naming a work), nested lists in the EPUB, paragraphs indented by level in print."""
    line = add_element(holder, "li" if epub else "p", " ".join(["entry", "sub", "sub2"][:level + 1]))
    # a work by two authors stands under each; only its first place carries the plain id
    ident = f"idx-{entry.id}"
    if ident in used:
        ident = f"idx-{entry.id}--{parent_id}"
    used.add(ident)
    line.set("id", ident)
    term = add_element(line, "span", "term")
    term.text = entry.heading
    if entry.dates:
        term.tail = f" ({entry.dates})"
    if entry.see:
        _append(line, ", ")
        see = add_element(line, "span", "see")
        see.text = f"{see_word} "
        target = add_element(see, "a", "see-target")
        target.set("href", href(f"idx-{entry.see_id}"))
        target.text = entry.see
        return
    if entry.gloss and not level:
        _append(line, ", ")
        add_element(line, "span", "gloss").text = entry.gloss.rstrip(".")
    refs = page_references(entry.locators)
    if refs:
        _append(line, ", ")
    for number, ref in enumerate(refs):
        link = add_element(line, "a", "locator")
        link.set("href", href(ref.first_anchor))
        link.text = ref.display()
        if number < len(refs) - 1:
            link.tail = ", "
    if entry.subentries:
        nested = add_element(line, "ul", "subentries") if epub else holder
        for subentry in entry.subentries:
            _entry(nested, subentry, href, epub, level + 1, used, parent_id=ident.removeprefix("idx-"),
                   see_word=see_word)


def _append(element, text: str) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text
