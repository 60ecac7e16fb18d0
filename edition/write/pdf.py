"""The PDF writer: lay the body out once, then the back and front matter with its page numbers, then combine."""

from __future__ import annotations

import copy
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from lxml import etree, html
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from ..diagnostics import Diagnostic, Severity
from ..errors import EditionError
from ..index import Index, assign_pages
from ..model import Book, sub
from . import matter
from .weasyfix import keep_footnotes_with_calls

PROJECT = Path(__file__).resolve().parents[2]
STYLES = PROJECT / "styles"
PDF_VARIANT = "pdf/ua-1"
BACK_SECTIONS = ("textual-notes", "emendations", "index-names", "index-works")


def font_files() -> tuple[Path, Path]:
    import fontpkg_eb_garamond

    folder = Path(fontpkg_eb_garamond.__file__).resolve().parent / "files"
    return folder / "EBGaramond[wght].ttf", folder / "EBGaramond-Italic[wght].ttf"


def font_css() -> str:
    roman, italic = font_files()
    faces = []
    for path, style in ((roman, "normal"), (italic, "italic")):
        url = path.as_uri()
        for weight in ("normal", "bold"):
            faces.append(
                f'@font-face {{ font-family: "EB Garamond"; src: url("{url}"); font-style: {style}; '
                f"font-weight: {weight}; }}"
            )
    return "\n".join(faces)


class Sandbox(URLFetcher):
    """WeasyPrint may read data: URLs and files inside the allowed folders; nothing else, never the network."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = [r.resolve() for r in roots]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots):
                return super().fetch(url, headers)
            raise FatalURLFetchingError(f"refused to read {path}: it is outside the project and the edition")
        raise FatalURLFetchingError(f"refused to fetch {url}: the build never uses the network")


class WeasyLog(logging.Handler):
    """Collects WeasyPrint's warnings so the build reports them as diagnostics."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        if "HarfBuzz-Subset" in message:
            return  # an environment note (fonts are subset with fontTools instead), not a fault of the book
        self.messages.append(message)


@dataclass
class Layout:
    """Where things landed: page labels and, for each id, its first page."""

    labels: list[str]  # label of every physical page of the whole book
    page_of: dict[str, tuple[int, str]]  # id -> (physical page index in the body document, label)
    body_offset: int  # physical index of body page 1 in the whole book
    body_pages: int
    page_starts: list[dict] = field(default_factory=list)  # for the EPUB page-list
    call_ends: dict[str, str] = field(default_factory=dict)  # note call id -> page where its word ends
    locators: dict[str, tuple[int, str]] = field(default_factory=dict)  # index occurrence -> (order, label)

    def as_json(self) -> dict:
        return {"labels": self.labels, "body_offset": self.body_offset, "body_pages": self.body_pages,
                "page_starts": self.page_starts, "call_ends": self.call_ends,
                "locators": {k: list(v) for k, v in self.locators.items()},
                "anchors": {k: v[1] for k, v in self.page_of.items()}}


@dataclass
class PdfResult:
    path: Path
    layout: Layout
    diagnostics: list[Diagnostic]
    pages: int


