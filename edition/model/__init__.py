"""The model: the edition's TEI turned into one book of typed data and model HTML, the single source of both books."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from .. import XML_ID, XML_LANG, local_name, tei
from ..config import EditionSettings
from ..load import Document, Edition
from ..words import words_for
from .book import Book, Metadata, Note, Occurrence, Part, Reading, RegisterEntry, Text, TextualEntry, Witness
from .header import (
    collect_sigla,
    collect_witnesses,
    header_names,
    header_responsibility,
    header_title,
    metadata_of,
    ordered_documents,
    source_bibl,
    source_of,
)
from .html import add_element
from .registers import collect_registers
from .transform import BookState, TextWalk

__all__ = ["Book", "Metadata", "Note", "Occurrence", "Part", "Reading", "RegisterEntry", "Text", "TextualEntry",
           "Witness", "build_book"]


def text_id_of(document: Document) -> str:
    return document.root.get(XML_ID) or getattr(document, "name", "") or re.sub(r"\W+", "-", document.path.stem)


def build_book(edition: Edition, settings: EditionSettings | None = None) -> Book:
    """Every text the manifest places (or every text of a folder), walked once, with what the writers need."""
    front_documents, part_documents = ordered_documents(edition)
    documents = front_documents + [d for _, texts in part_documents for d in texts]
    registers = collect_registers(edition)
    witnesses = collect_witnesses(documents)
    settings = settings or EditionSettings()
    state = BookState(edition, registers, *collect_sigla(documents), settings)
    for document in documents:
        state.text_of_path[document.path] = text_id_of(document)
    metadata = metadata_of(edition, documents or edition.documents, words_for(settings.language.matter))
    front = [_walk_text(state, document, "front", metadata) for document in front_documents]
    parts = []
    for part, texts in part_documents:
        part.texts.extend(_walk_text(state, document, "text", metadata) for document in texts)
        parts.append(part)
    return Book(metadata, front, parts, state.notes, state.textual, state.occurrences, witnesses, registers,
                state.warnings)


def _walk_text(state: BookState, document: Document, role: str, metadata: Metadata) -> Text:
    text_id = text_id_of(document)
    source, siglum = source_of(document)
    walk = TextWalk(state, document, text_id, siglum or "")
    section = lxml_html.Element("section")
    section.set("id", text_id)
    section.set("class", f"text {role}")
    section.set("lang", document.root.get(XML_LANG) or metadata.language)
    text_element = document.root.find(tei("text"))
    if text_element is not None:
        if text_element.get(XML_LANG):
            section.set("lang", text_element.get(XML_LANG))
        for division in text_element:
            if local_name(division) in ("front", "body", "back", "group"):
                walk.children(division, add_element(section, "div", f"text-{local_name(division)}"))
    for transcription in document.root.findall(tei("sourceDoc")):  # a documentary transcription: its surfaces
        walk.children(transcription, add_element(section, "div", "text-sourceDoc"))
    if not re.search(r"\w", "".join(section.itertext())):
        state.warn(document, text_element if text_element is not None else document.root, "text-empty",
                   "this text prints no words in the books: "
                   + ("it has no <text> or <sourceDoc>" if text_element is None
                      else "its <text> holds nothing the books print")
                   + " (is it a list of texts or a register rather than a text?)")
    source_html = None
    bibl = source_bibl(document)
    if bibl is not None:
        source_html = lxml_html.Element("span")
        state.in_header = True
        walk.children(bibl, source_html)
        state.in_header = False
        for element in source_html.iter():
            element.attrib.pop("id", None)
    title = header_title(document) or document.path.stem
    return Text(
        id=text_id, title=title, short_title=header_title(document, "short") or title,
        authors=header_names(document, "author"), responsibility=header_responsibility(document),
        source=source, siglum=siglum, language=section.get("lang"), section=section, role=role,
        source_html=source_html, verse=is_verse(text_element),
    )


def is_verse(text_element) -> bool:
    """A text is verse when its verse lines outnumber its paragraphs."""
    if text_element is None:
        return False
    lines = sum(1 for _ in text_element.iter(tei("l")))
    paragraphs = sum(1 for block in text_element.iter(tei("p"), tei("ab")) if block.find(tei("l")) is None)
    return lines > paragraphs
