"""One book from PDFs drawn apart: their pages in order, one structure tree, one set of named destinations, the
book's outline and page labels, written object by object as each part is read (with pikepdf), so that no more
than one part is held at a time.

Each part of the book (the front matter, a text, a part of the back matter) is drawn by WeasyPrint into a PDF of
its own, on a worker process and kept in the build folder, so that a rebuild draws again only what changed. A part
links to places in other parts by name: it was drawn with a stand-in for each such name (WeasyPrint drops a link
to a name it does not know), and only the part that holds the place gives the book its destination.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary

from .faces import united_program

# the catalog entries of the first part that stand for the whole book (PDF/UA: language, tagging, metadata)
_CATALOG = ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata")
# in an object as pikepdf writes it: a literal string (its parentheses escaped) or a hex string, kept as they are;
# a reference, renumbered
_TOKEN = re.compile(rb"(\((?:[^\\()]|\\.)*\)|<[0-9A-Fa-f\s]*>)|(\d+) \d+ R", re.S)
_PER_STREAM = 200  # objects packed in one object stream


@dataclass(frozen=True)
class Drawn:
    """One part of the book as a PDF, and the named destinations it holds (the others it names are stand-ins)."""

    data: bytes
    places: frozenset[str]
    programs: tuple[tuple[str, bytes], ...] | None = None  # its faces' programs (``programs_of``), if read already


@dataclass(frozen=True)
class Bookmark:
    """An entry of the outline: its title, the book's page (from 0) and point it opens at, and its entries."""

    title: str
    page: int
    x: float
    y: float
    children: tuple[Bookmark, ...] = ()
    closed: bool = False


