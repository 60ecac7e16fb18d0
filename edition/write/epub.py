"""The EPUB writer: EPUB 3 content documents from the shared model, with the print edition's pages."""

from __future__ import annotations

import copy
import io
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ebooklib import epub
from lxml import etree

from ..diagnostics import Diagnostic, Severity
from ..errors import EditionError
from ..index import Index, assign_pages
from ..model import Book, Text
from . import matter

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{OPS}}}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STYLES = Path(__file__).resolve().parents[2] / "styles"
BLOCKS = ("p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "div")


@dataclass
class PrintLayout:
    """What the EPUB needs of the PDF's layout: page labels, where pages begin, the index's pages."""

    labels: list[str]
    body_offset: int
    body_pages: int
    page_starts: list[dict]
    anchors: dict[str, str]
    locators: dict[str, tuple[int, str]]

    @classmethod
    def from_json(cls, data: dict) -> "PrintLayout":
        return cls(data["labels"], data["body_offset"], data["body_pages"], data["page_starts"], data["anchors"],
                   {k: (v[0], v[1]) for k, v in data.get("locators", {}).items()})


def read_layout(path: Path) -> PrintLayout:
    if not path.exists():
        raise EditionError(f"{path} is missing: build the PDF first (the EPUB takes its page numbers from it)")
    return PrintLayout.from_json(json.loads(path.read_text(encoding="utf-8")))


def as_print_layout(layout) -> PrintLayout:
    return layout if isinstance(layout, PrintLayout) else PrintLayout.from_json(layout.as_json())


def xhtml(element: etree._Element) -> etree._Element:
    """A copy of a model (HTML) subtree in the XHTML namespace; ``lang`` also as ``xml:lang``."""
    result = copy.deepcopy(element)
    for node in result.iter():
        if isinstance(node.tag, str) and not node.tag.startswith("{"):
            node.tag = f"{{{XHTML}}}{node.tag}"
            if node.get("lang"):
                node.set(XML_LANG, node.get("lang"))
    return result


def new_element(tag: str, attrib: dict | None = None, text: str | None = None) -> etree._Element:
    """An XHTML element."""
    element = etree.Element(f"{{{XHTML}}}{tag}", attrib or {})
    if text:
        element.text = text
    return element


def add_child(parent, tag: str, attrib: dict | None = None, text: str | None = None) -> etree._Element:
    """An XHTML child appended to ``parent``."""
    element = etree.SubElement(parent, f"{{{XHTML}}}{tag}", attrib or {})
    if text:
        element.text = text
    return element


class Chapter:
    """One content document: its file name, title, landmark role and XHTML body."""

    def __init__(self, name: str, title: str, language: str, body_type: str | None = None):
        self.name = name
        self.title = title
        self.language = language
        self.root = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS})
        self.root.set("lang", language)
        self.root.set(XML_LANG, language)
        head = add_child(self.root, "head")
        add_child(head, "meta", {"charset": "utf-8"})
        add_child(head, "title", text=title)
        add_child(head, "link", {"rel": "stylesheet", "type": "text/css", "href": "styles/epub.css"})
        self.body = add_child(self.root, "body")
        if body_type:
            self.body.set(EPUB_TYPE, body_type)

    def ids(self) -> set[str]:
        return {e.get("id") for e in self.root.iter() if isinstance(e.tag, str) and e.get("id")}

    def serialize(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def local_name(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


class EpubWriter:
    def __init__(self, book: Book, indexes: tuple[Index, Index], layout):
        self.book = book
        self.indexes = indexes
        self.layout = as_print_layout(layout)
        missing = assign_pages(indexes, self.layout.locators)  # the index's pages are the PDF's
        self.unplaced = len(missing)
        self.meta = book.metadata
        self.chapters: list[Chapter] = []
        self.file_of: dict[str, str] = {}  # id -> file name
        self.note_ids = {n.id for n in book.notes}
        self.notes = {n.id: n for n in book.notes}
        self.diagnostics: list[Diagnostic] = []
        self.identifier = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"edition:{self.meta.id}"))
        self.print_identifier = "urn:uuid:" + str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"edition:{self.meta.id}:pdf:{self.meta.version}")
        )

    # --- content documents ------------------------------------------------------------------

    def build_chapters(self) -> None:
        lang = self.meta.language
        cover = Chapter("cover.xhtml", "Cover", lang, "cover")
        add_child(cover.body, "img", {"src": "images/cover.png", "alt": self.cover_alt(), "class": "cover"})
        self.chapters.append(cover)

        title = Chapter("title.xhtml", self.meta.title, lang, "frontmatter")
        section = add_child(title.body, "section", {EPUB_TYPE: "titlepage", "class": "title-page", "id": "titlepage"})
        for author in self.meta.authors:
            add_child(section, "p", {"class": "book-author"}, author)
        add_child(section, "h1", {"class": "book-title"}, self.meta.title)
        if self.meta.subtitle:
            add_child(section, "p", {"class": "book-subtitle"}, self.meta.subtitle)
        for editor in self.meta.editors:
            add_child(section, "p", {"class": "book-editor"}, f"Edited by {editor}")
        if self.meta.publisher:
            add_child(section, "p", {"class": "book-publisher"}, self.meta.publisher)
        self.chapters.append(title)

        rights = Chapter("copyright.xhtml", "Copyright and Sources", lang, "frontmatter")
        holder = etree.Element("div")
        matter.copyright_page(self.book, holder)
        section = xhtml(holder[0])
        section.set(EPUB_TYPE, "copyright-page")
        section.insert(0, new_element("h1", {}, "Copyright and Sources"))
        rights.body.append(section)
        self.chapters.append(rights)

        for text in self.book.front:
            self.chapters.append(self.text_chapter(text, "frontmatter", self.meta.short_title))
        if self.book.witnesses:
            chapter = Chapter("witnesses.xhtml", "Witnesses and Sigla", lang, "frontmatter")
            holder = etree.Element("div")
            matter.witness_list(self.book, holder)
            chapter.body.append(xhtml(holder[0]))
            self.chapters.append(chapter)

        for number, part in enumerate(self.book.parts, start=1):
            if part.title:
                chapter = Chapter(f"part-{number}.xhtml", part.title, lang, "bodymatter")
                section = add_child(chapter.body, "section", {"id": part.id, "class": "part", EPUB_TYPE: "part", "role": "doc-part"})
                if part.number:
                    add_child(section, "p", {"class": "part-number"}, f"Part {part.number}")
                add_child(section, "h1", {"class": "part-title"}, part.title)
                self.chapters.append(chapter)
            for text in part.texts:
                self.chapters.append(self.text_chapter(text, "bodymatter", part.title))

        back_start = len(self.chapters)
        for kind, title, ident, intro in (
            ("variant", "Textual Notes", "textual-notes",
             "Variant readings between witnesses, keyed by the print edition's page and the lemma; "
             "the reading printed stands before the bracket. Each lemma links back to its place."),
            ("emendation", "List of Emendations", "emendations",
             "Every correction of the copy-text, keyed by the print edition's page: the reading printed "
             "before the bracket, the witness's reading and its siglum after it."),
        ):
            if not any(e.kind == kind for e in self.book.textual):
                continue
            chapter = Chapter(f"{ident}.xhtml", title, lang, "backmatter")
            holder = etree.Element("div")
            matter.textual_entries(self.book, holder, kind, title, ident, intro,
                                   lambda a: self.layout.anchors.get(a, ""), lambda a: f"#{a}")
            chapter.body.append(xhtml(holder[0]))
            self.chapters.append(chapter)
        for index in self.indexes:
            if not index.entries:
                continue
            chapter = Chapter(f"{index.id}.xhtml", index.title, lang, "backmatter")
            holder = etree.Element("div")
            matter.index_section(index, holder, lambda a: f"#{a}", epub=True)
            section = xhtml(holder[0])
            self.mark_index(section)
            chapter.body.append(section)
            self.chapters.append(chapter)
        self.back_start = back_start

        for chapter in self.chapters:
            for ident in chapter.ids():
                self.file_of.setdefault(ident, chapter.name)

    def cover_alt(self) -> str:
        parts = [self.meta.title]
        if self.meta.authors:
            parts.append("by " + ", ".join(self.meta.authors))
        if self.meta.editors:
            parts.append("edited by " + ", ".join(self.meta.editors))
        return "Cover: " + "; ".join(parts)

    def text_chapter(self, text: Text, role: str, part_title: str) -> Chapter:
        chapter = Chapter(f"{text.id}.xhtml", text.title, text.language or self.meta.language, role)
        article = add_child(chapter.body, "section", {"id": text.id, "class": f"text {text.role}", EPUB_TYPE: "chapter",
                                              "role": "doc-chapter"})
        if text.language:
            article.set("lang", text.language)
            article.set(XML_LANG, text.language)
        article.append(xhtml(matter.text_opening(text, part_title)))
        for child in text.section:
            article.append(xhtml(child))
        self.move_notes(article, text)
        return chapter

    def move_notes(self, article, text: Text) -> None:
        """Each note becomes a noteref at its call and an aside at the end of the text, with a back link."""
        notes = [e for e in article.iter(f"{{{XHTML}}}span") if "note" in (e.get("class") or "").split()]
        if not notes:
            return
        sections = {
            "author": new_element("section", {"class": "footnotes author-notes", "id": f"{text.id}-author-notes"}),
            "editor": new_element("section", {"class": "footnotes editor-notes", "id": f"{text.id}-editor-notes"}),
        }
        add_child(sections["author"], "h2", {"class": "notes-head"}, "Notes")
        add_child(sections["editor"], "h2", {"class": "notes-head"}, "Editorial Notes")
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
            back = add_child(paragraph, "a", {"href": f"#ref-{ident}", "role": "doc-backlink", "class": "note-label"}, label)
            back.tail = " "
            if series == "editor":
                back.set("aria-label", f"Editorial note {label}, back to text")
            else:
                back.set("aria-label", f"Note {label}, back to text")
            self.note_body(span, aside, paragraph)
        for section in sections.values():
            if len(section) > 1:
                article.append(section)

    @staticmethod
    def note_body(span, aside, first) -> None:
        """Note content into paragraphs: the model's ``span.np`` pieces were the note's paragraphs."""
        current, started = first, bool((span.text or "").strip())
        append(current, span.text)
        for child in list(span):
            if "np" in (child.get("class") or "").split():
                if started:
                    current = add_child(aside, "p")
                append(current, child.text)
                for grandchild in list(child):
                    current.append(grandchild)
                append(current, child.tail)
                started = True
                continue
            current.append(child)
            started = True

    def mark_index(self, section) -> None:
        """EPUB Indexes 1.0 semantics on the shared index markup."""
        section.set(EPUB_TYPE, "index")
        section.set("role", "doc-index")
        for element in section.iter():
            if not isinstance(element.tag, str):
                continue
            cls = (element.get("class") or "").split()
            name = local_name(element)
            if name == "div" and "columns" in cls:
                element.tag = f"{{{XHTML}}}div"
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

    # --- links, page breaks -------------------------------------------------------------------

    def resolve_links(self) -> None:
        registers = {i for kind in self.book.registers.values() for i in kind}
        for chapter in self.chapters:
            for link in chapter.root.iter(f"{{{XHTML}}}a"):
                href = link.get("href")
                target = link.get("data-target")
                if target:
                    link.attrib.pop("data-target")
                    if target in registers:
                        href = f"#idx-{target}"
                    else:
                        href = f"#{target}"
                    if "ptr" in (link.get("class") or "") and not (link.text or "").strip() and not len(link):
                        link.text = "see " + (f"p. {self.layout.anchors[target]}" if target in self.layout.anchors else "here")
                if href and href.startswith("#"):
                    ident = href[1:]
                    name = self.file_of.get(ident)
                    if name is None:
                        self.diagnostics.append(Diagnostic("(epub)", 0, 0, Severity.WARNING, "epub-link",
                                                           f"link to #{ident} in {chapter.name} reaches nothing"))
                        link.attrib.pop("href", None)
                        continue
                    link.set("href", f"#{ident}" if name == chapter.name else f"{name}#{ident}")
            self.link_lemmas(chapter)

    def link_lemmas(self, chapter: Chapter) -> None:
        """Lemmas and emendations in the text link to their textual note; the note links back."""
        entries = {e.anchor_id: e for e in self.book.textual}
        for span in chapter.root.iter(f"{{{XHTML}}}span"):
            cls = (span.get("class") or "").split()
            ident = span.get("id")
            if ident in entries and ("lemma" in cls or "emendation" in cls):
                target = f"tn-{ident}"
                name = self.file_of.get(target)
                if not name:
                    continue
                link = new_element("a", {"href": f"{name}#{target}", "class": "to-textual-note"})
                nested = span.xpath(".//x:a | .//x:span[contains(@class, 'lemma') or contains(@class, 'emendation')]",
                                    namespaces={"x": XHTML})
                if nested:
                    # links cannot nest: a lemma holding a link gets a small sign after it instead
                    link.text = "°"
                    link.set("aria-label", "textual note")
                    link.tail, span.tail = span.tail, None
                    span.addnext(link)
                    continue
                link.text, span.text = span.text, None
                for child in list(span):
                    link.append(child)
                span.append(link)

    def insert_page_breaks(self) -> list[tuple[str, str, str]]:
        """A page-break marker where each printed page of the body begins; returns (label, file, id)."""
        markers = []
        by_id = {}
        for chapter in self.chapters:
            for element in chapter.root.iter():
                if isinstance(element.tag, str) and element.get("id"):
                    by_id.setdefault(element.get("id"), (chapter, element))
        pending: list[str] = []
        for start in self.layout.page_starts:
            label = start["page"]
            anchor = start.get("anchor")
            if not anchor or anchor not in by_id:
                pending.append(label)  # a blank page: its marker goes with the next page's
                continue
            chapter, element = by_id[anchor]
            # markers of blank pages go just before the next page's; placed last first, so they read in order
            for missing in reversed(pending + [label]):
                marker = new_element("span", {EPUB_TYPE: "pagebreak", "role": "doc-pagebreak", "id": f"page-{missing}",
                                    "aria-label": missing, "class": "pagebreak"})
                place_marker(element, start.get("words", ""), marker)
            markers += [(missing, chapter.name, f"page-{missing}") for missing in pending + [label]]
            pending = []
        return markers

    # --- the package --------------------------------------------------------------------------

    def write(self, out_path: Path) -> list[Diagnostic]:
        self.build_chapters()
        markers = self.insert_page_breaks()
        self.resolve_links()
        book = epub.EpubBook()
        book.set_identifier(self.identifier)
        book.set_title(self.meta.title)
        book.set_language(self.meta.language)
        for author in self.meta.authors:
            book.add_author(author, file_as=author, role="aut", uid=f"creator-{len(book.metadata)}")
        for number, editor in enumerate(self.meta.editors):
            book.add_author(editor, role="edt", uid=f"editor-{number}")
        if self.meta.publisher:
            book.add_metadata("DC", "publisher", self.meta.publisher)
        rights = " ".join(x for x in (self.meta.licence, self.meta.rights) if x)
        if rights:
            book.add_metadata("DC", "rights", rights)
        if self.meta.subtitle:
            book.add_metadata("DC", "description", self.meta.subtitle)
        book.add_metadata("DC", "subject", "Critical edition")
        self.accessibility(book, bool(markers))
        modified = self.modified()
        css = epub.EpubItem(uid="style", file_name="styles/epub.css", media_type="text/css",
                            content=(STYLES / "epub.css").read_bytes())
        book.add_item(css)
        cover_image = epub.EpubItem(uid="cover-image", file_name="images/cover.png", media_type="image/png",
                                    content=make_cover(self.meta))
        cover_image.properties = ["cover-image"]
        book.add_item(cover_image)
        book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
        items = []
        for number, chapter in enumerate(self.chapters):
            item = epub.EpubItem(uid=f"doc-{number:03d}", file_name=chapter.name, media_type="application/xhtml+xml",
                                 content=chapter.serialize())
            book.add_item(item)
            items.append(item)
        nav = epub.EpubItem(uid="nav", file_name="nav.xhtml", media_type="application/xhtml+xml",
                            content=self.navigation(markers))
        nav.properties = ["nav"]
        book.add_item(nav)
        book.toc = self.toc_links()
        book.add_item(epub.EpubNcx())
        book.spine = [(items[0], "no"), (nav, "no")] + items[1:]
        out_path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        epub.write_epub(buffer, book, {"epub3_pages": False, "epub3_landmark": False, "mtime": modified,
                                       "play_order": {"enabled": True, "start_from": 1}})
        data = buffer.getvalue()
        data = normalise_modified(data, modified)
        temporary = out_path.with_name(f".{out_path.name}.partial")
        temporary.write_bytes(data)
        temporary.replace(out_path)
        return self.diagnostics

    def modified(self) -> datetime:
        date = self.meta.date or "2000-01-01"
        parts = [int(p) for p in date.split("-")] + [1, 1]
        return datetime(parts[0], parts[1] if len(date) > 4 else 1, parts[2] if len(date) > 7 else 1,
                        tzinfo=timezone.utc)

    def accessibility(self, book, has_pages: bool) -> None:
        def meta(prop: str, value: str, **extra):
            book.add_metadata(None, "meta", value, {"property": prop, **extra})

        meta("schema:accessMode", "textual")
        meta("schema:accessMode", "visual")  # the cover image, which has a text alternative
        meta("schema:accessModeSufficient", "textual")
        features = ["structuralNavigation", "tableOfContents", "readingOrder", "alternativeText", "index",
                    "annotations", "displayTransformability"]
        if has_pages:
            features += ["pageNavigation", "printPageNumbers", "pageBreakMarkers"]
        for feature in features:
            meta("schema:accessibilityFeature", feature)
        meta("schema:accessibilityHazard", "none")
        meta("schema:accessibilitySummary",
             "A critical edition in reflowable text with a navigable table of contents, headings in order, "
             "footnotes marked as such with links back to the text, indexes of names and works whose locators link "
             "to each occurrence, and the print edition's page numbers. The cover image has a text alternative. "
             "Foreign-language passages are marked with their language.")
        if has_pages:
            meta("pageBreakSource", self.print_identifier)
        # No dcterms:conformsTo: conformance is claimed only after an audit (Ace or a person), not yet made.

    def toc_links(self):
        links = []
        for chapter in self.chapters[1:]:
            links.append(epub.Link(chapter.name, chapter.title, chapter.name.removesuffix(".xhtml")))
        return links

    def navigation(self, markers) -> bytes:
        root = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS})
        root.set("lang", self.meta.language)
        root.set(XML_LANG, self.meta.language)
        head = add_child(root, "head")
        add_child(head, "meta", {"charset": "utf-8"})
        add_child(head, "title", text="Contents")
        add_child(head, "link", {"rel": "stylesheet", "type": "text/css", "href": "styles/epub.css"})
        body = add_child(root, "body")
        toc = add_child(body, "nav", {EPUB_TYPE: "toc", "id": "toc", "role": "doc-toc"})
        add_child(toc, "h1", text="Contents")
        listing = add_child(toc, "ol")
        part_list = None
        for chapter in self.chapters[1:]:
            holder = listing
            if chapter.name.startswith("part-"):
                item = add_child(listing, "li")
                add_child(item, "a", {"href": chapter.name}, chapter.title)
                part_list = add_child(item, "ol")
                continue
            if chapter.body.get(EPUB_TYPE) == "bodymatter" and part_list is not None:
                holder = part_list
            elif chapter.body.get(EPUB_TYPE) != "bodymatter":
                part_list = None
            item = add_child(holder, "li")
            add_child(item, "a", {"href": chapter.name}, chapter.title)
            sections = [s for s in chapter.body.iter(f"{{{XHTML}}}h2")
                        if s.getparent() is not None and s.getparent().get("id")
                        and "notes-head" not in (s.get("class") or "") and "letter" not in (s.get("class") or "")
                        and local_name(s.getparent()) == "section"]
            if sections and chapter.body.get(EPUB_TYPE) == "bodymatter":
                sub_list = add_child(item, "ol")
                for heading in sections:
                    text = " ".join("".join(heading.itertext()).split())
                    add_child(add_child(sub_list, "li"), "a", {"href": f"{chapter.name}#{heading.getparent().get('id')}"}, text)
        landmarks = add_child(body, "nav", {EPUB_TYPE: "landmarks", "id": "landmarks", "hidden": ""})
        add_child(landmarks, "h2", text="Landmarks")
        marks = add_child(landmarks, "ol")
        first_body = next((c for c in self.chapters if c.body.get(EPUB_TYPE) == "bodymatter"), None)
        for kind, label, target in (
            ("cover", "Cover", "cover.xhtml"),
            ("titlepage", "Title page", "title.xhtml"),
            ("toc", "Contents", "nav.xhtml#toc"),
            ("bodymatter", "Start of the texts", first_body.name if first_body else None),
            ("index", "Index of Names", "index-names.xhtml" if any(c.name == "index-names.xhtml" for c in self.chapters) else None),
        ):
            if target:
                add_child(add_child(marks, "li"), "a", {EPUB_TYPE: kind, "href": target}, label)
        if markers:
            pages = add_child(body, "nav", {EPUB_TYPE: "page-list", "id": "page-list", "hidden": ""})
            add_child(pages, "h2", text="Pages of the print edition")
            page_list = add_child(pages, "ol")
            for label, name, ident in markers:
                add_child(add_child(page_list, "li"), "a", {"href": f"{name}#{ident}"}, label)
        return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


