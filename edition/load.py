"""Load every TEI file of an edition with one hardened parser, keeping line and column positions."""

from __future__ import annotations

import bisect
import errno
import re
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from . import TEI_NS, XI_NS, XML_ID, XML_NS, tei
from .diagnostics import Diagnostic, Severity, shorten

SKIPPED_FOLDERS = {"schema", "build", "node_modules"}
ORIGIN_ATTR = "{urn:x-edition}origin"
MAX_FILE_BYTES = 50 * 1024 * 1024
# What libxml2 reads without XML_PARSE_HUGE (which stays off): one text, comment or attribute value, one name.
MAX_TEXT_BYTES = 10_000_000
MAX_NAME_CHARS = 50_000
# WeasyPrint runs out of Python stack at about 130 nested divisions, or 25 notes inside notes; the TEI
# seen so far (the Serge edition, the foreign files) nests at most 12 elements and 1 note deep.
MAX_DEPTH = 64
MAX_NOTE_DEPTH = 8
# A manifest is a list of pointers: a folder's files larger than this are not read to look for one.
MAX_MANIFEST_BYTES = 2 * 1024 * 1024
# What a manifest is made of: parts, their headings, lists of pointers to the texts.
_MANIFEST_ELEMENTS = {tei(n) for n in ("div", "head", "list", "item", "ptr", "label")}
_MANIFEST_WORDS = {tei("head"), tei("label")}

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
# Start tags in document order; comments, CDATA, processing instructions and the DOCTYPE hold none.
_TAG_SCAN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE\b[^\[>]*(?:\[.*?\])?\s*>"
    r"|<(?P<name>[^\s/!?<>])",
    re.S,
)
# The rest of a start tag: a '>' inside a quoted attribute value does not end it.
_TAG_REST = re.compile(r"""(?:[^"'>]|"[^"]*"|'[^']*')*>""")
_ATTRIBUTE = re.compile(r"""\s([^\s=/>]+)\s*=\s*(?:"[^"]*"|'[^']*')""")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def make_parser() -> etree.XMLParser:
    return etree.XMLParser(**_PARSER_OPTIONS)


# --- references to files ------------------------------------------------------------------------


def is_url(reference: str) -> bool:
    """``http://...``, ``urn:...``, ``//host/...``: never a file of the edition, never fetched."""
    return bool(_SCHEME.match(reference)) or reference.startswith("//")


def split_reference(reference: str) -> tuple[str, str]:
    """``(path, fragment)`` of a relative reference such as ``persons.xml#lenin``."""
    path, _, fragment = reference.partition("#")
    return path.partition("?")[0], fragment


def local_file(folder: Path, path: str) -> Path | None:
    """The file a reference's (percent-encoded) path names from ``folder``; None if no file could have that name."""
    name = unquote(path)
    if "\0" in name:
        return None
    try:
        return (folder / name).resolve()
    except (OSError, ValueError, RuntimeError):
        return None


def file_status(path: Path) -> str:
    """``"file"``, ``"folder"``, ``"missing"``, or ``"unnameable"`` (longer than a file name may be)."""
    try:
        if path.is_dir():
            return "folder"
        return "file" if path.is_file() else "missing"
    except OSError as error:
        return "unnameable" if error.errno == errno.ENAMETOOLONG else "missing"
    except ValueError:
        return "unnameable"


# --- documents -----------------------------------------------------------------------------------


