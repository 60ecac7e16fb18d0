"""The EPUB package: OPF metadata (accessibility included), manifest and spine, and a reproducible zip."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from ebooklib import epub
from lxml import etree

from ... import XML_LANG
from ...model import Metadata
from ...words import Words
from ..assets import STYLES
from .cover import make_cover
from .navigation import navigation, toc_links
from .xhtml import Chapter


def write_package(meta: Metadata, chapters: list[Chapter], markers: list[tuple[str, str, str]],
                  out_path: Path, faces: tuple[Path, Path], words: Words,
                  images: list[tuple[str, str, bytes]]) -> None:
    """The EPUB file, written to a temporary file and moved into place; ``images``: (file name, media type,
    content) of the texts' images."""
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"edition:{meta.id}")))
    book.set_title(meta.title)
    book.set_language(meta.language)
    for author in meta.authors:
        book.add_author(author, file_as=author, role="aut", uid=f"creator-{len(book.metadata)}")
    for number, editor in enumerate(meta.editors):
        book.add_author(editor, role="edt", uid=f"editor-{number}")
    if meta.publisher:
        book.add_metadata("DC", "publisher", meta.publisher)
    rights = " ".join(x for x in (meta.licence, meta.rights) if x)
    if rights:
        book.add_metadata("DC", "rights", rights)
    if meta.subtitle:
        book.add_metadata("DC", "description", meta.subtitle)
    book.add_metadata("DC", "subject", words.subject)
    print_identifier = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"edition:{meta.id}:pdf:{meta.version}"))
    accessibility(book, print_identifier if markers else None)
    modified = modified_date(meta)
    book.add_item(epub.EpubItem(uid="style", file_name="styles/epub.css", media_type="text/css",
                                content=(STYLES / "epub.css").read_bytes()))
    cover_image = epub.EpubItem(uid="cover-image", file_name="images/cover.png", media_type="image/png",
                                content=make_cover(meta, *faces, words))
    cover_image.properties = ["cover-image"]
    book.add_item(cover_image)
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    for number, (name, media_type, content) in enumerate(images, start=1):
        book.add_item(epub.EpubItem(uid=f"figure-{number}", file_name=name, media_type=media_type, content=content))
    items = []
    for number, chapter in enumerate(chapters):
        item = epub.EpubItem(uid=f"doc-{number:03d}", file_name=chapter.name, media_type="application/xhtml+xml",
                             content=chapter.serialize())
        book.add_item(item)
        items.append(item)
    nav = epub.EpubItem(uid="nav", file_name="nav.xhtml", media_type="application/xhtml+xml",
                        content=navigation(meta, chapters, markers, words))
    nav.properties = ["nav"]
    book.add_item(nav)
    book.toc = toc_links(chapters)
    book.add_item(epub.EpubNcx())
    book.spine = [(items[0], "no"), (nav, "no")] + items[1:]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    epub.write_epub(buffer, book, {"epub3_pages": False, "epub3_landmark": False, "mtime": modified,
                                   "play_order": {"enabled": True, "start_from": 1}})
    temporary = out_path.with_name(f".{out_path.name}.partial")
    temporary.write_bytes(normalise_zip(buffer.getvalue(), modified, meta.language))
    temporary.replace(out_path)


def modified_date(meta: Metadata) -> datetime:
    """The edition's date (the latest change in its header), so that two builds are byte-identical."""
    date = meta.date or "2000-01-01"
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return datetime(parts[0], parts[1] if len(date) > 4 else 1, parts[2] if len(date) > 7 else 1,
                    tzinfo=UTC)


def accessibility(book, page_source: str | None) -> None:
    """EPUB Accessibility 1.1 discovery metadata; the page features only where the page-list exists."""
    def meta(prop: str, value: str, **extra):
        book.add_metadata(None, "meta", value, {"property": prop, **extra})

    meta("schema:accessMode", "textual")
    meta("schema:accessMode", "visual")  # the cover image, which has a text alternative
    meta("schema:accessModeSufficient", "textual")
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "alternativeText", "index",
                "annotations", "displayTransformability"]
    if page_source:
        features += ["pageNavigation", "printPageNumbers", "pageBreakMarkers"]
    for feature in features:
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary",
         "A critical edition in reflowable text with a navigable table of contents, headings in order, "
         "footnotes marked as such with links back to the text, indexes of names and works whose locators link "
         "to each occurrence, and the print edition's page numbers. The cover image has a text alternative. "
         "Foreign-language passages are marked with their language.")
    if page_source:
        meta("pageBreakSource", page_source)
    # No dcterms:conformsTo: conformance is claimed only after an audit (Ace or a person), not yet made.


def normalise_zip(data: bytes, modified: datetime, language: str) -> bytes:
    """ebooklib stamps dcterms:modified and the zip entries with the clock; the edition's date is used instead.
    It writes no language on the package either: the book's is added (the OPF's own text is in it)."""
    stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".opf"):
                content = re.sub(rb'(<meta property="dcterms:modified">)[^<]*(</meta>)',
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
                content = package_language(content, language)
            fixed = zipfile.ZipInfo(info.filename, date_time=modified.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()


def package_language(opf: bytes, language: str) -> bytes:
    """The OPF with ``xml:lang`` on its package element."""
    root = etree.fromstring(opf)
    root.set(XML_LANG, language)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)
