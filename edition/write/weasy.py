"""WeasyPrint behind one adapter: rendering in a sandbox, reading the laid-out pages, the footnote correction.

This is the only module of the project that imports WeasyPrint or reads its private structures (page boxes,
the layout context). WeasyPrint is pinned (70.0): the correction below and the box walks are written for
that release, and ``check_version`` stops a build with a clear message on any other.
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

import cssselect2
import pydyf
import weasyprint
from lxml import etree, html
from weasyprint import CSS, DEFAULT_OPTIONS, HTML
from weasyprint import layout as layout_package
from weasyprint.anchors import make_page_bookmark_tree
from weasyprint.document import Document, Page
from weasyprint.formatting_structure.boxes import BlockBox, FootnoteAreaBox, LineBox, MarginBox, PageBox, TextBox
from weasyprint.images import get_image_from_uri
from weasyprint.layout import LayoutContext, block, inline
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.page import page_height, page_width, set_page_type_computed_styles
from weasyprint.layout.percent import resolve_percentages
from weasyprint.matrix import Matrix
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text.fonts import FontConfiguration
from weasyprint.text.line_break import create_layout, first_line_metrics, line_size
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from ..errors import EditionError
from .html5 import parsed_tree
from .merge import Bookmark

CORRECTED_VERSION = "70.0"
PDF_VARIANT = "pdf/ua-1"
PDF_SCALE = 0.75  # PDF points per CSS pixel


def check_version() -> None:
    """Stop unless WeasyPrint is the release whose layout this module reads and corrects."""
    code = block._linebox_layout.__code__
    if weasyprint.__version__ != CORRECTED_VERSION or "in_column" not in code.co_names:
        raise EditionError(
            f"WeasyPrint {weasyprint.__version__} is installed, but the PDF writer is made for "
            f"{CORRECTED_VERSION} (its footnote correction and layout checks read that release's layout); "
            f"install weasyprint=={CORRECTED_VERSION} (`make` does)"
        )


# --- the footnote correction ------------------------------------------------------------------
#
# When a line overflows the page exactly where orphans or widows forbid an earlier break, WeasyPrint
# 70.0's line layout (weasyprint.layout.block._linebox_layout) moves footnotes already placed on the
# page to the next one to make room, then accepts the line without placing the footnotes called in
# that line: those notes are never printed, and the moved ones land a page after their calls. The
# branch is guarded by ``report = not context.in_column and ...``. The correction makes that one read
# of ``in_column`` answer True, so the branch is never taken and WeasyPrint breaks the page before the
# line as orphans and widows allow, taking the line's footnotes along. It is a subclass of the layout
# context whose ``in_column`` is a property that answers True only when asked by that function; every
# other reader (footnote areas, page breaks in columns) gets the real value. It is active only inside
# ``Renderer.render``: nothing of WeasyPrint changes for the rest of the process.


# --- a line that fits but for its trailing space ------------------------------------------------
#
# WeasyPrint 70.0 fits a run of text into a line (``text.line_break.split_first_line``) by the width Pango
# gives the whole run, trailing space included. A run that fits only without its final space (the text before
# a name in an element of its own, when that name goes to the next line) is taken to be one word too long
# for the line, and the line is cut after its first word: "Even" alone, and the rest on the next line. A
# space at the end of a line takes no room (CSS Text: it hangs, and WeasyPrint's own line layout discounts
# it), so the correction gives such a run its one line, the space included, as WeasyPrint does for a run that
# fits outright. It is active only inside ``Renderer.render`` (of a renderer with the corrections).


@contextmanager
def _trailing_space_hangs():
    """While a document is laid out: a run of text that fits its line but for its trailing space is kept on it."""
    original = inline.split_first_line

    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True,
                         minimum=False):
        found = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        collapsing = style["white_space"] in ("normal", "nowrap", "pre-line")
        if found[2] is None or max_width is None or not collapsing or not text.endswith(" ") or not text.strip():
            return found
        if len(text.rstrip(" ")) > max_width / max(style["font_size"], 1) * 4:
            return found  # more letters than a line holds (WeasyPrint's own bound): not one line, not laid out again
        layout = create_layout(text, style, context, max_width, justification_spacing)
        first_line, resume_index = layout.get_first_line()
        if resume_index is not None:
            return found
        trimmed = create_layout(text.rstrip(" "), style, context, max_width, justification_spacing)
        trimmed_line, _ = trimmed.get_first_line()
        if line_size(trimmed_line, style)[0] > max_width:
            return found
        return first_line_metrics(first_line, text, layout, None, collapsing, style)

    inline.split_first_line = split_first_line
    try:
        yield
    finally:
        inline.split_first_line = original


# --- a page laid out for either side ------------------------------------------------------------
#
# A part of the back matter goes on from the page after the part before it, a verso or a recto, which is known
# only once the parts before it are laid out. Where a book's two sides differ only in where the text block
# stands and in their margin boxes (mirrored margins around a text block of one size), a page laid out for one
# side is put on the other by moving its content sideways and giving it the other side's page box and margin
# boxes, made with it while it is laid out: the part is not laid out again (``Rendered.flip``). A page whose
# side the layout chose (after a break to a left or right page, or blank) or whose other side has a text block
# of another size or height has no other side, and neither has its document.


@contextmanager
def _other_sides(document):
    """While ``document`` is laid out: each page keeps, as ``edition_other_side``, the page box and margin boxes
    it would have on the other side of the leaf, or None where it cannot be put there."""
    original = layout_package.make_margin_boxes

    def make_margin_boxes(context, page, state):
        made = list(original(context, page, state))
        page.edition_other_side = _other_side(context, document, page, state, original)
        return made

    layout_package.make_margin_boxes = make_margin_boxes
    try:
        yield
    finally:
        layout_package.make_margin_boxes = original


def _other_side(context, document, page, state, make_margin_boxes):
    if page.page_type.blank or context.page_maker[context.current_page - 1][1]["break"] != "any":
        return None  # a side the layout chose
    page_type = page.page_type._replace(side="left" if page.page_type.side == "right" else "right")
    set_page_type_computed_styles(page_type, document, context.style_for)
    style = context.style_for(page_type)
    style["overflow"] = page.style["overflow"]
    other = PageBox(page_type, style)
    resolve_percentages(other, style["size"])
    other.position_x = other.position_y = 0
    page_width(other, context, style["size"][0])
    page_height(other, context, style["size"][1])
    if (other.width, other.height, other.content_box_y()) != (page.width, page.height, page.content_box_y()):
        return None
    return other, list(make_margin_boxes(context, other, state))


# --- series of footnotes -----------------------------------------------------------------------
#
# WeasyPrint has one footnote area per page and fills it in the order of the calls. A critical edition
# prints its notes and then each apparatus series as a block of its own under its own rule. The same layout
# context keeps the page's footnotes in that order (notes first, then each series in the order given) and
# opens each series with a copy of its rule, so the space the blocks take is reserved while the page is laid
# out, and the text gives way where they do not fit. The rule of a series is an element of class
# "app-rule" somewhere in the document (with float: footnote and its call's content none); it is taken out
# of the footnotes before any is laid out, and only its copies are printed.


def _classes(box) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def _series(box) -> str:
    return box.element.get("data-series") or "" if box.element is not None else ""


def _corrected_document_class(series: tuple[str, ...] = ()):
    linebox_code = block._linebox_layout.__code__

    def rank(footnote) -> int:
        if "app-entry" not in _classes(footnote):
            return 0
        name = _series(footnote)
        return 1 + (series.index(name) if name in series else len(series))

    class EditionLayoutContext(LayoutContext):
        @property
        def in_column(self):
            if sys._getframe(1).f_code is linebox_code:
                return True
            return self.__dict__.get("in_column", False)

        @in_column.setter
        def in_column(self, value):
            self.__dict__["in_column"] = value

        @property
        def _rules(self) -> dict:
            if "_rules" not in self.__dict__:
                templates = [f for f in self.footnotes if "app-rule" in _classes(f)]
                for template in templates:
                    self.footnotes.remove(template)
                self.__dict__["_rules"] = {_series(t): t for t in templates}
            return self.__dict__["_rules"]

        def layout_footnote(self, footnote):
            if "app-rule" in _classes(footnote) or footnote in self._rules.values():
                return False  # a series' rule is printed only as the copies that open its blocks
            return super().layout_footnote(footnote)

        def unlayout_footnote(self, footnote):
            if "app-rule" not in _classes(footnote):
                super().unlayout_footnote(footnote)

        def _update_footnote_area(self):
            rules = self._rules
            if not rules:
                return super()._update_footnote_area()
            # The page's footnotes in order: notes, then each series. For the layout of the area, each series is
            # one box under a copy of its rule, holding the words of all its entries (they are single runs of
            # text, see write.overlay): the same lines as the entries run in, laid out in one piece each time the
            # area grows instead of entry by entry. WeasyPrint keeps its own list of the real footnotes.
            real = self.current_page_footnotes
            real.sort(key=rank)
            view, series = [], {}
            for footnote in real:
                name = _series(footnote) if "app-entry" in _classes(footnote) else None
                if name in rules:
                    series.setdefault(name, []).append(footnote)
                else:
                    view.append(footnote)
            placed = self.__dict__.setdefault("series_placed", {})
            placed[self.current_page] = [e.element.get("id") for entries in series.values() for e in entries]
            for name, entries in series.items():
                view.append(rules[name].deepcopy())
                words = "".join(box.text for entry in entries for box, _ in _walk(entry) if isinstance(box, TextBox))
                view.append(_with_text(entries[0], words))
            self.current_page_footnotes = view
            try:
                return super()._update_footnote_area()
            finally:
                self.current_page_footnotes = real

    def _with_text(box, words: str):
        """A copy of ``box`` whose one run of text is ``words``."""
        if isinstance(box, TextBox):
            return box.copy_with_text(words)
        child = next(c for c in box.children if isinstance(c, TextBox) or getattr(c, "children", None))
        return box.copy_with_children([_with_text(child, words)])

    class EditionDocument(Document):
        last_context = None

        @classmethod
        def _build_layout_context(cls, *args, **kwargs):
            context = super()._build_layout_context(*args, **kwargs)
            context.__class__ = EditionLayoutContext
            cls.last_context = context
            return context

    return EditionDocument


# --- the sandbox ------------------------------------------------------------------------------


def sandbox(roots: list[Path]):
    """A URL fetcher that reads data: URLs and files inside ``roots``; nothing else, never the network."""

    class Sandbox(URLFetcher):
        def __init__(self):
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

    return Sandbox()


class _Log(logging.Handler):
    """WeasyPrint's warnings, kept for the build to report as diagnostics."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        message = record.getMessage()
        if "HarfBuzz-Subset" in message:
            return  # an environment note (fonts are subset with fontTools instead), not a fault of the book
        self.messages.append(message)


