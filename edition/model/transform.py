"""The walk: each TEI text becomes model HTML through the handler registry, collecting notes, entries and names."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_ID, XML_LANG, local_name, tei
from ..check.rules import finding
from ..config import EditionSettings
from ..diagnostics import Diagnostic
from ..load import Document, Edition
from ..words import words_for
from . import handlers  # noqa: F401  (registers every handler)
from .book import Note, Occurrence, RegisterEntry, TextualEntry
from .handlers.core import render_note
from .html import BLOCK_PARENTS, add_element, append_text, set_apart, trim_end
from .registry import Display, decision_for, is_block
from .rendition import presentation

# Children that make a generically rendered element a block (labels and bibliographic references do not).
_INLINE_EVEN_IF_BLOCK = {tei("label"), tei("bibl")}
# Empty elements whose handler places the notes attached to them itself.
_MILESTONES = {"anchor", "pb", "lb", "cb", "milestone"}
_DETACHED_PARENTS = {"div", "back", "front", "body", "noteGrp", "listAnnotation", "standOff"}


class BookState:
    """What the walks of all texts share: the id counter, collected notes, entries and names, the registers."""

    def __init__(self, edition: Edition, registers: dict[str, dict[str, RegisterEntry]],
                 sigla: dict[str, str], witness_groups: list[tuple[str, frozenset[str]]],
                 settings: EditionSettings):
        self.edition = edition
        self.note_settings = settings.notes
        self.words = words_for(settings.language.matter)
        self.note_counts: dict[str, int] = {}  # calls so far in the book, by series (notes numbered through)
        self.counter = 0
        self.notes: list[Note] = []
        self.textual: list[TextualEntry] = []
        self.occurrences: list[Occurrence] = []
        self.register_index = {ident: kind for kind, entries in registers.items() for ident in entries}
        self.sigla = sigla
        self.witness_groups = witness_groups
        self.warned: set[tuple[str, str]] = set()  # (rule, key) of the warnings given once
        self.warnings: list[Diagnostic] = []
        self.div_depth: list[int] = []
        self.in_header = False
        self.text_of_path: dict[Path, str] = {}

    def register_kind(self, ident: str) -> str | None:
        return self.register_index.get(ident)

    def sigla_for(self, tokens: list[str]) -> tuple[str, ...]:
        """The sigla a reading prints for its @wit and @source pointers; a group's siglum for all its members."""
        idents = [token.lstrip("#").split("#")[-1] for token in tokens]
        for group, members in self.witness_groups:
            if members <= set(idents):
                first = min(idents.index(m) for m in members)
                idents = [i for i in idents if i not in members]
                idents.insert(first, f"\0{group}")
        return tuple(i[1:] if i.startswith("\0") else self.sigla.get(i, i) for i in idents)

    def warn(self, document: Document, element, rule: str, message: str, once: str | None = None,
             attribute: str | None = None) -> None:
        """A warning of the walk at an element; with ``once``, only the first time that key is met."""
        if once is not None:
            if (rule, once) in self.warned:
                return
            self.warned.add((rule, once))
        self.warnings.append(finding(document, element, rule, message, attribute))

    def unknown(self, document: Document, element, name: str) -> None:
        """An element without a rendering decision: one warning per element name."""
        shown = "block" if is_block(name if name.startswith("{") else tei(name)) else "inline"
        self.warn(document, element, "render-generic", f"<{name}> has no dedicated rendering; it is printed as "
                  f"plain {shown} text (reported once per element name)", once=name)