@dataclass
class Document:
    """One parsed TEI file and the means to say where any of its elements stands in the source."""

    path: Path
    display: str
    tree: etree._ElementTree
    source: str
    # XInclude copies in this tree: key -> (the included document, the element copied from it)
    included: dict = field(default_factory=dict, repr=False)
    _order: dict | None = field(default=None, repr=False)
    _tag_offsets: list[int] = field(default_factory=list, repr=False)
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _attributes: dict = field(default_factory=dict, repr=False)
    _originals: dict = field(default_factory=dict, repr=False)
    _located: dict = field(default_factory=dict, repr=False)
    _offsets: dict = field(default_factory=dict, repr=False)

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    def number_elements(self) -> None:
        """Pair each element with its start tag in the source; done before XInclude adds or removes any."""
        self._order = {el: i for i, el in enumerate(self.root.iter(etree.Element))}

    def locate(self, element: etree._Element, attribute: str | None = None) -> tuple[str, int, int]:
        """``(display path, line, column)`` of an element's start tag, or of one of its attributes."""
        key = (element, attribute)
        if key not in self._located:
            self._located[key] = self._locate(element, attribute)
        return self._located[key]

    def _locate(self, element, attribute) -> tuple[str, int, int]:
        copy_root = None  # the outermost XInclude copy holding the element: the one this document made
        if self.included:
            for candidate in (element, *element.iterancestors()):
                if candidate.get(ORIGIN_ATTR) in self.included:
                    copy_root = candidate
        if copy_root is None:
            return self._locate_own(element, attribute)
        included, node = self.included[copy_root.get(ORIGIN_ATTR)]
        originals = self._originals.get(copy_root)
        if originals is None:
            originals = self._originals[copy_root] = dict(zip(copy_root.iter(), node.iter(), strict=True))
        original = originals.get(element)
        if original is None:
            return included.display, element.sourceline or 0, 0
        return included.locate(original, attribute)

    def _scan(self) -> None:
        if self._line_starts:
            return
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.source)]
        self._tag_offsets = [m.start() for m in _TAG_SCAN.finditer(self.source) if m.group("name")]

    def _line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def _locate_own(self, element, attribute) -> tuple[str, int, int]:
        offset = self._tag_offset(element)
        if offset is None:
            return self.display, element.sourceline or 0, 0  # the scan and the parser disagree: the line is sure
        if attribute:
            found = self._attribute_offset(offset, attribute)
            if found is not None:
                return (self.display, *self._line_col(found))
        return (self.display, *self._line_col(offset))

    def _tag_offset(self, element) -> int | None:
        """Where the element's start tag begins in the source, checked against its name."""
        if element not in self._offsets:
            self._offsets[element] = self._find_tag(element)
        return self._offsets[element]

    def _find_tag(self, element) -> int | None:
        if self._order is None:
            self.number_elements()
        self._scan()
        index = self._order.get(element)
        if index is None or index >= len(self._tag_offsets):
            return None
        offset = self._tag_offsets[index]
        local = etree.QName(element).localname
        # as written: with its prefix, or without (TEI read into its namespace here has a prefix lxml made up)
        for name in ([f"{element.prefix}:{local}", local] if element.prefix else [local]):
            after = offset + 1 + len(name)
            if self.source[offset + 1:after] == name and (
                    after >= len(self.source) or self.source[after].isspace() or self.source[after] in "/>"):
                return offset
        return None

    def _attribute_offset(self, offset: int, attribute: str) -> int | None:
        """Where an attribute (Clark notation) is written in the start tag at ``offset``."""
        if offset not in self._attributes:
            rest = _TAG_REST.match(self.source, offset)
            end = rest.end() if rest else offset
            written: dict[str, int] = {}
            prefixed: dict[str, int] = {}  # by local name, for attributes in a namespace other than xml:
            for match in _ATTRIBUTE.finditer(self.source, offset, end):
                written.setdefault(match.group(1), match.start(1))
                prefix, _, local = match.group(1).rpartition(":")
                if prefix and prefix != "xml":
                    prefixed.setdefault(local, match.start(1))
            self._attributes[offset] = (written, prefixed)
        written, prefixed = self._attributes[offset]
        namespace, _, local = attribute[1:].partition("}") if attribute.startswith("{") else ("", "", attribute)
        if namespace == XML_NS:
            return written.get(f"xml:{local}")
        return prefixed.get(local) if namespace else written.get(local)


@dataclass
class Edition:
    """Every document of an edition, the folder it lives in, and which documents to report on."""

    root_dir: Path
    documents: list[Document]
    manifest: Document | None
    file_count: int
    focus: set[Path] | None = None
    unreadable_ids: set[str] = field(default_factory=set)  # ids of files that could not be parsed

    def document(self, path: Path | None) -> Document | None:
        """The document read from ``path``, if it is one of the edition's."""
        try:
            path = path.resolve() if path is not None else None
        except (OSError, ValueError, RuntimeError):
            return None
        return next((d for d in self.documents if d.path == path), None) if path is not None else None

    def in_focus(self, document: Document) -> bool:
        return self.focus is None or document.path in self.focus