# --- rendering --------------------------------------------------------------------------------

SETTLE_SECONDS = 10.0  # the longest wait for Pango's threads before forking (they take milliseconds)


def pango_threads() -> list[str]:
    """The names of this process's threads that Pango runs fontconfig on (Linux; none known elsewhere)."""
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return []
    names = []
    for task in tasks:
        try:
            with open(f"/proc/self/task/{task}/comm", encoding="utf-8", errors="replace") as stream:
                name = stream.read().strip()
        except OSError:  # the thread ended meanwhile
            continue
        if name.startswith("[pango]"):
            names.append(name)
    return names


class Renderer:
    """WeasyPrint set up for one build: the book's stylesheets and fonts, the sandbox, the log, the correction."""

    def __init__(self, stylesheets: list[tuple[str, str]], roots: list[Path], base: Path, corrected: bool = True,
                 footnote_series: tuple[str, ...] = ()):
        """``stylesheets``: (kind, value) pairs, kind "string" or "filename"."""
        check_version()
        self.fonts = FontConfiguration()
        self.fetcher = sandbox(roots)
        self.base_url = base.as_uri() + "/"
        self.document_class = _corrected_document_class(footnote_series) if corrected else None
        self.log = _Log()
        self.stylesheets = []
        for kind, value in stylesheets:
            try:
                self.stylesheets.append(CSS(**{kind: value}, font_config=self.fonts, url_fetcher=self.fetcher))
            except FatalURLFetchingError as error:
                raise EditionError(f"{value if kind == 'filename' else 'a stylesheet'}: {error}") from None

    def __enter__(self):
        logging.getLogger("weasyprint").addHandler(self.log)
        return self

    def __exit__(self, *exc):
        logging.getLogger("weasyprint").removeHandler(self.log)

    def settle(self) -> None:
        """Before worker processes are forked: lay out one word, so that the font machinery (fontconfig, which
        Pango initialises on a thread of its own) is set up, and wait until no thread of Pango's is running
        fontconfig. Pango 1.50 initialises, matches and sorts fonts on short-lived threads ("[pango] FcInit",
        "[pango] FcFontSetMatch", "[pango] FcFontSetSort"), the last of which may outlive the layout that
        started it; each holds fontconfig's lock while it runs. A process forked meanwhile inherits the lock
        held by a thread it does not have, and its first use of a font waits for it forever (seen once: a
        book's back matter held until the stall limit)."""
        self.render(html.fromstring("<html><body><p>x</p></body></html>"))
        deadline = time.monotonic() + SETTLE_SECONDS
        while pango_threads() and time.monotonic() < deadline:
            time.sleep(0.001)

    def render(self, root: etree._Element, other_sides: bool = False) -> Rendered:
        """Lay out one HTML document (a model tree); a WeasyPrint failure becomes one clear EditionError. With
        ``other_sides`` (and the corrections), its pages can be put on the other side of the leaf
        (``Rendered.flip``)."""
        corrected = self.document_class is not None
        try:
            document = self.html_document(root)
            with (_trailing_space_hangs() if corrected else nullcontext(),
                  _other_sides(document) if corrected and other_sides else nullcontext()):
                return self._render(document)
        except FatalURLFetchingError as error:
            raise EditionError(str(error)) from None
        except Exception as error:  # a fault inside WeasyPrint: say so in one line, keep the last good PDF
            raise EditionError(
                f"the PDF layout failed inside WeasyPrint ({type(error).__name__}: {error}); "
                "the last good PDF is untouched"
            ) from error

    def html_document(self, root: etree._Element) -> HTML:
        """WeasyPrint's document of a model tree: the tree an HTML5 parser would build from it, made directly
        where ``html5.parsed_tree`` can, else the tree serialised and parsed."""
        tree = parsed_tree(root)
        if tree is None:
            source = html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
            return HTML(string=source, base_url=self.base_url, url_fetcher=self.fetcher)
        document = HTML.__new__(HTML)  # as HTML.__init__ sets it up from what it parsed (no <base> is taken)
        document.base_url = self.base_url
        document.url_fetcher = self.fetcher
        document.media_type = "print"
        document.wrapper_element = cssselect2.ElementWrapper.from_html_root(tree, content_language=None)
        document.etree_element = document.wrapper_element.etree_element
        return document

    def _render(self, document) -> Rendered:
        if self.document_class is None:
            return Rendered(document.render(stylesheets=self.stylesheets, font_config=self.fonts,
                                            pdf_variant=PDF_VARIANT))
        options = {**DEFAULT_OPTIONS, "stylesheets": self.stylesheets, "pdf_variant": PDF_VARIANT}
        rendered = self.document_class._render(document, self.fonts, None, None, options)
        placed = self.document_class.last_context.__dict__.get("series_placed", {})
        self.document_class.last_context = None
        return Rendered(rendered, {page - 1: ids for page, ids in placed.items() if ids})

    # --- laid-out pages as bytes: for the layout cache and the worker processes ------------------------

    def dumps(self, rendered: Rendered, extra: object = None) -> bytes:
        """A laid-out document's pages (and ``extra``, plain data) as bytes another process can load with the same
        stylesheets. WeasyPrint keeps no handle to a font or a Pango layout in its pages once they are laid out
        (each text is shaped again when drawn); the one font configuration they refer to is this renderer's, and
        is put back as the loading renderer's own."""
        buffer = io.BytesIO()
        document = rendered.document
        pickle.dump(extra, buffer, protocol=pickle.HIGHEST_PROTOCOL)  # first: read alone by ``read_extra``
        _Pickler(buffer, self).dump((document.pages, document.metadata, rendered.series_placed))
        return buffer.getvalue()

    def loads(self, data: bytes) -> tuple[Rendered, object]:
        """Pages written by ``dumps`` (in this process or another), as a document of this renderer."""
        stream = io.BytesIO(data)
        extra = pickle.load(stream)
        pages, metadata, placed = _Unpickler(stream, self).load()
        document = Document(pages, metadata, self.fetcher, self.fonts, {}, None)
        return Rendered(document, placed), extra

    def draw(self, rendered: Rendered, numbers: list[int]) -> tuple[bytes, set[str], list[str]]:
        """Pages ``numbers`` of a rendered document drawn as a PDF of their own, to be put in the book by
        ``merge.combine``: returns it, the places (ids) it holds, and WeasyPrint's warnings while it was drawn.
        A link to a place it does not hold (in another part of the book) is kept by a stand-in place of that
        name on the first page, which the book does not take."""
        pages = [rendered.document.pages[i] for i in numbers]
        own = {name for page in pages for name in page.anchors}
        wanted = {target for page in pages for kind, target, _, _ in page.links if kind == "internal"}
        stand_ins = {name: (0, 0, 0, 0) for name in wanted - own}
        mark = len(self.log.messages)
        kept = pages[0].anchors if pages else {}
        try:
            if pages and stand_ins:
                pages[0].anchors = {**stand_ins, **kept}
            with _page_references_once(), _faces_subset_by_harfbuzz():
                data = rendered.document.copy(pages).write_pdf(pdf_variant=PDF_VARIANT, custom_metadata=True)
        finally:
            if pages:
                pages[0].anchors = kept
        return data, own, self.warnings_since(mark)

    def warnings_since(self, mark: int) -> list[str]:
        """WeasyPrint's warnings logged since the log held ``mark`` of them, taken out of the log."""
        found = self.log.messages[mark:]
        del self.log.messages[mark:]
        return found

    def write(self, documents: list[tuple[Rendered, list[int]]], path: Path, roman_pages: int) -> int:
        """Combine pages of rendered documents into one PDF at ``path``, written to a temporary file and moved
        into place; the first ``roman_pages`` are labelled i, ii, ..., the rest 1, 2, .... Returns the pages."""
        pages = [rendered.document.pages[i] for rendered, numbers in documents for i in numbers]
        first = documents[0][0].document
        combined = first.copy(pages)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(handle)
        try:
            with _page_references_once(), _faces_subset_by_harfbuzz():
                combined.write_pdf(temporary, finisher=_page_labels(roman_pages), pdf_variant=PDF_VARIANT,
                                   custom_metadata=True)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        return len(pages)