def combine(parts: list[Drawn], path: Path, roman_pages: int, outline: list[Bookmark], cache=None) -> list[str]:
    """Write the book at ``path`` (through a temporary file moved into place): the parts' pages in order, the
    first part's document information, language and metadata, page labels (the first ``roman_pages`` i, ii, ...,
    then 1, 2, ...), and ``outline``; each face's program once (``shared_programs``, the unions kept in
    ``cache`` where given). Returns the names links point to that no part holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            book = _Book(_Writer(out), shared_programs(parts, cache))
            for number, part in enumerate(parts):
                book.add(part, first=number == 0)
            book.finish(roman_pages, outline)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return sorted(book.linked - set(book.destinations))


class _Book:
    """The book as its parts are added: their objects written at once under new numbers, and what the book's own
    objects (pages, structure tree, destinations) will hold."""

    def __init__(self, writer: _Writer, programs: dict[str, bytes] | None = None):
        self.writer = writer
        self.programs: dict[str, int] = {}  # a face's one program for every part, by the face's font name
        for name, data in (programs or {}).items():
            self.programs[name] = writer.reserve()
            packed = zlib.compress(data, 6)
            writer.put_stream(self.programs[name], b"<< /Length1 %d /Filter /FlateDecode /Length %d >>"
                              % (len(data), len(packed)), packed)
        self.catalog, self.pages, self.tree, self.document = (writer.reserve() for _ in range(4))
        self.page_numbers: list[int] = []
        self.top: list[int] = []  # the structure elements under the Document element
        self.parent_tree: list[bytes] = []  # key and value of each entry of the parent tree
        self.key = 0  # the parent tree's next key
        self.destinations: dict[str, bytes] = {}
        self.linked: set[str] = set()  # the names links point to
        self.catalog_entries: dict[str, bytes] = {}
        self.info: int | None = None
        self.digest = hashlib.md5(usedforsecurity=False)  # the file identifier: the same parts, the same one

    def add(self, part: Drawn, first: bool) -> None:
        """Write a part's objects but those the book makes its own (catalog, page tree, structure root, names,
        outline; the metadata but the first part's), each reference renumbered, its pages' and annotations'
        parent-tree keys moved past those of the parts before."""
        self.digest.update(part.data)
        source = pikepdf.open(io.BytesIO(part.data))
        root = source.Root
        tree = root.get("/StructTreeRoot")
        own = _document_element(tree) if tree is not None else None
        left = _own_objects(source, keep_metadata=first)
        numbers = {root.Pages.objgen[0]: self.pages}
        if own is not None:
            numbers[own.objgen[0]] = self.document
        for name, program in _programs(source):
            if name in self.programs:
                numbers[program.objgen[0]] = self.programs[name]
                left.add(program.objgen)
        objects = [o for o in source.objects if o.objgen not in left and o.objgen != (0, 0)
                   and not (isinstance(o, pikepdf.Stream) and o.get("/Type") in ("/ObjStm", "/XRef"))]
        for item in objects:
            numbers[item.objgen[0]] = self.writer.reserve()
        highest = -1
        if tree is not None:
            values = tree.ParentTree.get("/Nums", [])
            for index in range(0, len(values), 2):
                highest = max(highest, int(values[index]))
                self.parent_tree.append(b"%d %s" % (self.key + int(values[index]),
                                                    _written(values[index + 1], numbers)))
            self.top += [numbers[kid.objgen[0]] for kid in own.get("/K", []) if isinstance(kid, Dictionary)]
        for page in source.pages:
            self.page_numbers.append(numbers[page.obj.objgen[0]])
            if "/StructParents" in page.obj:
                page.obj.StructParents = self.key + int(page.obj.StructParents)
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = self.key + int(annotation.StructParent)
                if isinstance(annotation.get("/Dest"), pikepdf.String):
                    self.linked.add(str(annotation.Dest))
        self.key += highest + 1
        names = root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
        for index in range(0, len(names), 2):
            name = str(names[index])
            if name in part.places and name not in self.destinations:
                self.destinations[name] = _written(names[index + 1], numbers)
        if first:
            self.catalog_entries = {name: _written(root[name], numbers) for name in _CATALOG if name in root}
            if source.trailer.get("/Info") is not None:
                self.info = numbers[source.trailer.Info.objgen[0]]
        for item in objects:
            if isinstance(item, pikepdf.Stream):
                data = item.read_raw_bytes()
                item.stream_dict.Length = len(data)
                self.writer.put_stream(numbers[item.objgen[0]], _renumbered(
                    item.stream_dict.unparse(resolved=True), numbers), data)
            else:
                self.writer.put(numbers[item.objgen[0]], _renumbered(item.unparse(resolved=True), numbers))
        source.close()

    def finish(self, roman_pages: int, outline: list[Bookmark]) -> None:
        """The book's own objects: page tree, structure tree, destinations, outline, page labels, catalog."""
        put, references = self.writer.put, _references
        put(self.pages, b"<< /Type /Pages /Count %d /Kids [ %s ] >>"
            % (len(self.page_numbers), references(self.page_numbers)))
        put(self.document, b"<< /Type /StructElem /S /Document /P %d 0 R /K [ %s ] >>"
            % (self.tree, references(self.top)))
        parent = self.writer.reserve()
        put(parent, b"<< /Nums [ %s ] >>" % b" ".join(self.parent_tree))
        put(self.tree, b"<< /Type /StructTreeRoot /K [ %d 0 R ] /ParentTree %d 0 R /ParentTreeNextKey %d >>"
            % (self.document, parent, self.key))
        dests = self.writer.reserve()
        put(dests, b"<< /Names [ %s ] >>" % b" ".join(
            pikepdf.String(name).unparse() + b" " + self.destinations[name] for name in sorted(self.destinations)))
        labels = (b"[ 0 << /S /r >> %d << /S /D /St 1 >> ]" % roman_pages if roman_pages
                  else b"[ 0 << /S /D /St 1 >> ]")
        entries = b"".join(b" %s %s" % (name.encode(), value) for name, value in self.catalog_entries.items())
        if outline:
            entries += b" /Outlines %d 0 R /PageMode /UseOutlines" % self._outline(outline)
        put(self.catalog, b"<< /Type /Catalog /Pages %d 0 R /StructTreeRoot %d 0 R /Names << /Dests %d 0 R >> "
            b"/PageLabels << /Nums %s >>%s >>" % (self.pages, self.tree, dests, labels, entries))
        self.writer.finish(self.catalog, self.info, self.digest.hexdigest().encode())

    def _outline(self, items: list[Bookmark]) -> int:
        top = self.writer.reserve()
        first, last, count = self._outline_items(items, top)
        self.writer.put(top, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (first, last, count))
        return top

    def _outline_items(self, items: list[Bookmark], parent: int) -> tuple[int, int, int]:
        numbers = [self.writer.reserve() for _ in items]
        count = len(items)
        for index, (item, number) in enumerate(zip(items, numbers, strict=True)):
            extra = b""
            if item.children:
                first, last, inner = self._outline_items(list(item.children), number)
                extra += b" /First %d 0 R /Last %d 0 R /Count %d" % (first, last, -inner if item.closed else inner)
                count += 0 if item.closed else inner
            if index:
                extra += b" /Prev %d 0 R" % numbers[index - 1]
            if index + 1 < len(items):
                extra += b" /Next %d 0 R" % numbers[index + 1]
            self.writer.put(number, b"<< /Title %s /Parent %d 0 R /Dest [ %d 0 R /XYZ %s %s 0 ]%s >>" % (
                pikepdf.String(item.title).unparse(), parent, self.page_numbers[item.page], _real(item.x),
                _real(item.y), extra))
        return numbers[0], numbers[-1], count