@dataclass(eq=False)
class Member(Document):
    """A ``TEI`` written inside a ``teiCorpus`` file: a text of the edition on its own, with its own header,
    located in the corpus's file."""

    corpus: Document | None = None
    element: etree._Element | None = None
    name: str = ""  # unique in the edition: the text's id where the TEI has no xml:id

    @property
    def root(self) -> etree._Element:
        return self.element

    def locate(self, element: etree._Element, attribute: str | None = None) -> tuple[str, int, int]:
        return self.corpus.locate(element, attribute)


def corpus_members(document: Document) -> list[tuple[etree._Element | None, list[Member]]]:
    """The texts written inside a ``teiCorpus``, in order, grouped by the corpus they stand in: (None, texts)
    for those directly in it, (the inner ``teiCorpus``, texts) for each corpus inside it (its texts at any
    depth). Empty for any other document."""
    root = document.root
    if root.tag != tei("teiCorpus"):
        return []
    stem = re.sub(r"\W+", "-", document.path.stem)
    count = 0

    def member(element: etree._Element) -> Member:
        nonlocal count
        count += 1
        return Member(document.path, document.display, document.tree, document.source, corpus=document,
                      element=element, name=f"{stem}-{count}")

    groups: list[tuple[etree._Element | None, list[Member]]] = []
    for child in root:
        if child.tag == tei("TEI"):
            if not groups or groups[-1][0] is not None:
                groups.append((None, []))
            groups[-1][1].append(member(child))
        elif child.tag == tei("teiCorpus"):
            groups.append((child, [member(e) for e in child.iter(tei("TEI"))]))
    return [(corpus, texts) for corpus, texts in groups if texts]


def display_path(path: Path) -> str:
    """A path as the editor typed it: relative to the working folder where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


# --- manifests, by what they contain ---------------------------------------------------------------


def is_manifest(root: etree._Element) -> bool:
    """A ``teiCorpus``, or a TEI whose text is nothing but parts, their headings and pointers to files.

    Such a file lists the texts of an edition and prints nothing of its own; any other text in it
    (a verse, a paragraph, a title page) makes it a text, whatever the file is called.
    """
    if root.tag == tei("teiCorpus"):
        return True
    text = root.find(tei("text")) if root.tag == tei("TEI") else None
    if text is None or text.find(tei("body")) is None:
        return False
    pointers = 0
    for division in text:
        if not isinstance(division.tag, str):
            continue
        if division.tag not in (tei("front"), tei("body"), tei("back")):
            return False
        if (division.text or "").strip():
            return False
        for element in division.iterdescendants():
            heading = next((a for a in element.iterancestors() if a.tag in _MANIFEST_WORDS), None)
            if heading is not None:
                continue  # a part's heading may hold any words and markup: the books print it
            if (element.tail or "").strip():
                return False
            if not isinstance(element.tag, str):
                continue
            if element.tag not in _MANIFEST_ELEMENTS:
                return False
            if element.tag not in _MANIFEST_WORDS and (element.text or "").strip():
                return False
            if element.tag == tei("ptr"):
                target = element.get("target") or ""
                if target and not target.startswith("#") and not is_url(target):
                    pointers += 1
    return pointers > 0


def _manifest_in(folder: Path) -> Path | None:
    """The first file directly in ``folder`` that is a manifest by its content."""
    try:
        candidates = sorted(p for p in folder.glob("*.xml") if p.is_file())
    except OSError:
        return None
    for path in candidates:
        try:
            if path.stat().st_size > MAX_MANIFEST_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        if b"teiCorpus" not in data and b"ptr" not in data:
            continue
        try:
            root = etree.fromstring(_blank_doctype(data), make_parser())
        except (etree.LxmlError, ValueError):
            continue
        if is_manifest(root):
            return path
    return None


def find_edition_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path`` that holds an edition's manifest."""
    folder = path if path.is_dir() else path.parent
    for candidate in [folder, *folder.parents]:
        if _manifest_in(candidate) is not None:
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

    A folder is an edition. A file inside an edition (a folder above it holds a manifest: a file
    whose text is a list of pointers to the texts) loads that whole edition, so its pointers
    resolve, but only that file is reported on. A file anywhere else is an edition of one text.
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
            unreadable_ids |= _ids_in_raw_text(path)
    manifests = [d for d in documents if d.path.parent == root_dir and is_manifest(d.root)]
    manifest = manifests[0] if manifests else None
    edition = Edition(root_dir, documents, manifest, len(files), focus, unreadable_ids)
    if focus is not None:
        diagnostics = [d for d in diagnostics if any(d.path == display_path(p) for p in focus)]
    return edition, diagnostics


