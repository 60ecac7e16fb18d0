"""Load every TEI file of an edition with one hardened parser, keeping line and column positions."""

from __future__ import annotations

import bisect
import re
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from . import XI_NS, XML_ID
from .diagnostics import Diagnostic, Severity

MANIFEST_NAME = "edition.xml"
SKIPPED_FOLDERS = {"schema", "build", "node_modules"}
ORIGIN_ATTR = "{urn:x-edition}origin"
MAX_FILE_BYTES = 50 * 1024 * 1024

# No DTD, no entity expansion, no network: a TEI file is data, never instructions to fetch.
_PARSER_OPTIONS = dict(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    collect_ids=False,
    remove_blank_text=False,
)

_DOCTYPE = re.compile(rb"<!DOCTYPE\b[^\[>]*(\[(?P<subset>.*?)\]\s*)?>", re.S)
_ENTITY_DECL = re.compile(rb"<!ENTITY\b")
_TAG_SCAN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE\b[^\[>]*(?:\[.*?\])?\s*>"
    r"|<(?P<name>[A-Za-z_][\w.\-]*(?::[\w.\-]+)?)",
    re.S,
)


def make_parser() -> etree.XMLParser:
    return etree.XMLParser(**_PARSER_OPTIONS)


@dataclass
class Document:
    """One parsed TEI file and the means to say where any of its elements stands in the source."""

    path: Path
    display: str
    tree: etree._ElementTree
    source: str
    _tag_offsets: list[int] = field(default_factory=list, repr=False)
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _order: dict | None = field(default=None, repr=False)
    included: dict = field(default_factory=dict, repr=False)

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    def _scan(self) -> None:
        if self._line_starts:
            return
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.source)]
        self._tag_offsets = [m.start() for m in _TAG_SCAN.finditer(self.source) if m.group("name")]

    def _line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def locate(self, element: etree._Element, attribute: str | None = None) -> tuple[str, int, int]:
        """``(display path, line, column)`` of an element's start tag, or of one of its attributes."""
        origin = element
        while origin is not None and origin.get(ORIGIN_ATTR) is None:
            origin = origin.getparent()
        if origin is not None and origin.get(ORIGIN_ATTR) in self.included:
            return self.included[origin.get(ORIGIN_ATTR)].locate_in_copy(origin, element, attribute)
        return self._locate_own(element, attribute, self.root, 0)

    def locate_in_copy(self, copy_root, element, attribute):
        source_root = self.root
        start = 0
        ident = copy_root.get(XML_ID)
        if ident is not None and source_root.get(XML_ID) != ident:
            for index, candidate in enumerate(source_root.iter(etree.Element)):
                if candidate.get(XML_ID) == ident:
                    start = index
                    break
        return self._locate_own(element, attribute, copy_root, start)

    def _locate_own(self, element, attribute, subtree_root, start) -> tuple[str, int, int]:
        line = element.sourceline or 0
        self._scan()
        if subtree_root is self.root:
            if self._order is None:
                self._order = {el: i for i, el in enumerate(self.root.iter(etree.Element))}
            index = self._order.get(element)
        else:
            index = next(
                (i for i, el in enumerate(subtree_root.iter(etree.Element)) if el is element), None
            )
        if index is None or start + index >= len(self._tag_offsets):
            return self.display, line, 0
        offset = self._tag_offsets[start + index]
        tag_line, column = self._line_col(offset)
        if line and tag_line != line and abs(tag_line - line) > 3:
            return self.display, line, 0
        if attribute:
            end = self.source.find(">", offset)
            local = attribute.rsplit("}", 1)[-1]
            prefix = "xml:" if attribute.startswith("{http://www.w3.org/XML/1998/namespace}") else ""
            hit = re.compile(rf"\s{re.escape(prefix + local)}\s*=").search(self.source, offset, end)
            if hit:
                return (self.display, *self._line_col(hit.start() + 1))
        return self.display, tag_line, column


@dataclass
class Edition:
    """Every document of an edition, the folder it lives in, and which documents to report on."""

    root_dir: Path
    documents: list[Document]
    manifest: Document | None
    file_count: int
    focus: set[Path] | None = None
    unreadable_ids: set[str] = field(default_factory=set)  # ids of files that could not be parsed

    def document(self, path: Path) -> Document | None:
        path = path.resolve()
        return next((d for d in self.documents if d.path == path), None)

    def in_focus(self, document: Document) -> bool:
        return self.focus is None or document.path in self.focus


def display_path(path: Path) -> str:
    """A path as the editor typed it: relative to the working folder where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def find_edition_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path`` holding an ``edition.xml``."""
    folder = path if path.is_dir() else path.parent
    for candidate in [folder, *folder.parents]:
        if (candidate / MANIFEST_NAME).is_file():
            return candidate
    return None


def edition_files(folder: Path) -> list[Path]:
    return sorted(
        p.resolve()
        for p in folder.rglob("*.xml")
        if not any(part in SKIPPED_FOLDERS or part.startswith(".") for part in p.relative_to(folder).parts[:-1])
    )