@contextmanager
def _page_references_once():
    """While a PDF is written: pydyf's list of page references made once for each number of pages, not again
    for every tagged box that names its page (WeasyPrint's tagging asks for it tens of thousands of times, each
    time building the whole list: seconds for a book). Left as it is if pydyf has changed."""
    original = getattr(pydyf.PDF, "page_references", None)
    if not isinstance(original, property):
        yield
        return

    def page_references(pdf):
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get("_edition_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), original.fget(pdf))
            pdf.__dict__["_edition_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


# --- faces subset by HarfBuzz, every glyph at its number -------------------------------------------------
#
# WeasyPrint 70.0 subsets each face of a drawn PDF with HarfBuzz in two passes, the second renumbering the glyphs
# after the last one the text uses (the parts of composite glyphs among them), and makes a variable face static
# with fontTools' instancer, in Python (0.1 to 0.2 s for each face of each piece of the book). One pass of
# HarfBuzz's subsetter (through uharfbuzz) keeps every glyph at its number in the face, which lets the book embed one
# program for each face (``merge.shared_programs``), and pins a variable face's axes in the same pass, in a
# millisecond. Where it cannot (no uharfbuzz, outlines other than TrueType's, colour glyphs, a failure),
# WeasyPrint's own path runs.

# the tables WeasyPrint leaves out of an embedded face: shaping and bitmap data a PDF does not use
_DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def axis_positions(font, axes) -> dict[str, float]:
    """Where each axis of a variable face is pinned for a font WeasyPrint drew: the variations the style asked
    for, else the weight, the size (optical size), the style (slant, italic) the font was chosen for, else the
    axis's default; each within the axis's range."""
    implied = {"wght": font.weight, "opsz": font.font_size, "ital": int(font.style == 2)}
    positions = {}
    for axis in axes:
        if axis.tag in font.variations:
            value = font.variations[axis.tag]
        elif axis.tag == "slnt" and font.style == 1:  # oblique: the slant furthest from upright
            value = axis.min_value if axis.max_value == 0 else axis.max_value
        else:
            value = implied.get(axis.tag, axis.default_value)
        positions[axis.tag] = min(max(float(value), axis.min_value), axis.max_value)
    return positions


def static_subset(font, glyphs, hinting: bool) -> bytes | None:
    """The glyphs of a TrueType face (and the parts of composite ones), each kept at its number in the face; a
    variable face made static where ``font`` was drawn. None where HarfBuzz's subsetter is not at hand or fails."""
    try:
        import uharfbuzz as hb
    except ImportError:
        return None
    face = hb.Face(hb.Blob(font.file_content), font.index)
    request = hb.SubsetInput()
    request.glyph_set.update(glyphs)
    for tag in _DROPPED_TABLES:
        request.drop_table_tag_set.add(int.from_bytes(tag.encode("ascii"), "big"))
    # the glyphs drawn and their components only: the shaping tables that would bring in more are left out
    flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
             | hb.SubsetFlags.NO_LAYOUT_CLOSURE)
    if not hinting:
        flags |= hb.SubsetFlags.NO_HINTING
    if font.missing:
        flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    request.flags = flags
    for tag, value in axis_positions(font, face.axis_infos).items():
        request.pin_axis_location(face, tag, value)
    try:
        made = hb.subset(face, request)
    except Exception:
        return None
    data = made.blob.data if made is not None else b""
    return bytes(data) or None


@contextmanager
def _faces_subset_by_harfbuzz():
    """While a PDF is written: each TrueType face subset by HarfBuzz in one pass, its glyphs at their numbers, a
    variable one made static."""
    original = pdf_fonts.Font.clean

    def clean(font, to_unicode, hinting):
        other = "glyf" not in font.tables or font.png or font.svg or font.colr
        data = None if other or not to_unicode else static_subset(font, sorted(to_unicode), hinting)
        if data is None:
            return original(font, to_unicode, hinting)
        font.file_content = data

    pdf_fonts.Font.clean = clean
    try:
        yield
    finally:
        pdf_fonts.Font.clean = original


# The renderer's font configuration and URL fetcher are not pickled with the pages: they are written as a name
# and read back as the loading renderer's own. A reducer for their two types (looked up by the pickler in C) and
# not a persistent_id hook, which Python would call for every one of the millions of objects of a book's pages.
_loading: list[dict] = []  # the loading renderer's shared objects, while its pages are read


def _shared(name: str):
    return _loading[-1][name]


class _Pickler(pickle.Pickler):
    def __init__(self, file, renderer: Renderer):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.dispatch_table = {type(renderer.fonts): lambda _: (_shared, ("fonts",)),
                               type(renderer.fetcher): lambda _: (_shared, ("fetcher",))}


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, renderer: Renderer):
        super().__init__(file)
        self.shared = {"fonts": renderer.fonts, "fetcher": renderer.fetcher}

    def load(self):
        _loading.append(self.shared)
        try:
            return super().load()
        finally:
            _loading.pop()


