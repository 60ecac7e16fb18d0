"""The PDF writer: lay the body out a text at a time (write.units), then the front and back matter with its page
numbers, then draw each piece of the book apart and combine them (write.merge)."""

from __future__ import annotations

import copy
import io
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree, html

from ..config import EditionSettings, trim_size
from ..diagnostics import Diagnostic, Severity
from ..index import Index, assign_pages
from ..model import Book, Note, Text
from ..model.html import add_element, has_class
from ..stages import Progress, Stage
from ..words import words_for
from . import matter, overlay
from .apparatus import HEADING_KEY, placement
from .assets import PACKAGE, STYLES, book_css, faces_of, font_css, font_folders, has_even_figures, points
from .layout import Layout
from .links import LinkTargets
from .merge import Drawn, combine, programs_of
from .numbering import lemma_lines, number_lines
from .units import (
    PLACEHOLDER_DIGIT,
    LayoutCache,
    Unit,
    UnitLayout,
    code_digest,
    file_digest,
    in_book,
    lay_out,
    page_mark,
    processes_available,
    unit_starts,
)
from .weasy import Rendered, Renderer, read_extra
from .weasy import outline as weasy_outline

# Blocks that can start a new page when a note would otherwise fall a page after its call.
_KEEPABLE = ("p", "li", "blockquote", "h2", "h3", "h4", "dd")
# How many times the body's units may be laid out before cross-references that still print a page with the wrong
# number of digits are reported instead.
MAX_PASSES = 3


@dataclass
class PdfResult:
    path: Path
    layout: Layout
    indexes: tuple[Index, ...]  # the indexes with the PDF's page numbers
    diagnostics: list[Diagnostic]
    pages: int
    relayouts: int  # layouts again of a unit whose notes fell a page after their calls
    passes: int = 1  # rounds of unit layouts until every cross-reference's page had its digits
    laid_out: tuple[str, ...] = ()  # the units laid out (the others came from the cache), by their first text
    drawn: int = 0  # the pieces of the book drawn (the others came from the cache)
    combined: bool = False  # whether the pieces were combined again (not when the file is the one they made)
    flipped: int = 0  # parts of the back matter put on the other side of the leaf as laid out, not laid out again