def load_edition(paths: list[Path]) -> tuple[Edition, list[Diagnostic]]:
    """Load the edition the given paths belong to.

    A folder is an edition. A file inside an edition (a folder above it holds ``edition.xml``)
    loads that whole edition, so its pointers resolve, but only that file is reported on. A file
    anywhere else is an edition of one text.
    """
    paths = [p.resolve() for p in paths]
    focus: set[Path] | None = None
    folders = [p for p in paths if p.is_dir()]
    if folders:
        root_dir = folders[0]
        files = edition_files(root_dir)
        for extra in paths:
            if extra.is_file() and extra not in files:
                files.append(extra)
    else:
        root = find_edition_root(paths[0])
        if root is not None and all(root in p.parents for p in paths):
            root_dir, files, focus = root, edition_files(root), set(paths)
        else:
            root_dir, files = paths[0].parent, paths
    diagnostics: list[Diagnostic] = []
    documents: list[Document] = []
    unreadable_ids: set[str] = set()
    for path in files:
        document, found = load_document(path, root_dir)
        diagnostics.extend(found)
        if document is not None:
            documents.append(document)
        else:
            # its ids, read off the raw text, so pointers into it are not reported as broken too
            raw = path.read_bytes() if path.is_file() else b""
            unreadable_ids |= {m.decode("utf-8", "replace") for m in re.findall(rb'xml:id="([^"]+)"', raw)}
    manifest = next((d for d in documents if d.path == root_dir / MANIFEST_NAME), None)
    edition = Edition(root_dir, documents, manifest, len(files), focus, unreadable_ids)
    if focus is not None:
        diagnostics = [d for d in diagnostics if any(d.path == display_path(p) for p in focus)]
    return edition, diagnostics


def load_document(path: Path, root_dir: Path,
                  _seen: frozenset = frozenset()) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one file; on any failure return a diagnostic with a location instead of a tree."""
    shown = display_path(path)

    def fail(line: int, column: int, rule: str, message: str):
        return None, [Diagnostic(shown, line, column, Severity.ERROR, rule, message)]

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(0, 0, "xml-too-large", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
        data = path.read_bytes()
    except OSError as error:
        return fail(0, 0, "file-unreadable", f"cannot read file: {error.strerror or error}")
    if not data.strip():
        return fail(1, 1, "xml-empty", "file is empty; a TEI document needs at least a <TEI> root element")
    doctype = _DOCTYPE.search(data)
    if doctype and doctype.group("subset") and _ENTITY_DECL.search(doctype.group("subset")):
        offset = doctype.start("subset") + _ENTITY_DECL.search(doctype.group("subset")).start()
        line = data.count(b"\n", 0, offset) + 1
        column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        return fail(
            line,
            column,
            "xml-entity",
            "entity declarations are refused (they can fetch files or expand without limit); "
            "write the characters themselves instead of &name; references",
        )
    if doctype:
        # The DTD is never read, so its declaration is blanked out (keeping every line and column)
        # rather than left for libxml2 to try to fetch.
        blank = re.sub(rb"[^\n]", b" ", data[doctype.start():doctype.end()])
        data = data[:doctype.start()] + blank + data[doctype.end():]
    try:
        tree = etree.ElementTree(etree.fromstring(data, make_parser(), base_url=path.as_uri()))
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (error.lineno or 0, 0)
        message = str(error.msg or error).split(f" ({path}")[0]
        message = re.sub(r", line \d+, column \d+$", "", message)
        if "UTF-8" in message or "encoding" in message.lower():
            return fail(line, column, "xml-encoding", f"{message}; save the file as UTF-8")
        return fail(line, column, "xml-malformed", f"not well-formed XML: {message}")
    encoding = tree.docinfo.encoding or "UTF-8"
    try:
        source = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        source = data.decode("utf-8", errors="replace")
    document = Document(path, shown, tree, source)
    diagnostics = [
        Diagnostic(
            *document.locate(entity.getparent()),
            Severity.ERROR,
            "xml-entity",
            f"entity reference {entity.text} is not expanded (no DTD is read); write the character itself",
        )
        for entity in tree.iter(etree.Entity)
    ]
    diagnostics += _expand_xincludes(document, root_dir, _seen | {path})
    return document, diagnostics


def _expand_xincludes(document: Document, root_dir: Path, seen: frozenset) -> list[Diagnostic]:
    """XInclude, restricted to files inside the edition's folder and to whole files or one ``xml:id``."""
    diagnostics = []
    for include in list(document.root.iter(f"{{{XI_NS}}}include")):
        href = include.get("href", "")
        where = document.locate(include, "href")

        def refuse(message: str, where=where) -> None:
            diagnostics.append(Diagnostic(*where, Severity.ERROR, "xinclude-refused", message))

        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            refuse(f'XInclude href "{href}" is a URL; only files inside the edition folder may be included')
            continue
        target = (document.path.parent / parts.path).resolve()
        if not target.is_relative_to(root_dir):
            refuse(f'XInclude href "{href}" leaves the edition folder {display_path(root_dir)}')
            continue
        if target in seen:
            refuse(f'XInclude href "{href}" includes itself (a cycle)')
            continue
        if include.get("parse") == "text":
            try:
                text = target.read_text(encoding=include.get("encoding") or "utf-8")
            except (OSError, UnicodeDecodeError) as error:
                refuse(f'XInclude href "{href}" cannot be read as text: {error}')
                continue
            _replace_with_text(include, text)
            continue
        included, found = load_document(target, root_dir, seen)
        diagnostics.extend(found)
        if included is None:
            continue
        node = included.root
        pointer = include.get("xpointer")
        if pointer:
            node = next((el for el in included.root.iter() if el.get(XML_ID) == pointer), None)
            if node is None:
                refuse(f'XInclude xpointer "{pointer}" names no xml:id in {included.display}')
                continue
        copy = deepcopy(node)
        key = str(len(document.included))
        copy.set(ORIGIN_ATTR, key)
        document.included[key] = included
        copy.tail = include.tail
        include.getparent().replace(include, copy)
    return diagnostics


def _replace_with_text(include: etree._Element, text: str) -> None:
    parent = include.getparent()
    previous = include.getprevious()
    addition = text + (include.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + addition
    else:
        parent.text = (parent.text or "") + addition
    parent.remove(include)