def read_extra(stream) -> object:
    """The plain data stored with pages by ``Renderer.dumps``, read without the pages."""
    return pickle.load(stream)


def _page_labels(roman_pages: int):
    """A finisher that gives the PDF page labels: lower-case roman for the front matter, then arabic from 1."""
    def finish(document, pdf):
        ranges = [0, pydyf.Dictionary({"S": "/r"})]
        if roman_pages:
            ranges += [roman_pages, pydyf.Dictionary({"S": "/D", "St": 1})]
        else:
            ranges = [0, pydyf.Dictionary({"S": "/D", "St": 1})]
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(ranges)})

    return finish


# --- reading the layout -----------------------------------------------------------------------


@dataclass(frozen=True)
class TextLine:
    """A line of the running text (not of a note, a margin or a running head), as laid out on its page."""

    page: int  # index of the page in the rendered document
    top: float  # CSS px from the top of the page
    bottom: float
    baseline: float
    blocks: tuple[dict, ...]  # the blocks that hold it, outermost first: tag, key (unique), class, id, data-*
    ids: frozenset[str]  # the ids of the inline elements it holds (a lemma split over lines is in each)
    first_in_block: bool  # the first line of its innermost block on this page


@dataclass(frozen=True)
class FootArea:
    """Where the series blocks (the apparatus) begin and end in a page's footnote area, and its width."""

    left: float
    width: float
    top: float
    bottom: float