def _ids_in_raw_text(path: Path) -> set[str]:
    """The ids of a file that did not parse, read off its bytes, so pointers into it are not reported too."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return set()
        raw = path.read_bytes()
    except OSError:
        return set()
    return {m.decode("utf-8", "replace") for m in re.findall(rb'xml:id="([^"]+)"', raw)}


def _blank_doctype(data: bytes) -> bytes:
    """The DOCTYPE blanked out (keeping every line and column): the DTD is never read or fetched."""
    doctype = _DOCTYPE.search(data)
    if not doctype:
        return data
    blank = re.sub(rb"[^\n]", b" ", data[doctype.start():doctype.end()])
    return data[:doctype.start()] + blank + data[doctype.end():]


def load_document(path: Path, root_dir: Path,
                  _seen: frozenset = frozenset()) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one file; on any failure return a diagnostic with a location instead of a tree."""
    shown = display_path(path)

    def fail(line: int, column: int, rule: str, message: str, before: list[Diagnostic] = ()):
        return None, [*before, Diagnostic(shown, line, column, Severity.ERROR, rule, message)]

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(1, 1, "xml-too-large", f"the file is {_megabytes(size)}; the limit is "
                                               f"{_megabytes(MAX_FILE_BYTES)}")
        data = path.read_bytes()
    except (OSError, ValueError) as error:
        return fail(0, 0, "file-unreadable", f"cannot read file: {getattr(error, 'strerror', None) or error}")
    if not data.strip():
        return fail(1, 1, "xml-empty", "file is empty; a TEI document needs at least a <TEI> root element")
    doctype = _DOCTYPE.search(data)
    if doctype and doctype.group("subset") and _ENTITY_DECL.search(doctype.group("subset")):
        offset = doctype.start("subset") + _ENTITY_DECL.search(doctype.group("subset")).start()
        return fail(
            *_byte_position(data, offset),
            "xml-entity",
            "entity declarations are refused (they can fetch files or expand without limit); "
            "write the characters themselves instead of &name; references",
        )
    data = _blank_doctype(data)
    try:
        tree = etree.ElementTree(etree.fromstring(data, make_parser(), base_url=path.as_uri()))
    except etree.XMLSyntaxError as error:
        return fail(*_explain_syntax_error(error, data, path))
    except (etree.LxmlError, ValueError, LookupError) as error:
        return fail(1, 1, "xml-malformed", f"not well-formed XML: {' '.join(str(error).split())}")
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
            f"entity reference {shorten(entity.text)} is not expanded (no DTD is read); write the character itself",
        )
        for entity in tree.iter(etree.Entity)
    ]
    if document.root.find(f".//{{{XI_NS}}}include") is not None or document.root.tag == f"{{{XI_NS}}}include":
        document.number_elements()
        diagnostics += _expand_xincludes(document, root_dir, _seen | {path})
        if document.root.tag == f"{{{XI_NS}}}include":
            return None, diagnostics  # the file is nothing but an XInclude it cannot follow: nothing was read
    too_deep = _too_deep(document)
    if too_deep is not None:
        return None, diagnostics + [too_deep]
    if document.root.tag in ("TEI", "teiCorpus"):  # TEI written without its namespace: read as TEI, and said
        diagnostics.append(Diagnostic(
            *document.locate(document.root), Severity.WARNING, "tei-namespace-missing",
            f"<{document.root.tag}> has no namespace, so this is not TEI as written; its elements are read as TEI's: "
            f'write <{document.root.tag} xmlns="{TEI_NS}">'))
        for element in document.root.iter(etree.Element):
            if not element.tag.startswith("{"):
                element.tag = tei(element.tag)
    return document, diagnostics


