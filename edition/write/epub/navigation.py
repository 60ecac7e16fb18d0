"""The EPUB's navigation document: table of contents, landmarks and the print edition's page-list."""

from __future__ import annotations

from ebooklib import epub

from ... import local_name
from ...model import Metadata
from ...words import Words
from .xhtml import EPUB_TYPE, XHTML, Chapter, add_child, serialize, xhtml_document


def toc_links(chapters: list[Chapter]) -> list:
    """The NCX's table of contents: every document after the cover."""
    return [epub.Link(c.name, c.title, c.name.removesuffix(".xhtml")) for c in chapters[1:]]


def navigation(meta: Metadata, chapters: list[Chapter], markers: list[tuple[str, str, str]], words: Words) -> bytes:
    root, body = xhtml_document(meta.language, words.contents)
    toc = add_child(body, "nav", {EPUB_TYPE: "toc", "id": "toc", "role": "doc-toc"})
    add_child(toc, "h1", text=words.contents)
    listing = add_child(toc, "ol")
    part_list = None
    for chapter in chapters[1:]:
        holder = listing
        if chapter.name.startswith("part-"):
            item = add_child(listing, "li")
            add_child(item, "a", {"href": chapter.name}, chapter.title)
            part_list = add_child(item, "ol")
            continue
        if chapter.role == "bodymatter" and part_list is not None:
            holder = part_list
        elif chapter.role != "bodymatter":
            part_list = None
        item = add_child(holder, "li")
        add_child(item, "a", {"href": chapter.name}, chapter.title)
        sections = [s for s in chapter.body.iter(f"{{{XHTML}}}h2")
                    if s.getparent() is not None and s.getparent().get("id")
                    and "notes-head" not in (s.get("class") or "") and "letter" not in (s.get("class") or "")
                    and local_name(s.getparent()) == "section"]
        if sections and chapter.role == "bodymatter":
            sub_list = add_child(item, "ol")
            for heading in sections:
                text = " ".join("".join(heading.itertext()).split())
                add_child(add_child(sub_list, "li"), "a", {"href": f"{chapter.name}#{heading.getparent().get('id')}"},
                          text)
    landmarks = add_child(body, "nav", {EPUB_TYPE: "landmarks", "id": "landmarks", "hidden": ""})
    add_child(landmarks, "h2", text=words.landmarks)
    marks = add_child(landmarks, "ol")
    first_body = next((c for c in chapters if c.role == "bodymatter"), None)
    first_index = next((c for c in chapters if c.name.startswith("index-")), None)
    for kind, label, target in (
        ("cover", words.cover, "cover.xhtml"),
        ("titlepage", words.title_page, "title.xhtml"),
        ("toc", words.contents, "nav.xhtml#toc"),
        ("bodymatter", words.start_of_texts, first_body.name if first_body else None),
        ("index", first_index.title if first_index else "", first_index.name if first_index else None),
    ):
        if target:
            add_child(add_child(marks, "li"), "a", {EPUB_TYPE: kind, "href": target}, label)
    if markers:
        pages = add_child(body, "nav", {EPUB_TYPE: "page-list", "id": "page-list", "hidden": ""})
        add_child(pages, "h2", text=words.print_pages)
        page_list = add_child(pages, "ol")
        for label, name, ident in markers:
            add_child(add_child(page_list, "li"), "a", {"href": f"{name}#{ident}"}, label)
    return serialize(root)