@dataclass(frozen=True)
class OverflowingLine:
    page: str  # its label
    excess: float  # CSS px past the text block
    text: str


class Rendered:
    """A laid-out document and what the build reads off it: where ids landed, lines, first lines of pages."""

    def __init__(self, document, series_placed: dict[int, list[str]] | None = None):
        self.document = document
        # the ids of the entries of the footnote series the layout kept room for, by page index
        self.series_placed = series_placed or {}
        # how what is read off the pages names a page: its number in this document, or a mark (write.units)
        self.label: Callable[[int], str] = _own_number
        self.key: str | None = None  # what it was laid out from, where its maker keeps it (the drawing cache)

    def __len__(self) -> int:
        return len(self.document.pages)

    def anchor_pages(self, last: bool = False) -> dict[str, tuple[int, str]]:
        """Each id's first page (or last, for an element split over a page break), as index and 1-based label."""
        found: dict[str, tuple[int, str]] = {}
        for index, page in enumerate(self.document.pages):
            for ident in page.anchors:
                if last:
                    found[ident] = (index, self.label(index))
                else:
                    found.setdefault(ident, (index, self.label(index)))
        return found

    def below_the_page(self, ids: set[str]) -> list[tuple[str, str]]:
        """Ids (of notes) whose box runs below the foot of their page: (id, the page's label)."""
        found = []
        for number, page in enumerate(self.document.pages):
            for ident, rect in page.anchors.items():
                if ident in ids and rect[3] > page.height + 0.5:
                    found.append((ident, self.label(number)))
        return found

    def overflowing_lines(self) -> list[OverflowingLine]:
        """The first line of each page that runs past the text block into the margin (not counting the words of
        the apparatus laid out only to keep its room, which are set again before they are printed)."""
        found = []
        for number, page in enumerate(self.document.pages):
            page_box = page._page_box
            content_right = page_box.content_box_x() + page_box.width
            for box in _printed(page_box):
                if isinstance(box, LineBox):
                    used = max((c.position_x + c.margin_width() for c in box.children), default=box.position_x)
                    if used > content_right + 1.5:
                        text = "".join(getattr(t, "text", "") for t, _ in _walk(box))[:60]
                        found.append(OverflowingLine(self.label(number), used - content_right, text))
                        break
        return found

    def generated_after(self, attribute: str) -> dict[str, tuple[int, str]]:
        """The text CSS generated after each element carrying ``attribute`` (``::after`` content such as a
        cross-reference's page), by the attribute's value: (page index, text)."""
        found: dict[str, tuple[int, str]] = {}
        for index, page in enumerate(self.document.pages):
            for box, _ in _walk(page._page_box):
                # the text boxes only: the content may be broken over two lines, each a box of its own
                if isinstance(box, TextBox) and (box.element_tag or "").endswith("::after") and box.element is not None:
                    key = box.element.get(attribute)
                    if key is not None:
                        first, text = found.get(key, (index, ""))
                        found[key] = (first, text + box.text)
        return found

    def frames(self) -> list[tuple[float, float, float, float]]:
        """Each page's width and height, and the left and right edges of its text block (CSS px)."""
        return [(p._page_box.margin_width(), p._page_box.margin_height(), p._page_box.content_box_x(),
                 p._page_box.content_box_x() + p._page_box.width) for p in self.document.pages]

    def text_lines(self) -> list[list[TextLine]]:
        """Each page's lines of running text, in reading order."""
        return [list(_text_lines(number, page._page_box)) for number, page in enumerate(self.document.pages)]

    def series_areas(self) -> list[FootArea | None]:
        """For each page, the part of its footnote area the apparatus series fill (None where there are none)."""
        found = []
        for page in self.document.pages:
            area = next((c for c in page._page_box.children if isinstance(c, FootnoteAreaBox)), None)
            first = next((c for c in (area.children if area is not None else ()) if "app-rule" in _classes(c)), None)
            if first is None:
                found.append(None)
                continue
            bottom = area.content_box_y() + area.height
            found.append(FootArea(area.content_box_x(), area.width, first.position_y, bottom))
        return found

    def graft(self, overlay: Rendered, pages: list[int]) -> list[str]:
        """Put the content of overlay page i on page ``pages[i]``: its apparatus blocks (class "app-overlay")
        into the footnote area, in place of the series blocks laid out there; its line numbers (class "ln")
        in the margin, where PDF tagging leaves them out of the reading order. Each number is moved to stand
        on the baseline its ``data-baseline`` gives. Returns what did not fit."""
        problems = []
        for index, number in enumerate(pages):
            page_box = self.document.pages[number]._page_box
            blocks, numbers = [], []
            for box, _ in _walk(overlay.document.pages[index]._page_box):
                box = getattr(box, "_box", box)  # an absolutely positioned box stands behind a placeholder
                if not isinstance(box, BlockBox):
                    continue  # the lines inside the blocks carry their classes too
                if "app-overlay" in _classes(box) and box not in blocks:
                    blocks.append(_in_flow(box))
                elif "ln" in _classes(box) and box not in numbers:
                    numbers.append(_in_flow(box))
            if blocks:
                area = next(c for c in page_box.children if isinstance(c, FootnoteAreaBox))
                first = next(i for i, c in enumerate(area.children) if "app-rule" in _classes(c))
                bottom = area.content_box_y() + area.height
                area.children = list(area.children[:first]) + blocks
                used = max(b.position_y + b.margin_height() for b in blocks)
                if used > bottom + 0.5:
                    problems.append(f"the apparatus of p. {self.label(number)} is {used - bottom:.1f}px taller "
                                    "than the space the layout kept for it")
            if numbers:
                for box in numbers:
                    line = next((b for b, _ in _walk(box) if isinstance(b, LineBox)), None)
                    if line is not None:
                        box.translate(dy=float(box.element.get("data-baseline")) - (line.position_y + line.baseline))
                page_box.children = list(page_box.children) + [_margin_holder(page_box, numbers)]
        return problems

    def sides_shifts(self) -> list[float] | None:
        """How far (CSS px) each page's text block moves when it goes to the other side of the leaf, or None
        where some page cannot (``flip``)."""
        shifts = []
        for page in self.document.pages:
            other = getattr(page._page_box, "edition_other_side", None)
            if other is None:
                return None
            shifts.append(other[0].content_box_x() - page._page_box.content_box_x())
        return shifts

    def flip(self) -> None:
        """Put every page on the other side of the leaf, laid out as it is: its content moved sideways by
        ``sides_shifts``, in the page box and margin boxes of the other side (made with it); links, anchors and
        bookmarks read again. Call only where ``sides_shifts`` is not None."""
        getter = partial(get_image_from_uri, cache={}, url_fetcher=self.document.url_fetcher,
                         options=DEFAULT_OPTIONS)
        for index, page in enumerate(self.document.pages):
            box = page._page_box
            other, margins = box.edition_other_side
            shift = other.content_box_x() - box.content_box_x()
            content = [child for child in box.children if not isinstance(child, MarginBox)]
            for child in content:
                child.translate(dx=shift)
            other.children = tuple(content + margins)
            other.fixed_boxes = box.fixed_boxes
            layout_backgrounds(other, getter)
            self.document.pages[index] = Page(other)

    def renumber(self, first: int) -> None:
        """Print the page numbers a document laid out on its own (from 1) as the book's: page i as ``first + i``.
        The folio is the text of a margin box that reads the page's own number; it is set again in place, moved
        by the difference in width as its box aligns it (the page is not laid out again)."""
        for index, page in enumerate(self.document.pages):
            own, true = str(index + 1), str(first + index)
            if own == true:
                continue
            for margin in page._page_box.children:
                if not isinstance(margin, MarginBox):
                    continue
                boxes = [b for b, _ in _walk(margin) if isinstance(b, TextBox)]
                if len(boxes) == 1 and boxes[0].text.strip() == own:
                    _retext(boxes[0], own, true, margin)

    def replace_generated(self, attribute: str, replacements: dict[str, tuple[str, str]]) -> set[str]:
        """In the text CSS generated after each element carrying ``attribute`` (by its value), put the new words for
        the old where both are as wide (figures of one width, as a cross-reference's page number is printed): the
        line needs no new layout. Returns the values where that could not be done."""
        failed = set(replacements)
        for page in self.document.pages:
            for box, _ in _walk(page._page_box):
                if not (isinstance(box, TextBox) and (box.element_tag or "").endswith("::after")
                        and box.element is not None):
                    continue
                key = box.element.get(attribute)
                if key not in replacements:
                    continue
                old, new = replacements[key]
                if old == new:
                    failed.discard(key)
                elif old in box.text and _width(box, box.text) == _width(box, box.text.replace(old, new)):
                    _retext(box, old, new)
                    failed.discard(key)
        return failed

    def bookmarks(self, numbers: list[int]) -> list[tuple[float, list]]:
        """For each of pages ``numbers``: its height and WeasyPrint's bookmarks on it (level, label, point,
        state), for ``outline``."""
        return [(self.document.pages[i].height, list(self.document.pages[i].bookmarks)) for i in numbers]

    def page_starts(self) -> list[dict]:
        """For each page: the innermost block with an id holding its first line, and that line's words."""
        return [{"page": self.label(number), **(_first_line(page._page_box) or {})}
                for number, page in enumerate(self.document.pages)]