def _too_deep(document: Document) -> Diagnostic | None:
    """Nesting deeper than the books can be laid out, at the first element too deep."""
    depth = notes = 0
    for event, element in etree.iterwalk(document.root, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        step = 1 if event == "start" else -1
        depth += step
        if element.tag == tei("note"):
            notes += step
        if event == "end":
            continue
        if depth > MAX_DEPTH:
            message = (f"elements are nested {depth} deep here; the books can be laid out at most "
                       f"{MAX_DEPTH} deep: flatten the nesting")
        elif notes > MAX_NOTE_DEPTH:
            message = (f"a <note> inside {notes - 1} other notes; notes can be nested at most "
                       f"{MAX_NOTE_DEPTH} deep in a book")
        else:
            continue
        return Diagnostic(*document.locate(element), Severity.ERROR, "xml-too-deep", message)
    return None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def _byte_offset(data: bytes, line: int, column: int) -> int:
    offset = 0
    for _ in range(max(line - 1, 0)):
        offset = data.find(b"\n", offset) + 1
        if offset == 0:
            return len(data)
    return min(offset + max(column - 1, 0), len(data))


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB" if size >= 1_000_000 else f"{size:,} bytes"


# libxml2's limits without XML_PARSE_HUGE, as (what its message says, what ran too long, its start, its end)
_LIMITS = [
    ("Text node too long", "a stretch of text without markup", b">", b"<"),
    ("huge text node", "a stretch of text without markup", b">", b"<"),
    ("Comment too big", "a comment", b"<!--", b"-->"),
    ("CData section too big", "a CDATA section", b"<![CDATA[", b"]]>"),
    ("too big found", "a processing instruction", b"<?", b"?>"),
]


def _explain_syntax_error(error: etree.XMLSyntaxError, data: bytes, path: Path) -> tuple[int, int, str, str]:
    """libxml2's complaint as one line in the editor's words: ``(line, column, rule, message)``."""
    line, column = error.position if error.position else (error.lineno or 0, 0)
    message = " ".join(str(error.msg or error).split(f" ({path}")[0].split())
    message = re.sub(r", line \d+, column \d+$", "", message)
    offset = _byte_offset(data, line, column)
    if "Excessive depth" in message:
        return line, column, "xml-too-deep", (f"elements are nested more than 256 deep; the books can be laid out "
                                              f"at most {MAX_DEPTH} deep: flatten the nesting")
    if "Buffer size limit exceeded" in message or "AttValue length too long" in message:
        start, end = _attribute_around(data, offset)
        line, column = _byte_position(data, start)
        return line, column, "xml-too-large", (
            f"an attribute value of {_megabytes(end - start)} at line {line} is longer than the "
            f"{_megabytes(MAX_TEXT_BYTES)} this tool reads; move the data out of the attribute")
    for said, what, opening, closing in _LIMITS:
        if said in message:
            start = data.rfind(opening, 0, offset)
            start = start + len(opening) if start >= 0 and opening == b">" else max(start, 0)
            end = data.find(closing, offset)
            end = len(data) if end < 0 else end
            line, column = _byte_position(data, start)
            return line, column, "xml-too-large", (
                f"{what} of {_megabytes(end - start)} at line {line} is longer than the "
                f"{_megabytes(MAX_TEXT_BYTES)} this tool reads; split it")
    if "Name too long" in message:
        return line, column, "xml-too-large", (
            f"an element or attribute name at line {line} is longer than the {MAX_NAME_CHARS:,} characters "
            "this tool reads")
    character = re.search(r"Char 0x([0-9A-Fa-f]+) out of allowed range|invalid Char value (\d+)"
                          r"|invalid xmlChar value (\d+)", message)
    if character:
        code = int(character.group(1), 16) if character.group(1) else int(character.group(2) or character.group(3))
        return line, column, "xml-malformed", (
            f"not well-formed XML: the character U+{code:04X} is not allowed in XML; remove it")
    if "UTF-8" in message or "encoding" in message.lower():
        return line, column, "xml-encoding", f"{message}; save the file as UTF-8"
    return line, column, "xml-malformed", f"not well-formed XML: {message}"


def _attribute_around(data: bytes, offset: int) -> tuple[int, int]:
    """Start of the attribute (its name) whose value runs through ``offset``, and the end of that value."""
    for quote in sorted((data.rfind(b'"', 0, offset), data.rfind(b"'", 0, offset)), reverse=True):
        if quote <= 0:
            continue
        before = data[:quote].rstrip()
        if before.endswith(b"="):
            name = re.search(rb"[^\s=]+\s*$", before[:-1])
            end = data.find(data[quote:quote + 1], quote + 1)
            return (name.start() if name else quote), (len(data) if end < 0 else end)
    return offset, len(data)


def _expand_xincludes(document: Document, root_dir: Path, seen: frozenset) -> list[Diagnostic]:
    """XInclude, restricted to files inside the edition's folder and to whole files or one ``xml:id``.

    Every refusal is reported at the ``xi:include`` that asked for the file.
    """
    diagnostics = []
    for include in list(document.root.iter(f"{{{XI_NS}}}include")):
        href = include.get("href", "")
        where = document.locate(include, "href" if include.get("href") is not None else None)
        shown = shorten(href)

        def refuse(message: str, where=where) -> None:
            diagnostics.append(Diagnostic(*where, Severity.ERROR, "xinclude-refused", message))

        parent = include.getparent()
        if parent is None:
            refuse(f'XInclude href "{shown}" is the root element of the file; an XInclude can only add to an element')
            continue
        if is_url(href):
            refuse(f'XInclude href "{shown}" is a URL; only files inside the edition folder may be included')
            continue
        path_part, _ = split_reference(href)
        target = local_file(document.path.parent, path_part) if path_part else document.path
        if target is None:
            refuse(f'XInclude href "{shown}" cannot name a file (it holds a NUL character)')
            continue
        if not target.is_relative_to(root_dir):
            refuse(f'XInclude href "{shown}" leaves the edition folder {display_path(root_dir)}')
            continue
        if target in seen:
            refuse(f'XInclude href "{shown}" includes itself (a cycle)')
            continue
        status = file_status(target)
        if status != "file":
            reason = {"folder": "names a folder, not a file", "missing": "names a file that is not there",
                      "unnameable": "is longer than a file name may be"}[status]
            refuse(f'XInclude href "{shown}" {reason}')
            continue
        parse = include.get("parse", "xml")
        if parse == "text":
            try:
                text = target.read_text(encoding=include.get("encoding") or "utf-8")
            except (OSError, UnicodeDecodeError, LookupError, ValueError) as error:
                refuse(f'XInclude href "{shown}" cannot be read as text: {shorten(str(error))}')
                continue
            try:
                _replace_with_text(include, text)
            except ValueError:
                refuse(f'XInclude href "{shown}" holds characters XML does not allow (it is not a text file)')
            continue
        if parse != "xml":
            refuse(f'XInclude parse="{shorten(parse)}" is neither "xml" nor "text"')
            continue
        included, found = load_document(target, root_dir, seen)
        for diagnostic in found:
            if diagnostic.line:
                diagnostics.append(diagnostic)
            else:  # the file as a whole could not be read: say so where it was asked for
                refuse(f'XInclude href "{shown}": {diagnostic.message}')
        if included is None:
            continue
        node = included.root
        pointer = include.get("xpointer")
        if pointer:
            node = next((el for el in included.root.iter() if el.get(XML_ID) == pointer), None)
            if node is None:
                refuse(f'XInclude xpointer "{shorten(pointer)}" names no xml:id in {included.display}')
                continue
        copy = deepcopy(node)
        key = str(len(document.included))
        copy.set(ORIGIN_ATTR, key)
        document.included[key] = (included, node)
        copy.tail = include.tail
        parent.replace(include, copy)
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