def shared_programs(parts: list[Drawn], cache=None) -> dict[str, bytes]:
    """For each face the parts embed, by its font name: one program holding the glyphs of all
    (``faces.united_program``); faces that cannot be united are left out, and the parts keep their own.
    ``cache`` (a ``units.LayoutCache``) keeps each union for the next build, which mostly has the same parts."""
    found: dict[str, dict[bytes, None]] = {}
    for part in parts:
        for name, program in part.programs if part.programs is not None else programs_of(part.data):
            found.setdefault(name, {})[program] = None
    shared = {}
    for name, programs in found.items():
        if len(programs) == 1:
            shared[name] = next(iter(programs))
            continue
        key = cache.key("united face", name, *sorted(hashlib.sha256(p).hexdigest() for p in programs)) \
            if cache is not None else None
        united = cache.get(key) if key else None
        if united is None:
            united = united_program(list(programs)) or b""  # empty: cannot be united
            if key:
                cache.put(key, united)
        if united:
            shared[name] = united
    return shared


def programs_of(data: bytes) -> tuple[tuple[str, bytes], ...]:
    """The programs of the faces a PDF drawn by WeasyPrint embeds, each with its font name (read where the part
    is drawn, and kept with it, so that the book is combined without opening each part twice)."""
    with pikepdf.open(io.BytesIO(data)) as source:
        return tuple((name, program.read_bytes()) for name, program in _programs(source))


def _programs(source) -> list[tuple[str, pikepdf.Stream]]:
    """The TrueType programs of the fonts a part's pages (and the forms they draw) use, each by the font name of
    its descriptor (WeasyPrint names a subset after the face's description: the same name in every part for the
    same face). Read from the pages' resources, not from every object of the part (tens of thousands of tags)."""
    found, seen = {}, set()
    stack = [page.obj.get("/Resources") for page in source.pages]
    while stack:
        resources = stack.pop()
        if not isinstance(resources, Dictionary) or (resources.is_indirect and resources.objgen in seen):
            continue
        if resources.is_indirect:
            seen.add(resources.objgen)
        for font in resources.get("/Font", {}).values():
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get("/FontDescriptor", {})
                program = descriptor.get("/FontFile2")
                if isinstance(program, pikepdf.Stream) and program.is_indirect and "/FontName" in descriptor:
                    found[program.objgen] = (str(descriptor.FontName), program)
        stack += [form.get("/Resources") for form in resources.get("/XObject", {}).values()
                  if isinstance(form, pikepdf.Stream)]
    return list(found.values())