def outline(pages: list[tuple[float, list]]) -> list[Bookmark]:
    """The book's outline from each of its pages' height and bookmarks (``Rendered.bookmarks``), nested by their
    levels as WeasyPrint nests them, at points in PDF units from the foot of the page."""
    tree: list = []
    skipped: list[int] = []
    last_by_depth = [tree]
    level = 0
    for number, (height, bookmarks) in enumerate(pages):
        page = _BookmarkedPage(bookmarks)
        level = make_page_bookmark_tree(page, skipped, last_by_depth, level, number,
                                        Matrix(a=PDF_SCALE, d=-PDF_SCALE, f=height * PDF_SCALE))

    def made(item) -> Bookmark:
        title, (page, x, y), children, state = item
        return Bookmark(title, page, x, y, tuple(made(child) for child in children), state == "closed")

    return [made(item) for item in tree]


@dataclass
class _BookmarkedPage:
    bookmarks: list


def _width(box: TextBox, text: str) -> float:
    """The width of ``text`` set in the style of ``box``, to a hundredth of a CSS pixel."""
    layout = create_layout(text, box.style, None, None, 0)
    try:
        return round(line_size(layout.get_first_line()[0], box.style)[0], 2)
    finally:
        layout.deactivate()


def _retext(box: TextBox, old: str, new: str, margin: MarginBox | None = None) -> None:
    """Put ``new`` for ``old`` in a laid-out text box (shaped again when drawn). In a margin box (sized to its
    content), the margin box keeps the edge its name aligns it by: a "-left" box its left edge, a "-right" box
    its right edge, any other its centre."""
    before = _width(box, box.text)
    box.text = box.text.replace(old, new)
    box.pango_layout.text = box.pango_layout.text.replace(old, new)
    if margin is None:
        return
    after = _width(box, box.text)
    keyword = margin.at_keyword
    shift = 0 if keyword.endswith("-left") else (before - after) if keyword.endswith("-right") else (before - after) / 2
    for holder, _ in _walk(margin):
        if isinstance(holder, (MarginBox, LineBox, TextBox)):
            holder.position_x += shift
            holder.width += after - before


