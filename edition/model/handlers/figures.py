"""Tables and figures: every row and cell of a table; an image the edition holds, or a placeholder saying what is
not shown (an image is never fetched from the web)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from ... import local_name, tei
from ..html import BLOCK_PARENTS, add_element
from ..plain import plain_text
from ..registry import Display, generic, handles

generic("figDesc", display=Display.INLINE)

# The image formats both books show (WeasyPrint, and EPUB 3's core media types).
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml", ".webp": "image/webp"}


@handles("figure", display=Display.BLOCK)
def figure(walk, source, parent):
    """Its images; its heading as the caption; its description is each image's text alternative, printed only
    where no image is shown; whatever else it holds, as it stands."""
    in_line = walk.in_note or parent.tag not in BLOCK_PARENTS
    element = add_element(parent, "span" if in_line else "figure", "figure")
    walk.keep_identity(source, element)
    description = " ".join(plain_text(d) for d in source.findall(tei("figDesc")))
    head = source.find(tei("head"))
    alternative = description or (plain_text(head) if head is not None else "")
    graphics = source.findall(tei("graphic"))
    if source.text and source.text.strip():
        walk.text(element, source.text)
    for child in source:
        name = local_name(child)
        if name == "graphic":
            show_graphic(walk, child, element, alternative)
        elif name == "head":
            walk.wrap(child, element, "span" if in_line else "figcaption", "caption")
        elif name == "figDesc":
            if not graphics:  # a figure the encoding describes but does not reproduce
                placeholder(walk, element, plain_text(child))
        elif name:
            walk.convert(child, element)
        if child.tail and child.tail.strip():
            walk.text(element, child.tail)


@handles("graphic", display=Display.INLINE)
def graphic(walk, source, parent):
    """An image outside a figure: shown, or a placeholder with its description."""
    description = " ".join(plain_text(d) for d in source.findall(tei("desc")))
    show_graphic(walk, source, parent, description)


def show_graphic(walk, source, parent, alternative: str) -> None:
    """The image a <graphic> names, where the edition holds it in a format both books show; else a placeholder
    with its description (or its file name) and a warning."""
    url = (source.get("url") or "").strip()
    path, problem = local_image(walk, url)
    if path is not None:
        element = add_element(parent, "img", "graphic")
        element.set("src", path.as_uri())
        element.set("alt", alternative)
    else:
        walk.state.warn(walk.document, source, "render-placeholder",
                        f'the image "{url[:200]}" {problem}; a placeholder with its description is printed instead',
                        attribute="url" if url else None)
        element = placeholder(walk, parent, alternative or Path(urlsplit(url).path).name or url)
    if url:
        element.set("data-url", url)
    walk.keep_identity(source, element)


def placeholder(walk, parent, words: str):
    element = add_element(parent, "span", "figure-placeholder")
    element.text = f"[{walk.state.words.figure}: {words}]" if words else f"[{walk.state.words.figure}]"
    return element


def local_image(walk, url: str) -> tuple[Path | None, str]:
    """The image file a URL names inside the edition, or None and what keeps it from being shown."""
    if not url:
        return None, "is not named (the graphic has no @url)"
    parts = urlsplit(url)
    if parts.scheme and parts.scheme != "file" and len(parts.scheme) > 1:  # "C:" is a drive, not a scheme
        return None, "is not a file of the edition (the build never fetches anything)"
    relative = unquote(parts.path if parts.scheme == "file" else url.split("#")[0].split("?")[0])
    root = walk.state.edition.root_dir.resolve()
    path = (walk.document.path.parent / relative).resolve()
    if not path.is_relative_to(root):
        return None, "is outside the edition's folder"
    if not path.is_file():
        return None, "is not in the edition's folder"
    if path.suffix.lower() not in IMAGE_TYPES:
        kind = path.suffix or "file without extension"
        return None, f"is a {kind}, which the books cannot show (PNG, JPEG, GIF, SVG or WebP can)"
    return path, ""


@handles("table", display=Display.BLOCK)
def table(walk, source, parent):
    """Its heading as the caption, every row and cell (with the columns and rows a cell spans), and whatever else
    it holds (a note, a milestone, words) in a row of its own: nothing in a table is dropped."""
    element = add_element(parent, "table", "table")
    walk.keep_identity(source, element)
    width = max([sum(_span(c, "cols") for c in row.findall(tei("cell"))) for row in source.findall(tei("row"))]
                or [1])
    caption = loose = None

    def loose_cell():
        nonlocal loose
        if loose is None:
            loose = add_element(add_element(element, "tr", "table-text"), "td")
            if width > 1:
                loose.set("colspan", str(width))
        return loose

    if source.text and source.text.strip():
        walk.text(loose_cell(), source.text)
    for child in source:
        name = local_name(child)
        if name == "head" and caption is None:
            caption = add_element(element, "caption")
            element.insert(0, caption)  # HTML's caption comes first, wherever the TEI has its head
            walk.children(child, caption)
        elif name == "row":
            _row(walk, child, element)
            loose = None
        elif name:
            walk.convert(child, loose_cell())
        if child.tail and child.tail.strip():
            walk.text(loose_cell(), child.tail)


def _row(walk, row, table) -> None:
    element = add_element(table, "tr")
    walk.keep_identity(row, element)
    cell = None
    if row.text and row.text.strip():
        cell = add_element(element, "td")
        walk.text(cell, row.text)
    for child in row:
        if local_name(child) == "cell":
            cell = add_element(element, "th" if child.get("role") == "label" else "td")
            for attribute, html in (("cols", "colspan"), ("rows", "rowspan")):
                if _span(child, attribute) > 1:
                    cell.set(html, str(_span(child, attribute)))
            walk.keep_identity(child, cell)
            walk.children(child, cell)
        elif isinstance(child.tag, str):
            cell = cell if cell is not None else add_element(element, "td")
            walk.convert(child, cell)
        if child.tail and child.tail.strip():
            cell = cell if cell is not None else add_element(element, "td")
            walk.text(cell, child.tail)


def _span(cell, attribute: str) -> int:
    value = (cell.get(attribute) or "1").strip()
    return int(value) if value.isdigit() and int(value) > 0 else 1