class PdfWriter:
    def __init__(self, book: Book, indexes: tuple[Index, Index], edition_root: Path, progress=None):
        self.book = book
        self.indexes = indexes
        self.fonts = FontConfiguration()
        self.fetcher = Sandbox([PROJECT, edition_root, font_files()[0].parent])
        try:
            self.stylesheets = [
                CSS(string=font_css(), font_config=self.fonts, url_fetcher=self.fetcher),
                CSS(filename=str(STYLES / "print.css"), font_config=self.fonts, url_fetcher=self.fetcher),
            ]
        except FatalURLFetchingError as error:
            raise EditionError(f"{STYLES / 'print.css'}: {error}") from None
        self.progress = progress or (lambda stage: None)
        self.log = WeasyLog()
        self.diagnostics: list[Diagnostic] = []
        self.body_ids: set[str] = set()
        self.front_ids: set[str] = set()
        self.note_ids = {note.id for note in book.notes}
        keep_footnotes_with_calls()

    # --- rendering --------------------------------------------------------------------------

    def render(self, root: etree._Element):
        source = html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
        try:
            return HTML(string=source, base_url=PROJECT.as_uri() + "/", url_fetcher=self.fetcher).render(
                stylesheets=self.stylesheets, font_config=self.fonts, pdf_variant=PDF_VARIANT
            )
        except FatalURLFetchingError as error:
            raise EditionError(str(error)) from None
        except Exception as error:  # a fault inside WeasyPrint: say so in one line, keep the last good PDF
            raise EditionError(
                f"the PDF layout failed inside WeasyPrint ({type(error).__name__}: {error}); "
                "the last good PDF is untouched"
            ) from error

    def document(self, body_class: str, with_meta: bool = False) -> tuple[etree._Element, etree._Element]:
        meta = self.book.metadata
        root = html.Element("html", {"lang": meta.language})
        head = sub(root, "head", "")
        sub(head, "title", "").text = meta.title
        if with_meta:
            for name, value in (
                ("author", "; ".join(meta.authors)),
                ("editor", "; ".join(meta.editors)),
                ("description", meta.subtitle or meta.subject),
                ("keywords", "critical edition; TEI"),
                ("generator", "edition (TEI to PDF and EPUB)"),
                ("dcterms.created", meta.date),
                ("dcterms.modified", meta.date),
            ):
                if value:
                    sub(head, "meta", "").attrib.update({"name": name, "content": value})
        body = sub(root, "body", body_class)
        return root, body

    # --- the three documents ----------------------------------------------------------------

    def body_root(self) -> etree._Element:
        root, body = self.document("body-matter")
        for part in self.book.parts:
            if part.title:
                section = sub(body, "section", "part")
                section.set("id", part.id)
                if part.number:
                    sub(section, "p", "part-number").text = f"Part {part.number}"
                sub(section, "h1", "part-title").text = part.title
            for text in part.texts:
                body.append(self.text_article(text, part.title or self.book.metadata.short_title))
        self.body_ids = {e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
        return root

    def text_article(self, text, part_title: str) -> etree._Element:
        article = etree.Element("article", {"class": f"text {text.role}", "id": text.id, "lang": text.language})
        article.append(matter.text_opening(text, part_title))
        for child in copy.deepcopy(text.section):
            article.append(child)
        return article

    def resolve_links(self, root, own_ids: set[str], page_label=None) -> None:
        """Point each cross-reference at its target; add the target's page where it is known."""
        registers = {i for kind in self.book.registers.values() for i in kind}
        for link in root.iter("a"):
            target = link.get("data-target")
            if not target:
                continue
            if target in registers:
                link.set("href", f"#idx-{target}")
                continue
            if target in self.note_ids:
                target = f"call-{target}"  # a footnote is no link destination; its call is on the same page
            link.set("href", f"#{target}")
            cls = link.get("class", "")
            if "ptr" in cls and not (link.text or "").strip():
                link.text = "see"
            if target in own_ids:
                link.set("class", cls + " page-ref")
            elif page_label is not None and page_label(target):
                link.set("class", cls + " page-label")
                link.set("data-page", page_label(target))

    def back_root(self, start_page: int, label_of) -> etree._Element:
        root, body = self.document("back-matter")
        style = sub(root.find("head"), "style", "")
        style.text = f"@page :first {{ counter-reset: page {start_page}; }}"

        def href(anchor: str) -> str:
            return f"#{anchor}"

        matter.textual_entries(
            self.book, body, "variant", "Textual Notes", "textual-notes",
            "Variant readings between witnesses, keyed by page and lemma. The reading of the text printed stands "
            "before the bracket, with the sigla of its witnesses; the other witnesses' readings follow.",
            label_of, href,
        )
        matter.textual_entries(
            self.book, body, "emendation", "List of Emendations", "emendations",
            "Every correction of the copy-text, keyed by page: the reading printed stands before the bracket, "
            "the witness's reading and its siglum after it.",
            label_of, href,
        )
        for index in self.indexes:
            matter.index_section(index, body, href)
        return root

    def front_root(self, body_labels: dict[str, str], back_labels: dict[str, str]) -> etree._Element:
        root, body = self.document("front-matter", with_meta=True)
        matter.title_page(self.book, body)
        matter.copyright_page(self.book, body)
        contents = sub(body, "section", "contents")
        contents.set("id", "contents")
        sub(contents, "h1", "").text = "Contents"
        listing = sub(contents, "ol", "")

        def entry(cls: str, label: str, href: str, page: str | None, front: bool = False):
            item = sub(listing, "li", cls)
            link = sub(item, "a", "front-ref" if front else "")
            link.set("href", href)
            link.text = label
            if page is not None:
                link.set("data-page", page)
            return item

        for text in self.book.front:
            entry("toc-front", text.title, f"#{text.id}", None, front=True)
        if self.book.witnesses:
            entry("toc-front", "Witnesses and Sigla", "#witnesses", None, front=True)
        for part in self.book.parts:
            if part.title:
                entry("toc-part", f"Part {part.number}: {part.title}" if part.number else part.title,
                      f"#{part.id}", body_labels.get(part.id, ""))
            for text in part.texts:
                entry("toc-text", text.title, f"#{text.id}", body_labels.get(text.id, ""))
                if text.authors:
                    sub(listing, "li", "toc-author").text = ", ".join(text.authors)
        for ident, label in zip(BACK_SECTIONS, ("Textual Notes", "List of Emendations", "Index of Names",
                                                 "Index of Works"), strict=True):
            if ident in back_labels:
                entry("toc-back", label, f"#{ident}", back_labels[ident])
        for text in self.book.front:
            article = self.text_article(text, self.book.metadata.short_title)
            article.set("class", "front-text")
            body.append(article)
        if self.book.witnesses:
            matter.witness_list(self.book, body)
        self.front_ids = {e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
        return root

    def front_with_links(self, body_labels, back_labels):
        root = self.front_root(body_labels, back_labels)
        self.resolve_links(root, self.front_ids, lambda t: body_labels.get(t))
        return root

    def blank_page(self):
        root, body = self.document("blank")
        sub(body, "div", "").set("style", "page: plain")
        return self.render(root).pages[0]

    # --- the build --------------------------------------------------------------------------

    def write(self, out_path: Path) -> PdfResult:
        logger = logging.getLogger("weasyprint")
        logger.addHandler(self.log)
        try:
            return self._write(out_path)
        finally:
            logger.removeHandler(self.log)

    def _write(self, out_path: Path) -> PdfResult:
        self.progress("laying out the body")
        body_root = self.body_root()
        self.resolve_links(body_root, self.body_ids)
        body = self.render(body_root)
        self.relayouts = 0
        while True:
            page_of, ends = anchor_pages(body), anchor_pages(body, last=True)
            displaced = self.displaced_notes(page_of, ends)
            if not displaced or self.relayouts == 2 or not self.keep_with_notes(body_root, displaced):
                break
            self.relayouts += 1
            self.progress(f"laying out the body again: {len(displaced)} notes fell a page after their calls")
            body = self.render(body_root)
        body_labels = {ident: label for ident, (_, label) in page_of.items()}
        self.diagnostics += [self.displaced_diagnostic(note, call, printed) for note, call, printed in displaced]
        self.diagnostics += self.check_note_overflow(body)
        self.diagnostics += check_margins(body, "body")
        body_count = len(body.pages)
        needs_blank_after_body = body_count % 2 == 1
        back_start = body_count + 1 + (1 if needs_blank_after_body else 0)

        # The front matter's names are indexed too (roman locators), and its contents need the back
        # matter's pages: lay the front out with placeholders, the back with the front's pages, then the
        # front again with the real numbers (same widths at most, so its pages do not move; checked).
        self.progress("laying out the front matter")
        placeholder = {ident: "000" for ident in BACK_SECTIONS}
        front = self.render(self.front_with_links(body_labels, placeholder))
        front_pages = {ident: (index - len(front.pages), roman(index + 1))
                       for ident, (index, _) in anchor_pages(front).items()}
        locator_pages = {**front_pages, **page_of}
        missing = assign_pages(self.indexes, locator_pages)
        for anchor in missing:
            self.diagnostics.append(Diagnostic("(layout)", 0, 0, Severity.ERROR, "index-unplaced",
                                               f"index occurrence #{anchor} was not found in the layout"))

        self.progress("laying out the back matter")
        back_root = self.back_root(back_start, lambda a: body_labels.get(a) or front_pages.get(a, (0, "?"))[1])
        back = self.render(back_root)
        back_labels = {ident: str(back_start + index) for ident, (index, _) in anchor_pages(back).items()}
        self.diagnostics += check_margins(back, "back matter")

        front = self.render(self.front_with_links(body_labels, back_labels))
        final = anchor_pages(front)
        moved = [i for i, (index, _) in front_pages.items() if final.get(i, (None,))[0] != index + len(front.pages)]
        front_labels = {ident: (index, roman(index + 1)) for ident, (index, _) in final.items()}
        self.diagnostics += [self.displaced_diagnostic(note, call, printed) for note, call, printed
                             in self.displaced_notes(front_labels, anchor_pages(front, last=True))]
        if moved:
            self.diagnostics.append(Diagnostic("(layout)", 0, 0, Severity.ERROR, "front-moved",
                                               f"the front matter moved when its page numbers were filled in "
                                               f"({len(moved)} places, e.g. #{moved[0]})"))
        self.diagnostics += check_margins(front, "front matter")
        pages = list(front.pages)
        blank = None
        if len(pages) % 2 == 1:
            blank = self.blank_page()
            pages.append(blank)
        front_count = len(pages)
        pages += body.pages
        if needs_blank_after_body:
            pages.append(blank or self.blank_page())
        pages += back.pages
        combined = front.copy(pages)
        labels = [roman(i + 1) for i in range(front_count)] + [str(i + 1) for i in range(len(pages) - front_count)]

        self.progress("writing the PDF")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".partial", dir=out_path.parent)
        os.close(handle)
        try:
            combined.write_pdf(temporary, finisher=page_label_finisher(front_count), pdf_variant=PDF_VARIANT,
                               custom_metadata=True)
            os.chmod(temporary, 0o644)
            os.replace(temporary, out_path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        for message in self.log.messages:
            self.diagnostics.append(Diagnostic("(pdf)", 0, 0, Severity.WARNING, "weasyprint", message))
        call_ends = {n.call_id: ends[n.call_id][1] for n in self.book.notes if n.call_id in ends}
        occurrences = {o.anchor_id for o in self.book.occurrences}
        layout = Layout(labels, page_of, front_count, body_count, page_starts(body), call_ends,
                        {k: v for k, v in locator_pages.items() if k in occurrences})
        return PdfResult(out_path, layout, self.diagnostics, len(pages))

    def displaced_notes(self, page_of, last_page_of):
        """Notes printed on another page than their call (the call counts where its word ends)."""
        displaced = []
        for note in self.book.notes:
            call = last_page_of.get(note.call_id)
            printed = page_of.get(note.id)
            if call is not None and printed is not None and call[0] != printed[0]:
                displaced.append((note, call, printed))
        return displaced

    def keep_with_notes(self, root, displaced) -> bool:
        """Start each paragraph whose call lost its note on a new page; WeasyPrint moves a note rather than
        break a paragraph's first lines (orphans). Returns whether anything changed."""
        by_id = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
        changed = False
        for note, _, _ in displaced:
            call = by_id.get(note.call_id)
            block = call
            while block is not None and block.tag not in ("p", "li", "blockquote", "h2", "h3", "h4", "dd"):
                block = block.getparent()
            if block is None or "break-before" in (block.get("style") or ""):
                continue
            if any("note" in (a.get("class") or "").split() for a in block.iterancestors()):
                continue
            block.set("style", "break-before: page")
            changed = True
        return changed

    @staticmethod
    def displaced_diagnostic(note, call, printed) -> Diagnostic:
        return Diagnostic(
            "(layout)", 0, 0, Severity.WARNING, "note-displaced",
            f"note {note.label} ({note.id}, text {note.text_id}) is printed on p. {printed[1]} "
            f"but its call is on p. {call[1]}",
        )

    def check_note_overflow(self, document) -> list[Diagnostic]:
        """A note whose box runs below the page: printed over the margin or cut off."""
        found = []
        for number, page in enumerate(document.pages):
            for ident, rect in page.anchors.items():
                if ident in self.note_ids and rect[3] > page.height + 0.5:
                    found.append(Diagnostic("(layout)", 0, 0, Severity.WARNING, "note-overflow",
                                            f"note #{ident} runs off the foot of p. {number + 1}"))
        return found


def anchor_pages(document, last: bool = False) -> dict[str, tuple[int, str]]:
    """Each id's first page (or last, for an element split over a page break), as physical index and label."""
    found: dict[str, tuple[int, str]] = {}
    for index, page in enumerate(document.pages):
        for ident in page.anchors:
            if last:
                found[ident] = (index, str(index + 1))
            else:
                found.setdefault(ident, (index, str(index + 1)))
    return found


def roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out


def page_label_finisher(front_count: int):
    def finish(document, pdf):
        ranges = [0, pydyf.Dictionary({"S": "/r"})]
        if front_count:
            ranges += [front_count, pydyf.Dictionary({"S": "/D", "St": 1})]
        else:
            ranges = [0, pydyf.Dictionary({"S": "/D", "St": 1})]
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(ranges)})
    return finish