def _own_number(index: int) -> str:
    return str(index + 1)


def _in_flow(box):
    """A box placed absolutely in the overlay, as an ordinary box where it is put (drawn and tagged in order)."""
    box.style = box.style.copy()
    box.style["position"] = "static"
    return box


def _margin_holder(page_box, children) -> MarginBox:
    """A margin box over the whole page holding ``children`` (already placed): printed, but not in the
    structure tree's reading order."""
    holder = MarginBox("@edition-margin", page_box.style)
    holder.position_x = holder.position_y = 0
    for side in ("top", "right", "bottom", "left"):
        for kind in ("margin_", "padding_"):
            setattr(holder, kind + side, 0)
        setattr(holder, f"border_{side}_width", 0)
    holder.width, holder.height = page_box.margin_width(), page_box.margin_height()
    holder.background = None
    holder.children = children
    return holder


_LINE_ATTRIBUTES = ("class", "id", "data-line", "data-n", "data-verse")


def _text_lines(number: int, page_box):
    """The lines of a page's running text, with the blocks that hold them and the ids they carry."""
    root = next((c for c in page_box.children if not isinstance(c, (FootnoteAreaBox, MarginBox))), None)
    if root is None:
        return
    seen_first: set[int] = set()

    def visit(box, blocks):
        element = getattr(box, "element", None)
        if isinstance(box, LineBox):
            ids = frozenset(b.element.get("id") for b, _ in _walk(box)
                            if getattr(b, "element", None) is not None and b.element.get("id"))
            holder = id(blocks[-1]) if blocks else 0
            first = holder not in seen_first
            seen_first.add(holder)
            yield TextLine(number, box.position_y, box.position_y + box.height, box.position_y + box.baseline,
                           tuple({"tag": b.tag, "key": id(b), **{k: b.get(k) for k in _LINE_ATTRIBUTES if b.get(k)}}
                                 for b in blocks),
                           ids, first)
            return
        if element is not None and isinstance(box, BlockBox) and (not blocks or blocks[-1] is not element) \
                and getattr(box, "element_tag", "") not in ("html", "body"):
            blocks = blocks + [element]
        for child in getattr(box, "children", ()):
            if not isinstance(child, (FootnoteAreaBox, MarginBox)):
                yield from visit(child, blocks)

    yield from visit(root, [])


