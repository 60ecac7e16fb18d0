"""The EPUB's content documents: the book's matter as XHTML chapters, notes as pop-up asides, index semantics."""

from __future__ import annotations

import re

from lxml import etree

from ... import XML_LANG, local_name
from ...config import ApparatusSettings
from ...index import Index
from ...model import Book, Text, TextualEntry
from ...model.html import add_element
from ...words import Words
from .. import matter
from ..apparatus import add_entry, placement
from ..layout import Layout
from .xhtml import EPUB_TYPE, XHTML, Chapter, add_child, append_text, classes, new_element, xhtml


def book_chapters(book: Book, indexes: tuple[Index, ...], layout: Layout, settings: ApparatusSettings,
                  words: Words) -> list[Chapter]:
    """Cover, title page, copyright, front matter, parts and texts, textual notes, emendations, indexes."""
    meta = book.metadata
    lang = meta.language
    chapters = []
    cover = Chapter("cover.xhtml", words.cover, lang, "cover")
    add_child(cover.body, "img", {"src": "images/cover.png", "alt": cover_alt(book, words), "class": "cover"})
    chapters.append(cover)

    title = Chapter("title.xhtml", meta.title, lang, "frontmatter")
    holder = etree.Element("div")
    section = xhtml(matter.title_page(book, holder, title_tag="h1", words=words))
    section.attrib.clear()
    section.attrib.update({EPUB_TYPE: "titlepage", "class": "title-page", "id": "titlepage"})
    title.body.append(section)
    chapters.append(title)

    rights = Chapter("copyright.xhtml", words.copyright, lang, "frontmatter")
    holder = etree.Element("div")
    matter.copyright_page(book, holder, words=words)
    section = xhtml(holder[0])
    section.set(EPUB_TYPE, "copyright-page")
    section.insert(0, new_element("h1", {}, words.copyright))
    rights.body.append(section)
    chapters.append(rights)

    at_foot = placement(book, settings) == "foot"
    for text in book.front:
        chapters.append(text_chapter(book, text, "frontmatter", meta.short_title, settings, False, words))
    if book.witnesses:
        chapter = Chapter("witnesses.xhtml", words.witnesses, lang, "frontmatter")
        holder = etree.Element("div")
        matter.witness_list(book, holder, words=words)
        chapter.body.append(xhtml(holder[0]))
        chapters.append(chapter)

    for number, part in enumerate(book.parts, start=1):
        if part.title:
            chapter = Chapter(f"part-{number}.xhtml", part.title, lang, "bodymatter")
            section = add_child(chapter.body, "section",
                                {"id": part.id, "class": "part", EPUB_TYPE: "part", "role": "doc-part"})
            if part.number:
                add_child(section, "p", {"class": "part-number"}, f"{words.part} {part.number}")
            add_child(section, "h1", {"class": "part-title"}, part.title)
            chapters.append(chapter)
        for text in part.texts:
            chapters.append(text_chapter(book, text, "bodymatter", part.title, settings, at_foot, words))

    body_texts = {t.id for t in book.texts}
    at_back = [e for e in book.textual if not (at_foot and e.text_id in body_texts)]
    for kind, heading, ident, intro in (("variant", words.textual_notes, "textual-notes", words.textual_notes_epub),
                                        ("emendation", words.emendations, "emendations", words.emendations_epub)):
        holder = etree.Element("div")
        if matter.textual_entries(book, at_back, holder, kind, heading, ident, intro,
                                  lambda a: layout.keys.get(a) or layout.anchors.get(a, ""), lambda a: f"#{a}",
                                  settings) is None:
            continue
        chapter = Chapter(f"{ident}.xhtml", heading, lang, "backmatter")
        chapter.body.append(xhtml(holder[0]))
        chapters.append(chapter)
    for index in indexes:
        if not index.entries:
            continue
        chapter = Chapter(f"{index.id}.xhtml", index.title, lang, "backmatter")
        holder = etree.Element("div")
        matter.index_section(index, holder, lambda a: f"#{a}", epub=True, words=words)
        section = xhtml(holder[0])
        mark_index(section)
        chapter.body.append(section)
        chapters.append(chapter)
    return chapters


def cover_alt(book: Book, words: Words) -> str:
    meta = book.metadata
    parts = [meta.title]
    if meta.authors:
        parts.append(f"{words.by} " + ", ".join(meta.authors))
    if meta.editors:
        parts.append(f"{words.edited_by[:1].lower()}{words.edited_by[1:]} " + ", ".join(meta.editors))
    return f"{words.cover}: " + "; ".join(parts)


def text_chapter(book: Book, text: Text, role: str, part_title: str, settings: ApparatusSettings,
                 with_apparatus: bool, words: Words) -> Chapter:
    chapter = Chapter(f"{text.id}.xhtml", text.title, text.language or book.metadata.language, role)
    article = add_child(chapter.body, "section", {"id": text.id, "class": f"text {text.role}", EPUB_TYPE: "chapter",
                                                  "role": "doc-chapter"})
    if text.language:
        article.set("lang", text.language)
        article.set(XML_LANG, text.language)
    article.append(xhtml(matter.text_opening(text, part_title)))
    for child in text.section:
        article.append(xhtml(child))
    if text.verse:
        number_verse(article, settings)
    move_notes(article, text, words)
    if with_apparatus:
        apparatus_section(article, book, text, settings, words)
    return chapter