def append(element, text: str | None) -> None:
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def place_marker(element, words: str, marker) -> None:
    """Insert a page-break marker before the words a printed page begins with, inside ``element``."""
    wanted = words.split()[:6]
    if not wanted:
        element.addprevious(marker) if element.getparent() is not None else element.insert(0, marker)
        return
    # text nodes in document order, skipping notes (they are not in the running text of the page)
    nodes = []

    def collect(node):
        cls = (node.get("class") or "").split() if isinstance(node.tag, str) else []
        if "note" in cls or "footnotes" in cls or local_name(node) == "aside":
            return
        if node.text:
            nodes.append((node, "text"))
        for child in node:
            collect(child)
            if child.tail:
                nodes.append((child, "tail"))

    collect(element)
    flat = ""
    spans = []
    for node, kind in nodes:
        value = getattr(node, kind) or ""
        spans.append((len(flat), node, kind))
        flat += value
    normal = re.sub(r"\s+", " ", flat)
    # map positions in the normalised text back to the original
    positions = []
    previous_space = False
    for index, char in enumerate(flat):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        positions.append(index)
    needle = " ".join(wanted)
    found = normal.find(needle)
    while found > 0 and not normal[found - 1].isspace() and normal.find(needle, found + 1) >= 0:
        found = normal.find(needle, found + 1)
    if found < 0:
        found = normal.find(wanted[0])
    if found <= 0:
        if element.getparent() is not None and local_name(element) in BLOCKS + ("section", "header", "article"):
            element.insert(0, marker)
            marker.tail, element.text = element.text, None
        else:
            element.insert(0, marker)
        return
    while found > 0 and not normal[found - 1].isspace():
        found -= 1  # the page began inside a hyphenated word: mark before the word
    offset = positions[found] if found < len(positions) else len(flat)
    for start, node, kind in reversed(spans):
        if start <= offset:
            value = getattr(node, kind) or ""
            cut = offset - start
            before, after = value[:cut], value[cut:]
            if kind == "text":
                node.text = before
                node.insert(0, marker)
                marker.tail = after
            else:
                node.tail = before
                node.addnext(marker)
                marker.tail = after
            return