def _printed(box):
    """The boxes under ``box`` but those that only keep the apparatus's room: in a footnote area, what follows
    the first series' rule."""
    yield box
    children = list(getattr(box, "children", ()))
    if isinstance(box, FootnoteAreaBox):
        rule = next((i for i, child in enumerate(children) if "app-rule" in _classes(child)), len(children))
        children = children[:rule]
    for child in children:
        yield from _printed(child)


def _walk(box, in_footnote=False):
    yield box, in_footnote
    for child in getattr(box, "children", ()):
        yield from _walk(child, in_footnote or isinstance(child, FootnoteAreaBox))


def _first_line(page_box):
    stack = [(page_box, None)]
    while stack:
        box, ident = stack.pop(0)
        if isinstance(box, (FootnoteAreaBox, MarginBox)):
            continue
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "element_tag", "") not in ("html", "body"):
            element_id = element.get("id") if hasattr(element, "get") else None
            if element_id and isinstance(box, BlockBox):
                ident = element_id  # the block holding the line: its words are searched for the line
        if isinstance(box, LineBox):
            text = " ".join("".join(getattr(t, "text", "") for t, footnote in _walk(box) if not footnote).split())
            if text:
                return {"anchor": ident, "words": text[:80]}
            continue
        stack = [(child, ident) for child in getattr(box, "children", ())] + stack
    return None