# --- layout inspection ----------------------------------------------------------------------


def _walk(box, in_footnote=False):
    yield box, in_footnote
    for child in getattr(box, "children", ()):
        name = type(child).__name__
        yield from _walk(child, in_footnote or name == "FootnoteAreaBox")


def check_margins(document, what: str) -> list[Diagnostic]:
    """Lines that run past the text block into the margin."""
    found = []
    for number, page in enumerate(document.pages):
        page_box = page._page_box
        content_right = page_box.content_box_x() + page_box.width
        for box, _ in _walk(page_box):
            if type(box).__name__ == "LineBox":
                used = max((c.position_x + c.margin_width() for c in box.children), default=box.position_x)
                if used > content_right + 1.5:
                    text = "".join(getattr(t, "text", "") for t, _ in _walk(box))[:60]
                    found.append(Diagnostic("(layout)", 0, 0, Severity.WARNING, "line-overflow",
                                            f"a line on page {number + 1} of the {what} runs "
                                            f"{used - content_right:.1f}px into the margin: “{text}”"))
                    break
    return found


def page_starts(document) -> list[dict]:
    """For each body page: the innermost element with an id holding its first line, and that line's words."""
    starts = []
    for number, page in enumerate(document.pages):
        found = _first_line(page._page_box)
        starts.append({"page": str(number + 1), **(found or {})})
    return starts


def _first_line(page_box):
    from weasyprint.formatting_structure.boxes import BlockBox

    stack = [(page_box, None)]
    while stack:
        box, ident = stack.pop(0)
        name = type(box).__name__
        if name in ("FootnoteAreaBox", "MarginBox"):
            continue
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "element_tag", "") not in ("html", "body"):
            element_id = element.get("id") if hasattr(element, "get") else None
            if element_id and isinstance(box, BlockBox):
                ident = element_id  # the block holding the line: its words are searched for the line
        if name == "LineBox":
            text = " ".join("".join(getattr(t, "text", "") for t, footnote in _walk(box) if not footnote).split())
            if text:
                return {"anchor": ident, "words": text[:80]}
            continue
        stack = [(child, ident) for child in getattr(box, "children", ())] + stack
    return None


def write_layout(layout: Layout, path: Path) -> None:
    path.write_text(json.dumps(layout.as_json(), ensure_ascii=False, indent=1), encoding="utf-8")
