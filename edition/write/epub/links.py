"""Links inside the EPUB: cross-references to their file and id, lemmas to their textual notes and back."""

from __future__ import annotations

from ...diagnostics import Diagnostic, Severity
from ...model import Book
from ..layout import Layout
from ..links import LinkTargets
from .xhtml import XHTML, Chapter, classes, new_element


def resolve_links(book: Book, chapters: list[Chapter], layout: Layout) -> list[Diagnostic]:
    """Every link's href as file#id; a link that reaches nothing loses its href and is reported."""
    targets = LinkTargets(book)
    file_of: dict[str, str] = {}
    for chapter in chapters:
        for ident in chapter.ids():
            file_of.setdefault(ident, chapter.name)
    found = []
    entries = {e.anchor_id: e for e in book.textual}
    for chapter in chapters:
        for link in chapter.root.iter(f"{{{XHTML}}}a"):
            href = link.get("href")
            target = link.get("data-target")
            if target:
                link.attrib.pop("data-target")
                href = f"#{targets.destination(target, notes_are_places=True)}"
                if "ptr" in (link.get("class") or "") and not (link.text or "").strip() and not len(link):
                    link.text = "see " + (f"p. {layout.anchors[target]}" if target in layout.anchors else "here")
            if href and href.startswith("#"):
                ident = href[1:]
                name = file_of.get(ident)
                if name is None:
                    found.append(Diagnostic("(epub)", 0, 0, Severity.WARNING, "epub-link",
                                            f"link to #{ident} in {chapter.name} reaches nothing"))
                    link.attrib.pop("href", None)
                    continue
                link.set("href", f"#{ident}" if name == chapter.name else f"{name}#{ident}")
        _link_lemmas(chapter, entries, file_of)
    return found


def _link_lemmas(chapter: Chapter, entries: dict, file_of: dict[str, str]) -> None:
    """Lemmas and emendations in the text link to their textual note; the note links back."""
    for span in chapter.root.iter(f"{{{XHTML}}}span"):
        cls = classes(span)
        ident = span.get("id")
        if ident in entries and ("lemma" in cls or "emendation" in cls):
            target = f"tn-{ident}"
            name = file_of.get(target)
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