def number_verse(article, settings: ApparatusSettings) -> None:
    """The print edition's verse numbers, every so many lines, beside the lines (not read aloud)."""
    first = True
    for line in article.iter(f"{{{XHTML}}}span"):
        number = line.get("data-line")
        if number is None or "l" not in classes(line):
            continue
        digits = re.match(r"\d+", number)
        if settings.interval and ((digits and int(digits.group(0)) % settings.interval == 0)
                                  or (settings.first_line and first)):
            marker = new_element("span", {"class": "ln", "aria-hidden": "true"}, number)
            marker.tail, line.text = " " + (line.text or ""), None  # the number is not the line's first word
            line.insert(0, marker)
        first = False


def epub_key(text: Text, entry: TextualEntry) -> str:
    """The key of an entry in reflowable text: its verse line(s), or the number of its section ("§ 2")."""
    if entry.verse_lines:
        start, end = entry.verse_lines
        return start if start == end else f"{start}–{end}"
    lemma = next((e for e in text.section.iter() if e.get("id") == entry.anchor_id), None)
    section = next((a for a in lemma.iterancestors() if a.get("data-n")), None) if lemma is not None else None
    return f"§ {section.get('data-n')}" if section is not None else ""


def apparatus_section(article, book: Book, text: Text, settings: ApparatusSettings, words: Words) -> None:
    """The text's apparatus after its notes: its entries keyed by verse or section, each lemma linked both ways."""
    entries = [e for e in book.textual if e.text_id == text.id]
    if not entries:
        return
    holder = etree.Element("section", {"class": "apparatus", "id": f"{text.id}-apparatus"})
    add_element(holder, "h2", "notes-head").text = words.apparatus
    for entry in entries:
        line = add_element(holder, "p", "entry")
        line.set("id", f"tn-{entry.anchor_id}")
        add_entry(line, entry, epub_key(text, entry), settings, lemma_href=f"#{entry.anchor_id}")
    article.append(xhtml(holder))


def move_notes(article, text: Text, words: Words) -> None:
    """Each note becomes a noteref at its call and an aside at the end of the text, with a back link."""
    notes = [e for e in article.iter(f"{{{XHTML}}}span") if "note" in classes(e)]
    if not notes:
        return
    sections = {
        "author": new_element("section", {"class": "footnotes author-notes", "id": f"{text.id}-author-notes"}),
        "editor": new_element("section", {"class": "footnotes editor-notes", "id": f"{text.id}-editor-notes"}),
    }
    add_child(sections["author"], "h2", {"class": "notes-head"}, words.notes)
    add_child(sections["editor"], "h2", {"class": "notes-head"}, words.editorial_notes)
    for span in notes:
        if span.getparent() is None:
            continue
        ident = span.get("id")
        series = span.get("data-series") or "author"
        label = span.get("data-label") or "*"
        reference = new_element("a", {EPUB_TYPE: "noteref", "role": "doc-noteref", "href": f"#{ident}",
                                      "id": f"ref-{ident}", "class": f"noteref {series}"})
        reference.text = label
        reference.tail = span.tail
        span.getparent().replace(span, reference)
        aside = add_child(sections[series], "aside", {EPUB_TYPE: "footnote", "role": "doc-footnote", "id": ident,
                                                      "class": f"note {series}"})
        paragraph = add_child(aside, "p")
        back = add_child(paragraph, "a", {"href": f"#ref-{ident}", "role": "doc-backlink", "class": "note-label"},
                         label)
        back.tail = " "
        if series == "editor":
            back.set("aria-label", words.editorial_note_back.replace("{label}", label))
        else:
            back.set("aria-label", words.note_back.replace("{label}", label))
        note_paragraphs(span, aside, paragraph)
    for section in sections.values():
        if len(section) > 1:
            article.append(section)


def note_paragraphs(span, aside, first) -> None:
    """Note content into paragraphs: the model's ``span.np`` pieces were the note's paragraphs."""
    current, started = first, bool((span.text or "").strip())
    append_text(current, span.text)
    for child in list(span):
        if "np" in classes(child):
            if started:
                current = add_child(aside, "p")
            append_text(current, child.text)
            for grandchild in list(child):
                current.append(grandchild)
            append_text(current, child.tail)
            started = True
            continue
        current.append(child)
        started = True


def mark_index(section) -> None:
    """EPUB Indexes 1.0 semantics on the shared index markup."""
    section.set(EPUB_TYPE, "index")
    section.set("role", "doc-index")
    for element in section.iter():
        if not isinstance(element.tag, str):
            continue
        cls = classes(element)
        name = local_name(element)
        if name == "section" and "letter-group" in cls:
            element.set(EPUB_TYPE, "index-group")
        elif name == "ul":
            element.set(EPUB_TYPE, "index-entry-list")
        elif name == "li":
            element.set(EPUB_TYPE, "index-entry")
        elif name == "span" and "term" in cls:
            element.set(EPUB_TYPE, "index-term")
        elif name == "a" and "locator" in cls:
            element.set(EPUB_TYPE, "index-locator")
        elif name == "span" and "see" in cls:
            element.set(EPUB_TYPE, "index-xref-preferred")