def _own_objects(source, keep_metadata: bool) -> set[tuple[int, int]]:
    """The objects of a part the book makes its own, and so does not take: catalog, page tree, structure root,
    Document element and parent tree, named destinations, outline; its metadata and information unless asked."""
    root = source.Root
    found = {root.objgen, root.Pages.objgen}
    tree = root.get("/StructTreeRoot")
    if tree is not None:
        found |= {tree.objgen, _document_element(tree).objgen, tree.ParentTree.objgen}
    names = root.get("/Names")
    if names is not None:
        found |= {o.objgen for o in (names, names.get("/Dests")) if o is not None and o.is_indirect}
    outline = root.get("/Outlines")
    stack = [outline] if outline is not None else []
    while stack:
        entry = stack.pop()
        if entry is not None:
            found.add(entry.objgen)
            stack += [entry.get("/First"), entry.get("/Next")]
    if not keep_metadata:
        metadata = root.get("/Metadata")
        if metadata is not None and metadata.is_indirect:
            found.add(metadata.objgen)
        if source.trailer.get("/Info") is not None:
            found.add(source.trailer.Info.objgen)
    found.discard((0, 0))  # a direct object's
    return found


def _document_element(tree):
    """The element a structure tree's root holds: WeasyPrint's one Document element."""
    return tree.K[0] if isinstance(tree.K, Array) else tree.K


def _written(value, numbers: dict[int, int]) -> bytes:
    """A value of a part (a reference if indirect) as the book writes it."""
    return _renumbered(b"%d 0 R" % value.objgen[0] if value.is_indirect else value.unparse(resolved=True), numbers)


def _renumbered(body: bytes, numbers: dict[int, int]) -> bytes:
    """``body`` with each reference to an object of its part put as the book's (null where the book does not
    take the object)."""
    def swap(match):
        reference = match.group(2)
        if reference is None:
            return match.group(1)
        new = numbers.get(int(reference))
        return b"%d 0 R" % new if new else b"null"
    return _TOKEN.sub(swap, body)


def _references(numbers: list[int]) -> bytes:
    return b" ".join(b"%d 0 R" % number for number in numbers)


def _real(value: float) -> bytes:
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".") or b"0"


class _Writer:
    """A PDF written object by object: streams at their offsets, other objects packed in compressed object
    streams, and a cross-reference stream at the end."""

    def __init__(self, out):
        self.out = out
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.entries: dict[int, tuple[int, int, int]] = {}  # number -> (type, offset or stream, index)
        self.count = 0
        self.packed: list[tuple[int, bytes]] = []

    def reserve(self) -> int:
        self.count += 1
        return self.count

    def put(self, number: int, body: bytes) -> None:
        self.packed.append((number, body))
        if len(self.packed) >= _PER_STREAM:
            self.flush()

    def put_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        self.entries[number] = (1, self.out.tell(), 0)
        self.out.write(b"%d 0 obj\n%s\nstream\n" % (number, dictionary))
        self.out.write(data)
        self.out.write(b"\nendstream\nendobj\n")

    def flush(self) -> None:
        if not self.packed:
            return
        number = self.reserve()
        header, offset = [], 0
        for index, (member, body) in enumerate(self.packed):
            header.append(b"%d %d" % (member, offset))
            offset += len(body) + 1
            self.entries[member] = (2, number, index)
        first = b" ".join(header) + b"\n"
        data = zlib.compress(first + b"\n".join(body for _, body in self.packed), 6)
        self.put_stream(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>"
                        % (len(self.packed), len(first), len(data)), data)
        self.packed = []

    def finish(self, root: int, info: int | None, identifier: bytes) -> None:
        self.flush()
        number = self.reserve()
        self.entries[number] = (1, self.out.tell(), 0)
        rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
        for member in range(1, number + 1):
            kind, second, third = self.entries.get(member, (0, 0, 0))
            rows.append(bytes([kind]) + second.to_bytes(4, "big") + third.to_bytes(2, "big"))
        # each row as its difference from the row above (PNG's "Up" predictor): the columns change slowly
        above, predicted = bytes(7), []
        for row in rows:
            predicted.append(b"\x02" + bytes((a - b) & 0xFF for a, b in zip(row, above, strict=True)))
            above = row
        data = zlib.compress(b"".join(predicted), 9)
        information = b" /Info %d 0 R" % info if info else b""
        self.out.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %d 0 R%s /ID [ <%s> <%s> ] /Filter "
                       b"/FlateDecode /DecodeParms << /Columns 7 /Predictor 12 >> /Length %d >>\nstream\n"
                       % (number, number + 1, root, information, identifier, identifier, len(data)))
        self.out.write(data)
        self.out.write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % self.entries[number][1])
