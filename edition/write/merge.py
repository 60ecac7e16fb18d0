"""One book from PDFs drawn apart: their pages in order, one structure tree, one set of named destinations, the
book's outline and page labels (with pikepdf, on qpdf).

Each part of the book (the front matter, a text, the back matter) is drawn by WeasyPrint into a PDF of its own,
on a worker process and kept in the build folder, so that a rebuild draws again only what changed. A part links
to places in other parts by name: it was drawn with a stand-in for each such name (WeasyPrint drops a link to a
name it does not know), and only the part that holds the place gives the book its destination.
"""

from __future__ import annotations

import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

# the catalog entries of the first part that stand for the whole book (PDF/UA: language, tagging, metadata)
_CATALOG = ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata")


@dataclass(frozen=True)
class Drawn:
    """One part of the book as a PDF, and the named destinations it holds (the others it names are stand-ins)."""

    data: bytes
    places: frozenset[str]


@dataclass(frozen=True)
class Bookmark:
    """An entry of the outline: its title, the book's page (from 0) and point it opens at, and its entries."""

    title: str
    page: int
    x: float
    y: float
    children: tuple[Bookmark, ...] = ()
    closed: bool = False


def combine(parts: list[Drawn], path: Path, roman_pages: int, outline: list[Bookmark]) -> list[str]:
    """Write the book at ``path`` (through a temporary file moved into place): the parts' pages in order, the
    first part's document information, language and metadata, page labels (the first ``roman_pages`` i, ii, ...,
    then 1, 2, ...), and ``outline``. Returns the names links point to that no part holds."""
    book = pikepdf.new()
    document = book.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    parent_tree = Array()
    root = book.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    destinations: dict[str, object] = {}
    key = 0
    for number, part in enumerate(parts):
        source = pikepdf.open(io.BytesIO(part.data))
        if number == 0:
            for name in _CATALOG:
                if name in source.Root:
                    book.Root[name] = _copy(book, source, source.Root[name])
            book.docinfo = _copy(book, source, source.docinfo)
        first = len(book.pages)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)  # the named destinations are copied below
            book.pages.extend(source.pages)
        key = _join_structure(book, source, document, parent_tree, first, key)
        names = source.Root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
        for index in range(0, len(names), 2):
            name = str(names[index])
            if name in part.places and name not in destinations:
                destinations[name] = _copy(book, source, names[index + 1])
    root.ParentTree = book.make_indirect(Dictionary(Nums=parent_tree))
    root.ParentTreeNextKey = key
    book.Root.StructTreeRoot = root
    book.Root.Names = Dictionary(Dests=book.make_indirect(Dictionary(Names=Array(
        [item for name in sorted(destinations) for item in (String(name), destinations[name])]))))
    ranges = [0, Dictionary(S=Name("/r")), roman_pages, Dictionary(S=Name.D, St=1)] if roman_pages \
        else [0, Dictionary(S=Name.D, St=1)]
    unplaced = sorted({str(annotation.Dest) for page in book.pages for annotation in page.obj.get("/Annots", [])
                       if isinstance(annotation.get("/Dest"), String) and str(annotation.Dest) not in destinations})
    book.Root.PageLabels = Dictionary(Nums=Array(ranges))
    if outline:
        book.Root.Outlines = _outline(book, outline)
        book.Root.PageMode = Name.UseOutlines
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    try:
        book.save(temporary, min_version="1.7", object_stream_mode=pikepdf.ObjectStreamMode.generate)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return unplaced


def _join_structure(book, source, document, parent_tree, first: int, key: int) -> int:
    """Put a part's structure elements under the book's one Document element, and its parent tree's entries in
    the book's, each key moved past those of the parts before (the pages and link annotations that name them
    are moved alike). Returns the next free key."""
    tree = source.Root.get("/StructTreeRoot")
    if tree is None:
        return key
    own = tree.K[0] if isinstance(tree.K, Array) else tree.K
    for element in list(own.get("/K", [])):
        if isinstance(element, Dictionary):
            del element.P  # not copied: it is the part's own Document element, set to the book's below
            copied = book.copy_foreign(element)
            copied.P = document
            document.K.append(copied)
    numbers = tree.ParentTree.get("/Nums", [])
    highest = -1
    for index in range(0, len(numbers), 2):
        parent_tree.append(key + int(numbers[index]))
        parent_tree.append(_copy(book, source, numbers[index + 1]))
        highest = max(highest, int(numbers[index]))
    for page in book.pages[first:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = key + int(page.obj.StructParents)
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = key + int(annotation.StructParent)
    return key + highest + 1


def _copy(book, source, value):
    """``value`` of ``source`` as an object of ``book`` (what it refers to copied once for all the part)."""
    if isinstance(value, (Dictionary, Array)) or getattr(value, "is_indirect", False):
        return book.copy_foreign(value if value.is_indirect else source.make_indirect(value))
    return value


def _outline(book, items: list[Bookmark]):
    top = book.make_indirect(Dictionary(Type=Name.Outlines))
    first, last, count = _outline_items(book, items, top)
    top.First, top.Last, top.Count = first, last, count
    return top


def _outline_items(book, items, parent):
    made, count = [], len(items)
    for item in items:
        entry = book.make_indirect(Dictionary(
            Title=String(item.title), Parent=parent,
            Dest=Array([book.pages[item.page].obj, Name.XYZ, item.x, item.y, 0])))
        if item.children:
            first, last, inner = _outline_items(book, item.children, entry)
            entry.First, entry.Last = first, last
            entry.Count = -inner if item.closed else inner
            count += 0 if item.closed else inner
        if made:
            entry.Prev = made[-1]
            made[-1].Next = entry
        made.append(entry)
    return made[0], made[-1], count