class TextWalk:
    """Walks one TEI text into model HTML; handlers receive it and call back into it for their children."""

    def __init__(self, state: BookState, document: Document, text_id: str, siglum: str):
        self.state = state
        self.document = document
        self.text_id = text_id
        self.siglum = siglum
        self.note_counts: dict[str, int] = {}  # calls so far in this text, by series
        self.in_note = 0
        self.verse_count = 0  # the number of the last verse line counted
        self.verse_lines: list[str] = []  # the numbers of the verse lines walked so far, in order
        self.open_lines: list[str] = []  # the verse lines the walk is inside
        self.detached, self.notes_at = detached_notes(document)
        self.joining = False  # inside a word broken by a line or page break (break="no"): no space follows

    def join_word(self, parent) -> None:
        """The word before a break with break="no" goes on after it: no white space on either side."""
        trim_end(parent)
        self.joining = True

    def text(self, target, text: str) -> None:
        """Text into ``target``; right after a break inside a word, without its leading white space."""
        if self.joining:
            text = text.lstrip()
            if not text:
                return
            self.joining = False
        append_text(target, text)

    def new_id(self, prefix: str) -> str:
        self.state.counter += 1
        return f"{prefix}{self.state.counter}"

    def keep_id(self, source, target) -> None:
        ident = source.get(XML_ID)
        if ident:
            target.set("id", ident)

    def keep_identity(self, source, target) -> None:
        """The TEI element's id and language on its HTML counterpart."""
        self.keep_id(source, target)
        lang = source.get(XML_LANG)
        if lang:
            target.set("lang", lang)

    def children(self, source, target, apart: str | None = None) -> None:
        """Convert the children of ``source`` (text, elements, tails) into ``target``; ``apart``: the mark its
        parts are set apart by where the source has nothing or only white space between them ("" a space alone:
        the parts of a register entry; "," the fields of a bibliographic entry), see ``html.set_apart``."""
        if source.text:
            self.text(target, source.text)
        for child in source:
            if isinstance(child.tag, str):
                self.convert(child, target)
            if apart is not None and not (child.tail or "").strip() and child.getnext() is not None:
                set_apart(target, child, apart)
            elif child.tail:
                self.text(target, child.tail)

    def convert(self, source, parent) -> None:
        """One TEI element into ``parent``, by its registered decision; then the notes kept apart that point
        to it (milestones place theirs themselves)."""
        qname = etree.QName(source)
        decision = decision_for(source.tag)
        if decision is None:
            shown = qname.localname if qname.namespace == TEI_NS else f"{{{qname.namespace}}}{qname.localname}"
            self.state.unknown(self.document, source, shown)
            self.generic(source, parent, qname.localname)
        elif decision.display is Display.OMITTED:
            return
        elif decision.handler is None:
            self.generic(source, parent, qname.localname)
        else:
            decision.handler(self, source, parent)
        if qname.localname not in _MILESTONES:
            self.place_notes_at(source.get(XML_ID), parent)

    def generic(self, source, parent, name: str) -> None:
        """A span, or a div where a block may stand and the element is (or holds) a block."""
        block = (is_block(tei(name)) or any(
            isinstance(c.tag, str) and is_block(c.tag) and c.tag not in _INLINE_EVEN_IF_BLOCK for c in source
        )) and (not self.in_note and parent.tag in BLOCK_PARENTS)
        element = add_element(parent, "div" if block else "span", " ".join([f"tei-{name}", *presentation(source)]))
        if source.get("rend"):
            element.set("data-rend", source.get("rend"))
        self.keep_identity(source, element)
        self.children(source, element)

    def wrap(self, source, parent, tag: str, cls: str, apart: str | None = None) -> etree._Element:
        """The element as ``tag`` with ``cls``, its id and language kept, its children converted inside (set
        ``apart`` as ``children`` says)."""
        element = add_element(parent, tag, cls)
        self.keep_identity(source, element)
        self.children(source, element, apart)
        return element

    def paragraph_tag(self, parent) -> str:
        """``p`` where a paragraph may stand, ``span`` inside a note or a paragraph."""
        return "span" if self.in_note or parent.tag not in BLOCK_PARENTS else "p"

    def block_tag(self, parent) -> str:
        """``div`` where a block may stand, ``span`` inside a note or a paragraph."""
        return "span" if self.in_note or parent.tag not in BLOCK_PARENTS else "div"

    def place_notes_at(self, ident: str | None, parent) -> None:
        """Notes kept apart from the text that point to ``ident`` are printed here."""
        for note in self.notes_at.get(ident, ()) if ident else ():
            render_note(self, note, parent, placing=True)


def detached_notes(document: Document) -> tuple[set, dict[str, list]]:
    """Notes kept apart from the text (in a notes division) that point with @target to where they belong."""
    ids = {e.get(XML_ID): e for e in document.root.iter(etree.Element) if e.get(XML_ID)}
    detached: set = set()
    at: dict[str, list] = {}
    for note in document.root.iter(tei("note")):
        target = (note.get("target") or "").split()
        parent = note.getparent()
        if not target or parent is None or local_name(parent) not in _DETACHED_PARENTS:
            continue
        ident = target[0][1:] if target[0].startswith("#") else target[0]
        if ident in ids and ids[ident] is not note:
            detached.add(note)
            at.setdefault(ident, []).append(note)
    return detached, at