class PdfWriter:
    def __init__(self, book: Book, indexes: tuple[Index, ...], edition_root: Path, progress: Progress | None = None,
                 settings: EditionSettings | None = None, processes: int | None = None,
                 faces_folder: Path | None = None):
        """``faces_folder`` keeps the static instances of variable faces from one build to the next (a temporary
        folder unless given)."""
        self.book = book
        self.indexes = indexes
        self.edition = settings or EditionSettings()
        self.settings = self.edition.apparatus
        self.words = words_for(self.edition.language.matter)
        self.placement = placement(book, self.settings)
        self.edition_root = edition_root
        if faces_folder is None:
            self.faces_scratch = tempfile.TemporaryDirectory(prefix="edition-faces-")
            faces_folder = Path(self.faces_scratch.name)
        self.faces_folder = faces_folder.resolve()  # named in the styles by an absolute URI
        # the rules as they name the edition's own font files: what the layouts depend on, wherever the static
        # instances are kept (they are made from those files by this code)
        self.font_rules = font_css(self.edition.book, edition_root)
        self.stylesheets = [("string", font_css(self.edition.book, edition_root, instances=self.faces_folder)),
                            ("filename", str(STYLES / "print.css")),
                            ("string", book_css(self.edition.book, edition_root))]
        self.renderer = self.new_renderer()
        self.processes = processes or processes_available()
        self.links = LinkTargets(book)
        self.at_foot: set[str] = set()  # the entries printed at the foot of their lemma's page
        self.progress = progress or Progress(quiet=True)
        self.diagnostics: list[Diagnostic] = []
        self.drawn, self.combined, self.flipped = 0, False, 0
        # told the layout and the paged indexes once every page is known, before the book is drawn (the build
        # writes the EPUB meanwhile)
        self.when_laid_out: Callable[[Layout, tuple[Index, ...]], None] | None = None

    def new_renderer(self) -> Renderer:
        return Renderer(self.stylesheets,
                        roots=[PACKAGE, self.edition_root, self.faces_folder,
                               *font_folders(self.edition.book, self.edition_root)],
                        base=PACKAGE, footnote_series=self.settings.series)

    def fresh_renderer(self) -> None:
        """In a worker process: a renderer of its own (nothing of WeasyPrint's state is shared with the parent),
        keeping WeasyPrint's warnings in its own log."""
        self.renderer.__exit__(None, None, None)
        self.renderer = self.new_renderer().__enter__()

    def laid_out_here(self, why: str) -> None:
        self.diagnostics.append(Diagnostic("(layout)", 0, 0, Severity.WARNING, "layout-serial",
                                           f"parallel layout gave up: {why}; the book is the same, only slower"))

    def cache_salt(self) -> str:
        """What every layout of this build depends on besides its own HTML: code, styles, faces, settings."""
        fonts = [face.path for faces in faces_of(self.edition.book, self.edition_root) for face in faces]
        instanced = "static instances" if self.font_rules != self.stylesheets[0][1] else "variable faces"
        return "\n".join([code_digest(), file_digest(fonts), self.font_rules, instanced,
                          *(value for _, value in self.stylesheets[1:]), repr(self.edition.apparatus),
                          self.placement, self.book.metadata.language])

    # --- the three documents ----------------------------------------------------------------

    def document(self, body_class: str, with_meta: bool = False) -> tuple[etree._Element, etree._Element]:
        meta = self.book.metadata
        root = html.Element("html", {"lang": meta.language})
        head = add_element(root, "head")
        add_element(head, "title").text = meta.title
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
                    add_element(head, "meta").attrib.update({"name": name, "content": value})
        return root, add_element(root, "body", body_class)

    def body_units(self) -> list[Unit]:
        """The body as units of layout: each text, the first of a part with the part's title page."""
        units: list[Unit] = []
        for part in self.book.parts:
            if part.title and not part.texts:
                units.append(Unit(len(units), part.id, part, ()))
            for number, text in enumerate(part.texts):
                units.append(Unit(len(units), text.id, part if part.title and number == 0 else None, (text,)))
        return units

    def unit_root(self, unit: Unit) -> etree._Element:
        """A unit as a document of its own, its apparatus at the foot placed, its links not yet resolved."""
        root, body = self.document("body-matter")
        if unit.part is not None:
            section = add_element(body, "section", "part")
            section.set("id", unit.part.id)
            if unit.part.number:
                add_element(section, "p", "part-number").text = f"{self.words.part} {unit.part.number}"
            add_element(section, "h1", "part-title").text = unit.part.title
        for text in unit.texts:
            body.append(self.text_article(text, self.running_title(text)))
        if self.placement == "foot":
            self.at_foot |= overlay.insert_entries(root, self.book, self.settings)
        return root

    def running_title(self, text: Text) -> str:
        part = next((p for p in self.book.parts if text in p.texts), None)
        return (part.title if part is not None else "") or self.book.metadata.short_title

    def body_root(self) -> etree._Element:
        """The whole body as one document (for tools that want it whole; the book lays it out by units)."""
        root, body = self.document("body-matter")
        for unit in self.body_units():
            body.extend(self.unit_root(unit).find("body"))
        self.resolve_links(root, ids_of(root))
        return root

    def text_article(self, text: Text, part_title: str) -> etree._Element:
        article = etree.Element("article", {"class": f"text {text.role}", "id": text.id, "lang": text.language})
        if text.verse:
            article.set("data-verse", "true")
        article.append(matter.text_opening(text, part_title))
        for child in copy.deepcopy(text.section):
            article.append(child)
        return article

    def resolve_links(self, root, own_ids: set[str], page_label=None) -> None:
        """Point each cross-reference at its target and print the target's page: ``page_label`` gives the page of
        a target outside this document (None where it prints none); a link to a place in the same document prints
        its page with CSS's target-counter."""
        for number, link in enumerate(root.iter("a")):
            target = link.get("data-target")
            if not target:
                continue
            if self.links.is_register(target):
                link.set("href", f"#{self.links.destination(target, notes_are_places=False)}")
                continue
            target = self.links.destination(target, notes_are_places=False)
            link.set("href", f"#{target}")
            cls = link.get("class", "")
            if "ptr" in cls and not (link.text or "").strip():
                link.text = self.words.see
            label = page_label(target) if page_label is not None else None
            if label:
                link.set("class", cls + " page-label")
                link.set("data-page", label)
                link.set("data-xref", str(number))
            elif target in own_ids:
                link.set("class", cls + " page-ref")
                link.set("data-xref", str(number))

    def back_root(self, label_of, indexes: tuple[Index, ...]) -> etree._Element:
        root, body = self.document("back-matter")

        def href(anchor: str) -> str:
            return f"#{anchor}"

        at_back = [e for e in self.book.textual if e.anchor_id not in self.at_foot]
        words = self.words
        matter.textual_entries(self.book, at_back, body, "variant", words.textual_notes, "textual-notes",
                               words.textual_notes_note, label_of, href, self.settings)
        matter.textual_entries(self.book, at_back, body, "emendation", words.emendations, "emendations",
                               words.emendations_note, label_of, href, self.settings)
        for index in indexes:
            if index.entries:
                matter.index_section(index, body, href, words=words)
        return root

    def back_sections(self) -> list[tuple[str, str]]:
        """(id, title) of what the back matter prints, in order."""
        at_back = {e.kind for e in self.book.textual if e.anchor_id not in self.at_foot}
        sections = [(ident, title) for kind, ident, title in (
            ("variant", "textual-notes", self.words.textual_notes),
            ("emendation", "emendations", self.words.emendations)) if kind in at_back]
        return sections + [(index.id, index.title) for index in self.indexes if index.entries]

    def front_root(self, body_labels: dict[str, str], back_labels: dict[str, str]) -> etree._Element:
        root, body = self.document("front-matter", with_meta=True)
        matter.half_title(self.book, body)
        matter.title_page(self.book, body, words=self.words)
        matter.copyright_page(self.book, body, words=self.words)
        contents = add_element(body, "section", "contents")
        contents.set("id", "contents")
        add_element(contents, "h1").text = self.words.contents
        listing = add_element(contents, "ol")

        def entry(cls: str, label: str, href: str, page: str | None, front: bool = False):
            item = add_element(listing, "li", cls)
            link = add_element(item, "a", "front-ref" if front else "")
            link.set("href", href)
            link.text = label
            if page is not None:
                link.set("data-page", page)
            return item

        for text in self.book.front:
            entry("toc-front", text.title, f"#{text.id}", None, front=True)
        if self.book.witnesses:
            entry("toc-front", self.words.witnesses, "#witnesses", None, front=True)
        for part in self.book.parts:
            if part.title:
                entry("toc-part", f"{self.words.part} {part.number}: {part.title}" if part.number else part.title,
                      f"#{part.id}", body_labels.get(part.id, ""))
            for text in part.texts:
                entry("toc-text", text.title, f"#{text.id}", body_labels.get(text.id, ""))
                if text.authors:
                    add_element(listing, "li", "toc-author").text = ", ".join(text.authors)
        for ident, label in self.back_sections():
            if ident in back_labels:
                entry("toc-back", label, f"#{ident}", back_labels[ident])
        for text in self.book.front:
            article = self.text_article(text, self.book.metadata.short_title)
            article.set("class", "front-text")
            body.append(article)
        if self.book.witnesses:
            matter.witness_list(self.book, body, words=self.words)
        self.resolve_links(root, ids_of(root), lambda t: body_labels.get(t))
        return root

    def blank_page(self) -> Rendered:
        root, body = self.document("blank")
        add_element(body, "div").set("style", "page: plain")
        return self.render(root)

    # --- the build --------------------------------------------------------------------------

    def write(self, out_path: Path, cache_dir: Path | None = None, previous: Layout | None = None) -> PdfResult:
        """Write the PDF; ``cache_dir`` keeps the layouts of this build for the next, and ``previous`` (the last
        build's layout) gives the pages cross-references will print, so that most units are laid out once."""
        with tempfile.TemporaryDirectory(prefix="edition-layout-") as scratch:
            # without a cache folder the layouts are kept for this build only: the drawing processes read them
            self.cache = LayoutCache(cache_dir or Path(scratch), self.cache_salt())
            self.kept: dict[str, bytes] = {}  # layouts the cache could not keep, by key
            with self.renderer:
                result = self._write(out_path, previous)
            self.cache.prune()
        return result

    def _write(self, out_path: Path, previous: Layout | None) -> PdfResult:
        body = self.lay_out_body(previous)
        starts, units = body.starts, body.units
        units = dict(sorted(units.items()))
        page_of = {ident: (starts[i] + index, str(starts[i] + index + 1))
                   for i, found in units.items() for ident, index in found.anchors.items()}
        ends = {ident: (starts[i] + index, str(starts[i] + index + 1))
                for i, found in units.items() for ident, index in found.last.items()}
        keys: dict[str, str] = {}
        for i, found in units.items():
            keys.update({anchor: in_book(key, starts[i] + 1) for anchor, key in found.keys.items()})
            self.diagnostics += [replace(d, message=in_book(d.message, starts[i] + 1)) for d in found.diagnostics]
        self.diagnostics += [Diagnostic("(layout)", 0, 0, Severity.WARNING, "xref-page",
                                        f"a cross-reference to #{target} prints “{printed}”, but its target is on "
                                        f"p. {label}") for target, printed, label in body.wrong]
        body_labels = {ident: label for ident, (_, label) in page_of.items()}
        body_sequence: list[_Piece] = []
        blank = None
        for i in sorted(units):
            found = units[i]
            replacements = {key: (found.xrefs[key][1], printed) for key, printed in body.printed[i].items()}
            body_sequence.append(_Piece(
                self.cache.key("unit drawn", body.keys[i], str(starts[i] + 1), repr(sorted(replacements.items()))),
                found.pages, found.starts, found.bookmarks, unit=(body.keys[i], starts[i] + 1, replacements, 0, False)))
            if found.pages % 2 == 1 and i != max(units):
                blank = blank or self.matter_piece(self.blank_page())
                body_sequence.append(blank)
        body_count = sum(piece.pages for piece in body_sequence)
        needs_blank_after_body = body_count % 2 == 1
        back_start = body_count + 1 + (1 if needs_blank_after_body else 0)

        # The front matter's names are indexed too (roman locators), and its contents need the back
        # matter's pages: lay the front out with placeholders, the back with the front's pages, then the
        # front again with the real numbers (same widths at most, so its pages do not move; checked).
        self.progress(Stage.FRONT)
        placeholder = {ident: "000" for ident, _ in self.back_sections()}
        front = self.render(self.front_root(body_labels, placeholder))
        front_pages = {ident: (index - len(front), roman(index + 1))
                       for ident, (index, _) in front.anchor_pages().items()}
        locator_pages = {**front_pages, **page_of}
        indexes, missing = assign_pages(self.indexes, locator_pages)
        for anchor in missing:
            self.diagnostics.append(Diagnostic("(layout)", 0, 0, Severity.ERROR, "index-unplaced",
                                               f"index occurrence #{anchor} was not found in the layout"))

        back, back_labels = self.lay_out_back(back_start, self.back_root(
            lambda a: keys.get(a) or front_pages.get(a, (0, "?"))[1], indexes))

        front = self.render(self.front_root(body_labels, back_labels))
        final = front.anchor_pages()
        moved = [i for i, (index, _) in front_pages.items() if final.get(i, (None,))[0] != index + len(front)]
        front_labels = {ident: (index, roman(index + 1)) for ident, (index, _) in final.items()}
        self.diagnostics += [displaced_diagnostic(note, call, printed) for note, call, printed
                             in self.displaced_notes(front_labels, front.anchor_pages(last=True))]
        if moved:
            self.diagnostics.append(Diagnostic("(layout)", 0, 0, Severity.ERROR, "front-moved",
                                               f"the front matter moved when its page numbers were filled in "
                                               f"({len(moved)} places, e.g. #{moved[0]})"))
        self.diagnostics += margin_diagnostics(front, "front matter")

        sequence = [self.matter_piece(front)]
        if len(front) % 2 == 1:
            blank = blank or self.matter_piece(self.blank_page())
            sequence.append(blank)
        front_count = sum(piece.pages for piece in sequence)
        sequence += body_sequence
        if needs_blank_after_body:
            sequence.append(blank or self.matter_piece(self.blank_page()))
        sequence += back
        total = sum(piece.pages for piece in sequence)
        labels = [roman(i + 1) for i in range(front_count)] + [str(i + 1) for i in range(total - front_count)]

        occurrences = {o.anchor_id for o in self.book.occurrences}
        # every page's first words under its printed label, for the EPUB's page-list: front and back matter too
        starts = [start for piece in sequence for start in piece.starts]
        page_starts = [{**start, "page": label} for start, label in zip(starts, labels, strict=True)]
        layout = Layout(
            labels, front_count, body_count, page_starts,
            {n.call_id: ends[n.call_id][1] for n in self.book.notes if n.call_id in ends},
            {k: v for k, v in locator_pages.items() if k in occurrences},
            {k: v[1] for k, v in page_of.items()},
            keys,
        )
        if self.when_laid_out is not None:  # the book's pages are known: what needs only them may begin
            self.renderer.settle()
            self.when_laid_out(layout, indexes)

        self.progress(Stage.WRITE_PDF)
        messages = self.draw_book(sequence, out_path, front_count)
        for message in self.renderer.log.messages + messages:
            self.diagnostics.append(Diagnostic("(pdf)", 0, 0, Severity.WARNING, "weasyprint", message))
        return PdfResult(out_path, layout, indexes, self.diagnostics, total,
                         sum(found.relayouts for found in units.values()), body.passes, body.laid_out, self.drawn,
                         self.combined, self.flipped)

    def render(self, root: etree._Element) -> Rendered:
        """A document of the front or back matter, from the cache where the same document was laid out before."""
        source = html.tostring(root, encoding="unicode")
        key = self.cache.key("matter", source)
        data = self.cache.get(key)
        if data is not None:
            try:
                rendered = self.renderer.loads(data)[0]
            except Exception:  # a cache file from elsewhere or damaged: lay the document out again
                rendered = None
            if rendered is not None:
                rendered.key = key
                return rendered
        rendered = self.renderer.render(root)
        self.cache.put(key, self.renderer.dumps(rendered))
        rendered.key = key
        return rendered

    def lay_out_back(self, first: int, root: etree._Element) -> tuple[list[_Piece], dict[str, str]]:
        """Lay the back matter out, beginning on page ``first`` of the book (a recto), as documents of its own
        (those the cache does not have on several processes): each section beginning on a recto, a long one
        cut at its groups into parts each going on from the next page. A part that falls on the other side of
        the leaf than it was laid out for is put there as it is where its pages can be (``Rendered.flip``), else
        laid out again for that side. Returns the pieces to draw, and the page of each place."""
        chunks = [(chunk, number == 0) for section in root.find("body") for number, chunk in
                  enumerate(cut_section(section))]
        self.progress(Stage.BACK, f"{len(chunks)} parts")
        verso: set[int] = set()  # the parts laid out to begin on a verso
        for _ in range(MAX_PASSES):
            sources = {}
            for index, (chunk, opens) in enumerate(chunks):
                source = back_source(self.document("back-matter"), chunk, index in verso, flippable=not opens)
                sources[index] = (self.cache.key("back", source), source)
            results, _ = self.made(sources, self.lay_out_matter)
            starts = back_starts([results[i].pages for i in range(len(chunks))], [o for _, o in chunks], first)
            # a part on the other side than it was laid out for is put there as it is where its pages can be
            # (Rendered.flip), else laid out again for that side
            other = {i for i, (_, opens) in enumerate(chunks) if not opens and (starts[i] % 2 == 0) != (i in verso)}
            wrong = {i for i in other if results[i].shifts is None}
            if not wrong:
                break
            verso ^= wrong
        else:
            self.diagnostics.append(Diagnostic("(layout)", 0, 0, Severity.WARNING, "back-side",
                                               f"{len(wrong)} parts of the back matter are printed on the other "
                                               "side of the leaf than they were laid out for"))
        self.flipped = len(other) - len(wrong)
        pieces, labels, page = [], {}, first
        for index, found in sorted(results.items()):
            key = sources[index][0]
            if starts[index] > page:
                pieces.append(self.matter_piece(self.blank_page()))
            start = starts[index]
            page = start + found.pages
            labels.update({ident: str(start + at) for ident, at in found.anchors.items()})
            self.diagnostics += [replace(d, message=in_book(d.message, start - found.first_page))
                                 for d in found.diagnostics]
            flip = index in other and found.shifts is not None
            bookmarks = found.bookmarks if not flip else [
                (height, [(level, label, (x + shift, y), state) for level, label, (x, y), state in marks])
                for (height, marks), shift in zip(found.bookmarks, found.shifts, strict=True)]
            pieces.append(_Piece(self.cache.key("back drawn", key, str(start), str(flip)), found.pages, found.starts,
                                 bookmarks, unit=(key, start, {}, found.first_page, flip)))
        return pieces, labels

    def lay_out_matter(self, source: str) -> bytes:
        """Lay a part of the back matter out (in this process or a worker); returns its pages and what was read
        off them, without the page a part begun on a verso is laid out after."""
        root = html.document_fromstring(source)
        skip = int(root.find("body").get("data-skip", "0"))
        mark = len(self.renderer.log.messages)
        rendered = self.renderer.render(root, other_sides=root.find("body").get("data-flip") == "1")
        rendered.label = page_mark
        diagnostics = margin_diagnostics(rendered, "back matter") + [
            Diagnostic("(pdf)", 0, 0, Severity.WARNING, "weasyprint", message)
            for message in self.renderer.warnings_since(mark)]
        return self.renderer.dumps(rendered, laid_out_facts(rendered, {}, {}, diagnostics, 0, skip))

    def made(self, sources: dict[int, tuple[str, str]], job: Callable[[str], bytes], reader=None, fresh=None,
             size: Callable[[tuple[int, str]], int] = lambda job: len(job[1]),
             announce: Callable[[int], None] = lambda count: None) -> tuple[dict[int, object], list[int]]:
        """What ``job`` makes of each (key, source), read by ``reader`` (a layout's facts unless told): from the
        cache, else made on several processes (set up by ``fresh``, a renderer of their own unless told) where
        more than one is to be, ``announce`` told how many, and kept. Returns them, and the indexes of those
        made."""
        reader = reader or read_layout_facts
        found, jobs = {}, []
        for index, (key, source) in sources.items():
            cached = self.cache.read(key, reader)
            if cached is not None:
                found[index] = cached
            else:
                jobs.append((index, source))
        announce(len(jobs))
        if len(jobs) > 1 and self.processes > 1:
            self.renderer.settle()  # nothing of the font machinery half set up when the workers fork
        for index, data in lay_out(jobs, job, fresh or self.fresh_renderer, self.processes,
                                   fallback=self.laid_out_here, size=size):
            key = sources[index][0]
            if not self.cache.put(key, data):
                self.kept[key] = data
            found[index] = reader(io.BytesIO(data))
        return found, [index for index, _ in jobs]

    def matter_piece(self, rendered: Rendered) -> _Piece:
        """The front matter, the back matter or a blank page (laid out here) as a piece of the book to draw."""
        pages = list(range(len(rendered)))
        return _Piece(self.cache.key("matter drawn", rendered.key), len(rendered),
                      rendered.page_starts(), rendered.bookmarks(pages), rendered=rendered)

    def draw_book(self, sequence: list[_Piece], out_path: Path, front_count: int) -> list[str]:
        """Draw each piece of the book as a PDF of its own (those the cache does not have, on several processes)
        and combine them at ``out_path``. Returns WeasyPrint's warnings while they were drawn."""
        pieces = {piece.key: piece for piece in sequence}  # a blank page is one piece, however often printed
        keys = list(pieces)
        found, new = self.made({number: (key, key) for number, key in enumerate(keys)},
                               lambda key: self.draw_piece(pieces[key]), load_drawn, fresh=lambda: None,
                               size=lambda job: pieces[job[1]].pages)
        drawn = {keys[number]: value for number, value in found.items()}
        self.drawn = len(new)
        messages = [message for key in dict.fromkeys(piece.key for piece in sequence) for message in drawn[key][2]]
        for piece in sequence:
            for key in drawn[piece.key][3]:
                old, new = piece.unit[2][key]
                self.diagnostics.append(Diagnostic("(layout)", 0, 0, Severity.WARNING, "xref-page",
                                                   f"a cross-reference prints “{old}” where p. {new} did not fit"))
        outline = weasy_outline([mark for piece in sequence for mark in piece.bookmarks])
        # the book as combined last time, if the file at out_path is still the one written then
        book_key = self.cache.key("book", str(out_path.resolve()), *(piece.key for piece in sequence),
                                  str(front_count), repr(outline))
        written = self.cache.read(book_key, pickle.load)
        if written is not None and written[0] == file_stamp(out_path):
            unplaced = written[1]
        else:
            unplaced = combine([Drawn(drawn[piece.key][0], frozenset(drawn[piece.key][1]), drawn[piece.key][4])
                                for piece in sequence],
                               out_path, front_count, outline, self.cache)
            self.combined = True
            self.cache.put(book_key, pickle.dumps((file_stamp(out_path), unplaced)))
        return messages + [f"No anchor #{name} for internal URI reference" for name in unplaced]

    def draw_piece(self, piece: _Piece) -> bytes:
        """In a drawing process: a piece of the book drawn as a PDF, with the places it holds, WeasyPrint's
        warnings, the cross-references whose pages could not be put in, and its faces' programs (as bytes, for the
        cache)."""
        rendered, failed, skip = piece.rendered, set(), 0
        if rendered is None:
            layout, first, replacements, skip, flip = piece.unit
            data = self.kept.get(layout) or self.cache.get(layout)
            rendered = self.renderer.loads(data)[0]
            if flip:
                rendered.flip()
            rendered.renumber(first - skip)
            failed = rendered.replace_generated("data-xref", replacements)
        data, places, messages = self.renderer.draw(rendered, list(range(skip, skip + piece.pages)))
        return pickle.dumps((data, places, messages, sorted(failed), programs_of(data)),
                            protocol=pickle.HIGHEST_PROTOCOL)

    # --- the body, a unit at a time -------------------------------------------------------------

    def lay_out_body(self, previous: Layout | None) -> _Body:
        """Lay every unit out (those the cache does not have, on several processes), and again those whose
        cross-references print a page with another number of digits than they were laid out with, until none
        does or ``MAX_PASSES`` rounds are done. Returns the units' layouts and where each begins in the body."""
        units = self.body_units()
        roots = {unit.index: self.unit_root(unit) for unit in units}
        body_ids = set().union(*(ids_of(root) for root in roots.values())) if roots else set()
        known = {ident: label for ident, label in (previous.anchors if previous else {}).items() if ident in body_ids}
        known = {**self.estimated_labels(roots, body_ids), **known}
        # a target's page is laid out as a placeholder of as many figures where the face has figures of one width
        # (the page is put in after), else as the page itself (a unit whose targets move is laid out again)
        even = has_even_figures(self.edition.book, self.edition_root)
        results: dict[int, UnitLayout] = {}
        printed: dict[int, dict[str, str]] = {}
        laid_out: list[str] = []
        body = _Body({}, {}, 0, ())
        todo = units
        while todo and body.passes < MAX_PASSES:
            body.passes += 1
            sources = {}
            for unit in todo:
                root = copy.deepcopy(roots[unit.index])
                self.resolve_links(root, ids_of(root), lambda target: (
                    None if target not in body_ids else PLACEHOLDER_DIGIT * len(known[target]) if even
                    else known[target]))
                source = html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
                body.keys[unit.index] = self.cache.key("unit", source, self.unit_facts(unit))
                sources[unit.index] = (body.keys[unit.index], source)

            def announce(count: int, first: bool = body.passes == 1) -> None:
                if first:
                    self.progress(Stage.BODY, f"{count} of {len(units)} texts to lay out (the others unchanged), "
                                              f"on {max(1, min(self.processes, count))} processes")
                elif count:
                    self.progress(Stage.BODY_AGAIN, f"{count} texts whose cross-references change their digits")

            found, new = self.made(sources, self.lay_out_unit, announce=announce)
            results.update(found)
            laid_out += [units[index].id for index in new]
            for index in sources:
                printed[index] = {key: label for key, (_, label) in results[index].xrefs.items()}
            body.starts = unit_starts([results[unit.index].pages for unit in units])
            true = {ident: str(body.starts[i] + page + 1) for i, found in results.items()
                    for ident, page in found.anchors.items()}
            known.update(true)
            todo, body.wrong = [], []
            for unit in units:
                found = results[unit.index]
                failed = False
                for key, (target, laid) in found.xrefs.items():
                    new = true.get(target)
                    # a page printed in figures of one width fits where as many figures were laid out (checked
                    # when it is put in); one laid out as it is, only where it is the same
                    if new is None or new == laid or (even and len(new) == len(laid)):
                        printed[unit.index][key] = new or laid
                        continue
                    body.wrong.append((target, laid, new))
                    failed = True
                if failed:
                    todo.append(unit)
        body.units = results
        body.laid_out = tuple(laid_out)
        body.printed = printed
        return body

    def unit_facts(self, unit: Unit) -> str:
        """What a unit's layout reads from the book besides its HTML: its apparatus entries and its notes."""
        texts = {text.id for text in unit.texts}
        return repr(([e for e in self.book.textual if e.text_id in texts],
                     [n for n in self.book.notes if n.text_id in texts]))

    def estimated_labels(self, roots: dict[int, etree._Element], body_ids: set[str]) -> dict[str, str]:
        """Each place's page, guessed from the characters before it, where no earlier build says (only the number
        of its digits matters: a wrong guess costs a unit laid out again)."""
        width, height = (points(length) for length in trim_size(self.edition.book.trim) or ("6in", "9in"))
        top, outer, bottom, inner = (points(length) for length in self.edition.book.margins.split())
        size = points(self.edition.book.size)
        # 0.95: a line holds about as many characters as the measure over 0.45 em, a page a little fewer than
        # its lines' worth (headings, notes, the apparatus); measured on the Serge edition and the synthetic ones
        per_page = 0.95 * ((width - outer - inner) / (0.45 * size)) * (
            (height - top - bottom) / (size * self.edition.book.leading))
        guessed, page = {}, 1
        for index in sorted(roots):
            characters = 0
            if roots[index].find(".//section[@class='part']") is not None:
                page += 2  # the part's title page, and the verso after it
            for element in roots[index].iter():
                if isinstance(element.tag, str) and element.get("id") in body_ids:
                    guessed[element.get("id")] = str(page + int(characters // per_page))
                characters += len(element.text or "") + len(element.tail or "")
            pages = 1 + int(characters // per_page)
            page += pages + pages % 2  # the next unit begins on a recto
        return guessed

    def lay_out_unit(self, source: str) -> bytes:
        """Lay one unit out (in this process or a worker): again where a note fell a page after its call; then its
        lines numbered, its apparatus keyed, both printed. Returns the pages and what was read off them."""
        root = html.document_fromstring(source)
        outer, self.diagnostics = self.diagnostics, []
        mark = len(self.renderer.log.messages)
        try:
            rendered = self.renderer.render(root)
            rendered.label = page_mark
            relayouts = 0
            while True:
                page_of, ends = rendered.anchor_pages(), rendered.anchor_pages(last=True)
                displaced = self.displaced_notes(page_of, ends)
                if not (displaced and relayouts < 2 and keep_with_notes(root, displaced)):
                    break
                relayouts += 1
                rendered = self.renderer.render(root)
                rendered.label = page_mark
            self.diagnostics += [displaced_diagnostic(note, call, printed) for note, call, printed in displaced]
            self.diagnostics += [Diagnostic("(layout)", 0, 0, Severity.WARNING, "note-overflow",
                                            f"note #{ident} runs off the foot of p. {page}")
                                 for ident, page in rendered.below_the_page(
                                     self.links.notes | {f"app-{anchor}" for anchor in self.at_foot_of(root)})]
            self.diagnostics += margin_diagnostics(rendered, "body")
            keys = self.number_and_key(rendered, page_of)
            self.diagnostics += [Diagnostic("(pdf)", 0, 0, Severity.WARNING, "weasyprint", message)
                                 for message in self.renderer.warnings_since(mark)]
            xrefs = {link.get("data-xref"): (link.get("href", "#")[1:], link.get("data-page"))
                     for link in root.iter("a") if link.get("data-page") and link.get("data-xref")}
            return self.renderer.dumps(rendered, laid_out_facts(rendered, keys, xrefs, self.diagnostics, relayouts))
        finally:
            self.diagnostics = outer

    def at_foot_of(self, root: etree._Element) -> set[str]:
        """The entries a unit prints at the foot of the page."""
        return {e.get("id").removeprefix("app-") for e in root.iter("span")
                if has_class(e, "app-entry") and e.get("id")}

    # --- line numbers and the apparatus -------------------------------------------------------

    def number_and_key(self, body: Rendered, page_of: dict[str, tuple[int, str]]) -> dict[str, str]:
        """Number the body's lines, key every apparatus entry, and print both: the numbers in the margin, and
        at the foot (where the apparatus is printed there) each page's entries. Returns the keys of the
        entries of the body (page.line where the apparatus is at the back)."""
        self.note_pages = {page_of[note.id][0] for note in self.book.notes if note.id in page_of}
        lines = body.text_lines()
        numbered = number_lines(lines, self.settings)
        positions = lemma_lines(numbered)
        # where each lemma's words begin: the line of its entry's call (after its first word), else of its start
        first_line: dict[str, tuple[int, str]] = {}
        calls: dict[str, tuple[int, str]] = {}
        for page, page_lines in enumerate(lines):
            for line in page_lines:
                for ident in line.ids:
                    (calls if ident.startswith("app-") else first_line).setdefault(
                        ident.removeprefix("app-"), (page, body.label(page)))
        lemma_page = {**page_of, **first_line, **calls}
        entries = [e for e in self.book.textual if e.anchor_id in page_of]
        printed_on = {ident.removeprefix("app-"): (page, body.label(page))
                      for page, idents in body.series_placed.items() for ident in idents}
        keys, on_page = {}, {}
        for entry in entries:
            key = self.key_of(entry, positions, lemma_page, body.label)
            if key is None:
                self.diagnostics.append(Diagnostic(
                    "(layout)", 0, 0, Severity.WARNING, "apparatus-unkeyed",
                    f"the lemma of apparatus entry #{entry.anchor_id} (text {entry.text_id}) stands on no numbered "
                    "line; it is keyed by its page only"))
                key = page_of[entry.anchor_id][1] if self.placement == "back" else ""
            keys[entry.anchor_id] = key
            if self.placement == "foot":
                printed = printed_on.get(entry.anchor_id)
                if printed is None or printed[0] != lemma_page[entry.anchor_id][0]:
                    self.diagnostics.append(Diagnostic(
                        "(layout)", 0, 0, Severity.ERROR, "apparatus-displaced",
                        f"apparatus entry #{entry.anchor_id} is printed on p. {printed[1] if printed else '?'} "
                        f"but its lemma is on p. {lemma_page[entry.anchor_id][1]}"))
                if printed is not None:
                    on_page.setdefault(printed[0], []).append((entry, key))
        self.print_numbers_and_entries(body, numbered, on_page)
        return keys

    def key_of(self, entry, positions, page_of, label) -> str | None:
        """The entry's key: its verse line(s); else the printed line(s) where its lemma begins (and ends), with the
        page where the apparatus is at the back; "tit." for a lemma in a heading; None if on no counted line."""
        page_label = page_of[entry.anchor_id][1]
        back = self.placement == "back"
        if entry.verse_lines:
            start, end = entry.verse_lines
            key = start if start == end else f"{start}–{end}"
            return f"{page_label}.{key}" if back else key
        lines = positions.get(entry.anchor_id)
        if not lines:
            where = self.holder_of(entry)
            if where is None:
                return None
            return f"{page_label} {where}" if back else where
        (first_page, first), (last_page, last) = lines[0], lines[-1]
        key = in_section(first)
        if last is not first:
            if back and last_page != first_page:
                key += f"–{label(last_page)}.{last.number}"
            else:
                key += f"–{last.number}" if last.section == first.section else f"–{in_section(last)}"
        return f"{page_label}.{key}" if back else key

    def holder_of(self, entry) -> str | None:
        """The key of a lemma on no numbered line: "tit." in a heading, "n" with a note's label in a note."""
        text = next((t for t in self.book.front + self.book.texts if t.id == entry.text_id), None)
        lemma = next((e for e in text.section.iter() if e.get("id") == entry.anchor_id), None) if text else None
        if lemma is None:
            return None
        for ancestor in lemma.iterancestors():
            if has_class(ancestor, "note"):
                return f"n. {ancestor.get('data-label')}"
            if ancestor.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or (ancestor.get("class") or "").startswith("head"):
                return HEADING_KEY
        return None

    def print_numbers_and_entries(self, body: Rendered, numbered, on_page) -> None:
        """Lay out the margin numbers and the keyed apparatus of every page at once, and put them in place."""
        frames, areas = body.frames(), body.series_areas()
        pages = []
        for number, lines in enumerate(numbered):
            width, height, left, right = frames[number]
            shown = [overlay.MarginNumber(n.line.baseline, n.number, number % 2 == 0) for n in lines if n.shown]
            entries = on_page.get(number, [])
            if shown or entries:
                pages.append(overlay.OverlayPage(number, width, height, left, right, shown, areas[number], entries,
                                                 notes=number in self.note_pages))
        if not pages:
            return
        laid = self.renderer.render(overlay.overlay_root(pages, self.book, self.settings, self.book.metadata.language))
        for problem in body.graft(laid, [p.page for p in pages]):
            self.diagnostics.append(Diagnostic("(layout)", 0, 0, Severity.ERROR, "apparatus-overflow", problem))

    def displaced_notes(self, page_of, last_page_of) -> list[tuple[Note, tuple[int, str], tuple[int, str]]]:
        """Notes printed on another page than their call (the call counts where its word ends)."""
        displaced = []
        for note in self.book.notes:
            call = last_page_of.get(note.call_id)
            printed = page_of.get(note.id)
            if call is not None and printed is not None and call[0] != printed[0]:
                displaced.append((note, call, printed))
        return displaced


@dataclass(frozen=True)
class _Piece:
    """A document of the book to draw: what its drawing depends on (its key), its pages' count, first words and
    bookmarks, and either its layout (the front or back matter, laid out here) or, for a text, its layout's
    key, the book's page it begins on and the pages its cross-references print (data-xref -> (as laid out,
    true))."""

    key: str
    pages: int
    starts: list[dict]
    bookmarks: list
    rendered: Rendered | None = None
    # a text or part of the back matter: its layout's key, its first page in the book, its cross-references'
    # pages, the pages laid out before its own (a part begun on a verso is laid out after one), and whether its
    # pages go on the other side of the leaf than they were laid out for (Rendered.flip)
    unit: tuple[str, int, dict[str, tuple[str, str]], int, bool] | None = None


def laid_out_facts(rendered: Rendered, keys, xrefs, diagnostics, relayouts: int, skip: int = 0) -> UnitLayout:
    """What the build reads off a laid-out text or part of the back matter, its first ``skip`` pages left out."""
    pages = list(range(skip, len(rendered)))
    shifts = rendered.sides_shifts()
    return UnitLayout(keys, xrefs, diagnostics, relayouts, len(pages),
                      {ident: page - skip for ident, (page, _) in rendered.anchor_pages().items() if page >= skip},
                      {ident: page - skip for ident, (page, _) in rendered.anchor_pages(last=True).items()
                       if page >= skip},
                      rendered.page_starts()[skip:], rendered.bookmarks(pages), skip,
                      shifts[skip:] if shifts is not None else None)


# A section of the back matter longer than two of these is cut into parts of about this much (characters, and
# 40 for each block; about twenty pages of apparatus entries), laid out on several processes.
BACK_PART = 50_000


def cut_section(section: etree._Element) -> list[etree._Element]:
    """A section of the back matter as the parts it is laid out in: itself, or (if long) itself with its first
    groups and, for the rest, copies of it (and of its columns) each holding the next groups. A cut falls
    before a group's heading, or (in a group longer than two parts) before any entry."""
    flow = next((c for c in section if c.tag == "div" and has_class(c, "columns")), section)
    children = list(flow)
    weights = [len("".join(child.itertext())) + 40 * sum(1 for _ in child.iter("p", "li", "h2", "h3")) + 40
               for child in children]
    if sum(weights) <= 2 * BACK_PART:
        return [section]
    groups, weight = [[]], 0
    for child, size in zip(children, weights, strict=True):
        heading = child.tag in ("h1", "h2", "h3")
        after_heading = bool(groups[-1]) and groups[-1][-1].tag in ("h1", "h2", "h3")
        if groups[-1] and not after_heading and (weight >= BACK_PART and heading or weight >= 2 * BACK_PART):
            groups.append([])
            weight = 0
        groups[-1].append(child)
        weight += size
    parts = [section]
    for group in groups[1:]:
        part = etree.Element(section.tag, {"class": (section.get("class") or "") + " continued"})
        holder = part if flow is section else etree.SubElement(part, flow.tag, {"class": flow.get("class") or ""})
        holder.extend(group)
        parts.append(part)
    return parts


def back_source(document: tuple[etree._Element, etree._Element], chunk: etree._Element, verso: bool,
                flippable: bool = False) -> str:
    """A part of the back matter as a document; one to begin on a verso is laid out after an empty page. The
    pages of a ``flippable`` one are laid out to be put on either side of the leaf where they can."""
    root, body = document
    chunk = copy.deepcopy(chunk)
    if flippable:
        body.set("data-flip", "1")
    if verso:
        body.set("data-skip", "1")
        add_element(body, "div", "verso-start")
        chunk.set("style", "break-before: left")
    body.append(chunk)
    return html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def back_starts(lengths: list[int], opens: list[bool], first: int) -> list[int]:
    """The book's page each part of the back matter begins on: a section's first on a recto (odd), the others
    on the page after the part before."""
    starts, page = [], first
    for length, opening in zip(lengths, opens, strict=True):
        if opening and page % 2 == 0:
            page += 1
        starts.append(page)
        page += length
    return starts


def read_layout_facts(stream) -> UnitLayout | None:
    """What a layout kept by ``Renderer.dumps`` says of itself (None if it is not a text's or part's layout)."""
    found = read_extra(stream)
    return found if isinstance(found, UnitLayout) else None


def load_drawn(stream) -> tuple | None:
    """A drawn piece as ``PdfWriter.draw_piece`` keeps it: (PDF, places, warnings, cross-references not put in,
    the programs of its faces)."""
    found = pickle.load(stream)
    return found if isinstance(found, tuple) and len(found) == 5 else None


@dataclass
class _Body:
    units: dict[int, UnitLayout]  # by the unit's index
    starts: dict[int, int]  # the body page (from 0) each unit begins on
    passes: int
    laid_out: tuple[str, ...]
    keys: dict[int, str] = field(default_factory=dict)  # each unit's layout key, by its index
    printed: dict[int, dict[str, str]] = field(default_factory=dict)  # the page each cross-reference prints
    wrong: list[tuple[str, str, str]] = field(default_factory=list)  # cross-references left printing a wrong page


def in_section(line) -> str:
    """A prose line's number as a key prints it: with its section's number where lines are counted by section
    ("3.12"), else alone."""
    return f"{line.section}.{line.number}" if line.section else line.number


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """A file's size, time of change and inode: a file written or replaced since has another."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def ids_of(root: etree._Element) -> set[str]:
    return {e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")}


def keep_with_notes(root, displaced) -> bool:
    """Start each paragraph whose call lost its note on a new page; WeasyPrint moves a note rather than
    break a paragraph's first lines (orphans). Returns whether anything changed."""
    by_id = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    changed = False
    for note, _, _ in displaced:
        block = by_id.get(note.call_id)
        while block is not None and block.tag not in _KEEPABLE:
            block = block.getparent()
        if block is None or "break-before" in (block.get("style") or ""):
            continue
        if any(has_class(a, "note") for a in block.iterancestors()):
            continue
        block.set("style", "break-before: page")
        changed = True
    return changed


def displaced_diagnostic(note: Note, call, printed) -> Diagnostic:
    return Diagnostic(
        "(layout)", 0, 0, Severity.WARNING, "note-displaced",
        f"note {note.label} ({note.id}, text {note.text_id}) is printed on p. {printed[1]} "
        f"but its call is on p. {call[1]}",
    )


def margin_diagnostics(rendered: Rendered, what: str) -> list[Diagnostic]:
    """Lines that run past the text block into the margin."""
    return [Diagnostic("(layout)", 0, 0, Severity.WARNING, "line-overflow",
                       f"a line on page {line.page} of the {what} runs {line.excess:.1f}px into the margin: "
                       f"“{line.text}”")
            for line in rendered.overflowing_lines()]


def roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out