def normalise_modified(data: bytes, modified: datetime) -> bytes:
    """ebooklib stamps dcterms:modified with the clock; the edition's date is used instead (reproducible)."""
    import zipfile

    stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".opf"):
                content = re.sub(rb'(<meta property="dcterms:modified">)[^<]*(</meta>)',
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=modified.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def make_cover(meta) -> bytes:
    """A plain typographic cover (title, author, editor) drawn with the book face."""
    from PIL import Image, ImageDraw, ImageFont

    from .pdf import font_files

    width, height = 1600, 2400
    image = Image.new("RGB", (width, height), (246, 241, 231))
    draw = ImageDraw.Draw(image)
    roman, italic = font_files()

    def font(path, size):
        return ImageFont.truetype(str(path), size)

    def centred(text, y, face, fill=(25, 25, 25), max_width=1300):
        lines, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=face) > max_width and line:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
        for text_line in lines:
            w = draw.textlength(text_line, font=face)
            draw.text(((width - w) / 2, y), text_line, font=face, fill=fill)
            y += int(face.size * 1.25)
        return y

    draw.rectangle([90, 90, width - 90, height - 90], outline=(120, 30, 30), width=6)
    y = 420
    for author in meta.authors:
        y = centred(author.upper(), y, font(roman, 70), fill=(120, 30, 30))
    y = centred(meta.title, y + 140, font(roman, 150))
    if meta.subtitle:
        y = centred(meta.subtitle, y + 70, font(italic, 66), max_width=1200)
    for editor in meta.editors:
        centred(f"Edited by {editor}", height - 520, font(roman, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
