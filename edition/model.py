"""Turn the edition's TEI into one intermediate HTML tree per text, the single source of both books."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, html

from . import TEI_NS, XML_ID, XML_LANG, tei
from .diagnostics import Diagnostic, Severity
from .load import Document, Edition

H = html.Element


def local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def plain_text(element, skip=("note",)) -> str:
    """An element's words, without its notes, apparatus readings or corrected errors."""
    parts: list[str] = []

    def walk(node, top=False):
        name = local(node)
        if not top and (name in skip or name in ("rdg", "sic", "orig", "abbr", "witDetail", "desc")):
            pass
        else:
            if node.text:
                parts.append(node.text)
            for child in node:
                if isinstance(child.tag, str):
                    walk(child)
                if child.tail:
                    parts.append(child.tail)

    walk(element, top=True)
    return clean("".join(parts))


# --- what the book is made of ---------------------------------------------------------------


@dataclass
class Note:
    id: str
    series: str  # "author" or "editor"
    label: str
    call_id: str
    text_id: str


@dataclass
class TextualEntry:
    """One line of the textual notes: an emendation or a variant, keyed to its lemma's anchor."""

    kind: str  # "emendation" or "variant"
    anchor_id: str
    text_id: str
    lemma: str
    readings: list[tuple[str, str]]  # (reading, sigla)
    lemma_sigla: str = ""
    comment: str = ""  # notes the encoder put inside the apparatus entry


@dataclass
class Occurrence:
    anchor_id: str
    target: str  # register id
    kind: str  # person, work, org, place
    form: str
    text_id: str
    in_note: bool


@dataclass
class Text:
    id: str
    title: str
    short_title: str
    authors: list[str]
    responsibility: list[str]
    source: str
    siglum: str
    language: str
    section: etree._Element
    document: Document
    source_html: etree._Element | None = None
    role: str = "text"  # "text" or "front"


@dataclass
class Part:
    id: str
    number: str
    title: str
    texts: list[Text] = field(default_factory=list)


@dataclass
class Witness:
    siglum: str
    description: str
    text_title: str


@dataclass
class Metadata:
    id: str
    title: str
    subtitle: str
    short_title: str
    authors: list[str]
    editors: list[str]
    language: str
    version: str
    date: str
    date_display: str
    publisher: str
    licence: str
    rights: str
    subject: str


@dataclass
class Book:
    metadata: Metadata
    front: list[Text]
    parts: list[Part]
    notes: list[Note]
    textual: list[TextualEntry]
    occurrences: list[Occurrence]
    witnesses: list[Witness]
    registers: dict[str, dict[str, etree._Element]]  # kind -> id -> entry
    warnings: list[Diagnostic]

    @property
    def texts(self) -> list[Text]:
        return [text for part in self.parts for text in part.texts]


# --- the transform --------------------------------------------------------------------------

NAME_KINDS = {"persName": "person", "title": "work", "orgName": "org", "placeName": "place"}
RS_KINDS = {"person": "person", "work": "work", "title": "work", "bibl": "work", "org": "org", "place": "place"}
REGISTER_KIND = {"person": "person", "personGrp": "person", "place": "place", "org": "org",
                 "bibl": "work", "biblStruct": "work", "biblFull": "work"}
BLOCKS = {"p", "ab", "lg", "list", "table", "quote", "cit", "div", "head", "byline", "docDate", "dateline",
          "closer", "opener", "signed", "salute", "argument", "epigraph", "trailer", "postscript", "figure",
          "listBibl", "listPerson", "listPlace", "listOrg", "sp", "floatingText", "l", "label", "item", "bibl"}
INLINE_GENERIC = {"date", "num", "measure", "time", "term", "mentioned", "soCalled", "said", "seg", "name",
                  "surname", "forename", "roleName", "addName", "genName", "biblScope", "pubPlace", "publisher",
                  "author", "editor", "idno", "w", "c", "pc", "orig", "reg", "expan", "abbr", "unclear", "add",
                  "placeName", "settlement", "country", "region", "geogName", "affiliation", "email", "address",
                  "addrLine", "street", "postCode", "persName", "orgName", "rs", "ex", "am", "damage", "restore",
                  "space", "metamark", "citedRange", "distinct", "gloss", "emph", "hi", "foreign", "q", "quote",
                  "ref", "ptr", "title", "lem", "rdg", "app", "choice", "sic", "corr", "note", "gap", "supplied",
                  "del", "lb", "pb", "cb", "milestone", "anchor", "desc", "figDesc", "graphic", "index", "span", "interp", "interpGrp", "witDetail", "rdgGrp", "subst", "handShift", "fw", "signed",
                  "respStmt", "resp", "extent", "edition", "series", "textLang"}
BLOCK_PARENTS = {"div", "section", "article", "blockquote", "li", "dd", "body", "header", "td", "aside"}
SKIP = {"teiHeader", "facsimile", "standOff", "interpGrp", "interp", "index", "witDetail", "span", "spanGrp",
        "link", "linkGrp", "join", "alt", "altGrp", "fw", "listWit", "graphic"}
ITALIC_RENDS = {"italic", "italics", "i", "it"}


def letters(n: int) -> str:
    """a, b, ..., z, aa, ab, ...: the editorial notes' calls."""
    label = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        label = string.ascii_lowercase[rest] + label
    return label


class Transformer:
    """Walks one TEI text and builds its HTML, collecting notes, textual entries and name occurrences."""

    def __init__(self, book_state: "BookState", document: Document, text_id: str, siglum: str, language: str):
        self.state = book_state
        self.document = document
        self.text_id = text_id
        self.siglum = siglum
        self.language = language
        self.author_notes = 0
        self.editor_notes = 0
        self.in_note = 0
        self.detached, self.notes_at = detached_notes(document)

    # helpers ------------------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        self.state.counter += 1
        return f"{prefix}{self.state.counter}"

    def keep_id(self, source, target) -> None:
        ident = source.get(XML_ID)
        if ident:
            target.set("id", ident)

    def common(self, source, target) -> None:
        self.keep_id(source, target)
        lang = source.get(XML_LANG)
        if lang:
            target.set("lang", lang)

    def children(self, source, target) -> None:
        """Convert the children of ``source`` (text, elements, tails) into ``target``."""
        if source.text:
            append_text(target, source.text)
        for child in source:
            carrier = None
            if isinstance(child.tag, str):
                carrier = self.convert(child, target)
            tail = child.tail or ""
            if carrier is not None:
                # a milestone's id rides on the word that follows it: an empty inline would break wrapping
                match = re.match(r"\S+", tail)
                if match:
                    carrier.text = match.group(0)
                    tail = tail[match.end():]
                else:
                    carrier.text = "\u2060"
            if tail:
                append_text(target, tail)

    def convert(self, source, parent) -> None:
        qname = etree.QName(source)
        name = qname.localname
        if qname.namespace != TEI_NS:
            self.state.unknown(self.document, source, f"{{{qname.namespace}}}{name}")
            self.generic(source, parent, name)
            return
        if name in SKIP:
            return
        handler = getattr(self, f"do_{name}", None)
        if handler is not None:
            result = handler(source, parent)
            ident = source.get(XML_ID)
            if ident in self.notes_at and name not in ("anchor", "pb", "lb", "cb", "milestone"):
                for note in self.notes_at[ident]:
                    self.do_note(note, parent, placing=True)
            return result
        if name not in INLINE_GENERIC and name not in BLOCKS:
            self.state.unknown(self.document, source, name)
        self.generic(source, parent, name)

    def generic(self, source, parent, name) -> None:
        block = (name in BLOCKS or any(local(c) in BLOCKS - {"label", "bibl"} for c in source)) and (
            not self.in_note and parent.tag in BLOCK_PARENTS
        )
        tag = "div" if block else "span"
        element = sub(parent, tag, f"tei-{name}")
        if source.get("rend"):
            element.set("data-rend", source.get("rend"))
            if source.get("rend") in ITALIC_RENDS:
                element.set("class", element.get("class") + " italic")
        self.common(source, element)
        self.children(source, element)

    def block(self, source, parent, tag, cls) -> etree._Element:
        element = sub(parent, tag, cls)
        self.common(source, element)
        self.children(source, element)
        return element

    # structure ----------------------------------------------------------------------------

    def do_div(self, source, parent):
        depth = sum(1 for a in source.iterancestors(tei("div")))
        section = sub(parent, "section", f"div depth-{depth}")
        if source.get("type"):
            section.set("data-type", source.get("type"))
        self.common(source, section)
        self.state.div_depth.append(depth)
        self.children(source, section)
        self.state.div_depth.pop()

    do_div1 = do_div2 = do_div3 = do_div

    def do_head(self, source, parent):
        if source.get("type"):
            element = self.block(source, parent, "p", f"head-{source.get('type')}")
            return
        depth = self.state.div_depth[-1] if self.state.div_depth else 0
        tag = f"h{min(2 + depth, 6)}"
        element = sub(parent, tag, "head")
        self.common(source, element)
        self.children(source, element)
        element.set("data-bookmark", plain_text(source))

    def do_p(self, source, parent):
        cls = "p"
        if source.get("rend"):
            cls += " rend-" + re.sub(r"\W+", "-", source.get("rend"))
        if self.in_note:
            self.block(source, parent, "span", "np")
        elif any(self.holds_block(child) for child in source):
            self.block(source, parent, "div", cls + " p-with-blocks")  # HTML's <p> cannot hold lists or quotations
        elif parent.tag not in BLOCK_PARENTS:
            self.block(source, parent, "span", cls + " np")
        else:
            self.block(source, parent, "p", cls)

    def holds_block(self, child) -> bool:
        name = local(child)
        return name in ("list", "lg", "table", "figure") or (
            name in ("quote", "cit") and any(local(c) in ("p", "lg", "l", "list") for c in child.iter())
        )

    def do_ab(self, source, parent):
        self.block(source, parent, "span" if self.in_note else self.para_tag(parent), "np" if self.in_note else "ab")

    def do_lg(self, source, parent):
        tag = "span" if self.in_note or parent.tag not in BLOCK_PARENTS else "div"
        element = self.block(source, parent, tag, "lg")
        if source.get(XML_LANG):
            element.set("lang", source.get(XML_LANG))

    def do_l(self, source, parent):
        element = sub(parent, "span", "l")
        self.common(source, element)
        if source.get("n"):
            element.set("data-n", source.get("n"))
        self.children(source, element)

    def do_list(self, source, parent):
        if self.in_note:
            self.block(source, parent, "span", "np list")
            return
        ordered = source.get("type") in ("ordered", "numbered") or source.get("rend") in ("numbered", "ordered")
        labelled = source.find(tei("label")) is not None or any(
            item.find(tei("label")) is not None for item in source.iter(tei("item"))
        )
        element = sub(parent, "ol" if ordered and not labelled else "ul", "list" + (" labelled" if labelled else ""))
        self.common(source, element)
        pending_label = None
        for child in source:
            if not isinstance(child.tag, str):
                continue
            if local(child) == "label":
                pending_label = child
                continue
            if local(child) == "head":
                head = sub(element, "li", "list-head")
                self.children(child, head)
                continue
            if local(child) == "item":
                item = sub(element, "li", "item")
                self.common(child, item)
                if pending_label is not None:
                    label = sub(item, "span", "label")
                    self.children(pending_label, label)
                    label.tail = " "
                    pending_label = None
                self.children(child, item)
            else:
                self.convert(child, element)

    def do_item(self, source, parent):
        self.block(source, parent, "span" if self.in_note or parent.tag not in BLOCK_PARENTS else "div", "item")

    def do_label(self, source, parent):
        self.block(source, parent, "span", "label")

    def do_quote(self, source, parent):
        is_block = self.is_block_context(source)
        if is_block and not self.in_note:
            element = sub(parent, "blockquote", "quote")
            self.common(source, element)
            if any(local(c) in ("p", "lg", "list") for c in source):
                self.children(source, element)
            else:
                inner = sub(element, "p", "p")
                self.children(source, inner)
        else:
            self.block(source, parent, "span", "quote")

    def do_cit(self, source, parent):
        if self.is_block_context(source) and not self.in_note:
            element = sub(parent, "blockquote", "cit")
            self.common(source, element)
            for child in source:
                if not isinstance(child.tag, str):
                    continue
                if local(child) == "bibl":
                    foot = sub(element, "p", "cit-source")
                    self.common(child, foot)
                    self.children(child, foot)
                elif local(child) == "quote" and not any(local(c) in ("p", "lg") for c in child):
                    inner = sub(element, "p", "p")
                    self.common(child, inner)
                    self.children(child, inner)
                else:
                    self.convert(child, element)
        else:
            self.block(source, parent, "span", "cit")

    def is_block_context(self, source) -> bool:
        parent = source.getparent()
        if local(parent) == "p" and any(local(c) in ("p", "lg", "l", "list") for c in source.iter()):
            return True
        return local(parent) in ("div", "body", "back", "front", "cit", "note", "item") and not (
            (parent.text or "").strip() and local(parent) in ("note", "item")
        )

    def do_byline(self, source, parent):
        self.block(source, parent, self.para_tag(parent), "byline")

    def do_docDate(self, source, parent):
        self.block(source, parent, self.para_tag(parent), "docdate")

    def do_dateline(self, source, parent):
        self.block(source, parent, self.para_tag(parent), "dateline")

    def do_closer(self, source, parent):
        self.block(source, parent, "span" if self.in_note or parent.tag not in BLOCK_PARENTS else "div", "closer")

    def do_signed(self, source, parent):
        self.block(source, parent, self.para_tag(parent), "signed")

    def do_trailer(self, source, parent):
        self.block(source, parent, self.para_tag(parent), "trailer")

    def para_tag(self, parent) -> str:
        """``p`` where a paragraph may stand, ``span`` inside a note or a paragraph."""
        return "span" if self.in_note or parent.tag not in BLOCK_PARENTS else "p"

    def do_table(self, source, parent):
        table = sub(parent, "table", "table")
        self.common(source, table)
        for child in source:
            if local(child) == "head":
                caption = sub(table, "caption", "")
                self.children(child, caption)
            elif local(child) == "row":
                row = sub(table, "tr", "")
                for cell in child:
                    if local(cell) == "cell":
                        td = sub(row, "th" if cell.get("role") == "label" else "td", "")
                        self.children(cell, td)

    def do_lb(self, source, parent):
        if self.state.in_verse_or_block(source):
            sub(parent, "br", "")
        else:
            append_text(parent, " ")

    def do_pb(self, source, parent):
        self.milestone(source, parent)

    do_cb = do_milestone = do_anchor = do_pb

    def milestone(self, source, parent):
        """An empty TEI element with an id: a carrier span, filled by ``children`` with the next word."""
        ident = source.get(XML_ID)
        if not ident:
            return None
        for note in self.notes_at.get(ident, ()):
            self.do_note(note, parent, placing=True)
        carrier = sub(parent, "span", f"milestone {local(source)}")
        carrier.set("id", ident)
        return carrier

    # phrases ------------------------------------------------------------------------------

    def do_hi(self, source, parent):
        rend = (source.get("rend") or "").lower()
        tag, cls = "span", "hi"
        if any(r in ITALIC_RENDS for r in rend.split()):
            tag = "i"
        elif "bold" in rend:
            tag = "b"
        elif "sup" in rend:
            tag = "sup"
        elif "sub" in rend:
            tag = "sub"
        elif "small" in rend or "caps" in rend:
            cls = "hi smallcaps"
        elif "underline" in rend:
            cls = "hi underline"
        else:
            tag = "i" if not rend else "span"
        self.block(source, parent, tag, cls)

    def do_emph(self, source, parent):
        self.block(source, parent, "em", "emph")

    def do_foreign(self, source, parent):
        element = self.block(source, parent, "i", "foreign")
        if source.get(XML_LANG):
            element.set("lang", source.get(XML_LANG))

    def do_q(self, source, parent):
        self.block(source, parent, "span", "q")

    def do_gap(self, source, parent):
        desc = source.find(tei("desc"))
        reason = source.get("reason") or ""
        words = plain_text(desc) if desc is not None else ""
        element = sub(parent, "span", "gap")
        element.set("data-reason", reason)
        self.keep_id(source, element)
        if words and (self.in_note or reason == "witness-ends"):
            element.text = f"[{words}]"
        else:
            element.text = "[…]"
            if words:
                element.set("title", words)

    def do_desc(self, source, parent):
        """A description belongs to its gap (or figure), which prints it."""

    def do_supplied(self, source, parent):
        element = sub(parent, "span", "supplied")
        self.common(source, element)
        append_text(element, "[")
        self.children(source, element)
        append_text(element, "]")

    def do_del(self, source, parent):
        self.block(source, parent, "del", "del")

    def do_date(self, source, parent):
        element = self.block(source, parent, "span", "date")
        if source.get("when"):
            element.set("data-when", source.get("when"))

    # names and pointers -------------------------------------------------------------------

    def name(self, source, parent, kind: str | None):
        ref = (source.get("ref") or "").split()
        target = ref[0][1:] if ref and ref[0].startswith("#") else None
        if target and self.state.register_kind(target):
            kind = self.state.register_kind(target)
        tag = "cite" if local(source) == "title" else "span"
        cls = f"name {kind or local(source)}"
        if local(source) == "title":
            cls += f" level-{source.get('level') or 'm'}"
        element = sub(parent, tag, cls)
        self.common(source, element)
        self.children(source, element)
        if target and kind and self.state.register_kind(target) and not self.state.in_header:
            anchor = element.get("id") or self.new_id("o")
            element.set("id", anchor)
            element.set("data-ref", target)
            self.state.occurrences.append(
                Occurrence(anchor, target, kind, plain_text(source), self.text_id, self.in_note > 0)
            )

    def do_persName(self, source, parent):
        self.name(source, parent, "person")

    def do_title(self, source, parent):
        self.name(source, parent, "work")

    def do_orgName(self, source, parent):
        self.name(source, parent, "org")

    def do_placeName(self, source, parent):
        self.name(source, parent, "place")

    def do_rs(self, source, parent):
        self.name(source, parent, RS_KINDS.get((source.get("type") or "").lower()))

    def do_ref(self, source, parent):
        self.children(source, self.pointer(source, parent, "xref"))

    def do_ptr(self, source, parent):
        element = self.pointer(source, parent, "xref ptr")
        if not element.get("data-target"):
            element.text = source.get("target") or ""  # the writers word a resolved ptr ("see p. 47")

    def pointer(self, source, parent, cls: str) -> etree._Element:
        """A link for ref and ptr: to a place in the edition (data-target) or to the web."""
        element = sub(parent, "a", cls)
        self.common(source, element)
        target = (source.get("target") or "").split()
        if target:
            self.link(element, target[0])
        return element

    def link(self, element, token: str) -> None:
        if token.startswith(("http://", "https://", "mailto:")):
            element.set("href", token)
            element.set("class", element.get("class") + " external")
            return
        path_part, _, ident = token.partition("#")
        if path_part:
            path = (self.document.path.parent / path_part).resolve()
            if path != self.document.path and path not in self.state.text_of_path:
                if not any(d.path == path for d in self.state.edition.documents):
                    return  # a file outside this edition: the words stay, without a link
            ident = ident or self.state.text_of_path.get(path, "")
        if ident:
            element.set("data-target", ident)

    # notes --------------------------------------------------------------------------------

    def do_note(self, source, parent, placing: bool = False):
        if self.state.in_header:
            return
        if source in self.detached and not placing:
            return  # printed at the place it points to
        if source.get("place") == "inline":
            # printed in the running text by the witness itself (a bracketed gloss): it stays there
            element = sub(parent, "span", "inline-note")
            self.common(source, element)
            if source.get("type"):
                element.set("data-type", source.get("type"))
            self.children(source, element)
            return
        editorial = (source.get("type") or "") == "editorial"
        series = "editor" if editorial else "author"
        if editorial:
            self.editor_notes += 1
            label = letters(self.editor_notes)
        else:
            self.author_notes += 1
            label = source.get("n") or str(self.author_notes)
        note_id = source.get(XML_ID) or self.new_id("n")
        call_id = f"call-{note_id}"
        # the note sits inside the span around the word before it, so no line can break between them
        element = sub(wrap_last_word(parent, call_id), "span", f"note {series}")
        element.set("id", note_id)
        element.set("data-label", label)
        element.set("data-series", series)
        if source.get("type") and not editorial:
            element.set("data-type", source.get("type"))
        if source.get("type") == "translator":
            prefix = sub(element, "span", "note-kind")
            prefix.text = "Translator’s note: "
        self.in_note += 1
        self.children(source, element)
        self.in_note -= 1
        self.state.notes.append(Note(note_id, series, label, call_id, self.text_id))

    # editorial interventions --------------------------------------------------------------

    def do_choice(self, source, parent):
        parts = {local(c): c for c in source if isinstance(c.tag, str)}
        if "sic" in parts and "corr" in parts:
            self.emendation(source, parent, parts["corr"], parts["sic"], "corr")
        elif "orig" in parts and "reg" in parts:
            self.emendation(source, parent, parts["reg"], parts["orig"], "reg")
        elif "abbr" in parts and "expan" in parts:
            element = sub(parent, "abbr", "abbr")
            element.set("title", plain_text(parts["expan"]))
            self.common(source, element)
            self.children(parts["abbr"], element)
        else:
            first = next((c for c in source if isinstance(c.tag, str)), None)
            if first is not None:
                self.convert(first, parent)

    def emendation(self, choice, parent, shown, rejected, kind):
        anchor = choice.get(XML_ID) or shown.get(XML_ID) or self.new_id("e")
        element = sub(parent, "span", f"emendation {kind}")
        element.set("id", anchor)
        self.children(shown, element)
        self.state.textual.append(
            TextualEntry("emendation", anchor, self.text_id, plain_text(shown),
                         [(plain_text(rejected) or "om.", self.siglum)])
        )

    def do_sic(self, source, parent):
        element = self.block(source, parent, "span", "sic")
        append_text(element, " [sic]")

    def do_corr(self, source, parent):
        self.block(source, parent, "span", "corr")

    def do_app(self, source, parent):
        lemma = source.find(tei("lem"))
        anchor = source.get(XML_ID) or self.new_id("a")
        element = sub(parent, "span", "lemma")
        element.set("id", anchor)
        if lemma is not None:
            self.children(lemma, element)
        if not (element.text or len(element)):
            element.set("data-empty", "true")
            element.text = "\u2060"
        readings = []
        for reading in source.iter(tei("rdg")):
            sigla = " ".join(self.state.siglum_of(self.document, w) for w in (reading.get("wit") or "").split())
            readings.append((plain_text(reading) or "om.", sigla))
        lemma_sigla = ""
        if lemma is not None and lemma.get("wit"):
            lemma_sigla = " ".join(self.state.siglum_of(self.document, w) for w in lemma.get("wit").split())
        self.state.textual.append(
            TextualEntry("variant", anchor, self.text_id, plain_text(lemma) if lemma is not None else "",
                         readings, lemma_sigla)
        )
        comments = [plain_text(n, skip=()) for n in source.iter(tei("note"))
                    if not any(local(a) == "lem" for a in n.iterancestors())]
        self.state.textual[-1].comment = " ".join(c for c in comments if c)


DETACHED_PARENTS = {"div", "back", "front", "body", "noteGrp", "listAnnotation", "standOff"}


def detached_notes(document: Document) -> tuple[set, dict[str, list]]:
    """Notes kept apart from the text (in a notes division) that point with @target to where they belong."""
    ids = {e.get(XML_ID): e for e in document.root.iter(etree.Element) if e.get(XML_ID)}
    detached: set = set()
    at: dict[str, list] = {}
    for note in document.root.iter(tei("note")):
        target = (note.get("target") or "").split()
        parent = note.getparent()
        if not target or parent is None or local(parent) not in DETACHED_PARENTS:
            continue
        ident = target[0][1:] if target[0].startswith("#") else target[0]
        if ident in ids and ids[ident] is not note:
            detached.add(note)
            at.setdefault(ident, []).append(note)
    return detached, at


def sub(parent, tag: str, cls: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if cls:
        element.set("class", cls)
    return element


_ASCII_SPACE = re.compile(r"[ \t\r\n]+")


def append_text(element, text: str) -> None:
    """Add text after what an element holds; runs of ASCII white space become one space, as HTML prints them
    (no-break spaces are the witness's and stay)."""
    text = _ASCII_SPACE.sub(" ", text)
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


_LAST_WORD = re.compile(r"(\S+)$")


def visible_words(element) -> str:
    """An element's text in the running line: without the notes it holds."""
    parts = [element.text or ""]
    for child in element:
        if "note" not in (child.get("class") or "").split():
            parts.append(visible_words(child))
        parts.append(child.tail or "")
    return "".join(parts)


def wrap_last_word(parent, ident: str) -> etree._Element:
    """A span with ``ident`` around the word just before a note's call (its page is found after layout)."""
    span = etree.Element("span", {"class": "call", "id": ident})
    if len(parent):
        last = parent[-1]
        tail = last.tail or ""
        match = _LAST_WORD.search(tail)
        if match:
            last.tail = tail[: match.start()]
            span.text = match.group(1)
            last.addnext(span)
            return span
        if not tail:
            if "call" not in (last.get("class") or "").split() and " " in visible_words(last).strip():
                return wrap_last_word(last, ident)  # several words: take only the last one, inside
            last.addprevious(span)
            span.tail, last.tail = last.tail, None
            span.append(last)
            return span
    else:
        text = parent.text or ""
        match = _LAST_WORD.search(text)
        if match:
            parent.text = text[: match.start()]
            span.text = match.group(1)
            parent.insert(0, span)
            return span
    span.text = "\u2060"
    parent.append(span)
    return span


class BookState:
    """What the transform of all texts shares: counters, collected notes and entries, registers."""

    def __init__(self, edition: Edition, registers, witnesses_by_id):
        self.edition = edition
        self.counter = 0
        self.notes: list[Note] = []
        self.textual: list[TextualEntry] = []
        self.occurrences: list[Occurrence] = []
        self.registers = registers
        self.register_index = {ident: kind for kind, entries in registers.items() for ident in entries}
        self.witnesses_by_id = witnesses_by_id
        self.warned: set[str] = set()
        self.warnings: list[Diagnostic] = []
        self.div_depth: list[int] = []
        self.in_header = False
        self.text_of_path: dict[Path, str] = {}

    def register_kind(self, ident: str) -> str | None:
        return self.register_index.get(ident)

    def siglum_of(self, document: Document, token: str) -> str:
        ident = token.lstrip("#").split("#")[-1]
        return self.witnesses_by_id.get(ident, ident)

    def unknown(self, document: Document, element, name: str) -> None:
        if name in self.warned:
            return
        self.warned.add(name)
        path, line, column = document.locate(element)
        self.warnings.append(Diagnostic(
            path, line, column, Severity.WARNING, "render-generic",
            f"<{name}> has no dedicated rendering; it is printed as plain {'block' if name in BLOCKS else 'inline'} "
            "text (reported once per element name)",
        ))

    @staticmethod
    def in_verse_or_block(source) -> bool:
        return any(local(a) in ("l", "lg", "address", "closer", "head", "dateline", "signed", "salute", "opener")
                   for a in source.iterancestors())


# --- the book -------------------------------------------------------------------------------


def header_title(document: Document, kind: str = "main") -> str:
    stmt = document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('titleStmt')}")
    if stmt is None:
        return ""
    titles = stmt.findall(tei("title"))
    for title in titles:
        if title.get("type") == kind:
            return plain_text(title)
    if kind == "main" and titles:
        return plain_text(titles[0])
    return ""


def header_names(document: Document, tag: str) -> list[str]:
    stmt = document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('titleStmt')}")
    if stmt is None:
        return []
    return [plain_text(e, skip=("note", "gap")) for e in stmt.findall(tei(tag)) if plain_text(e, skip=("note", "gap"))]


def header_responsibility(document: Document) -> list[str]:
    stmt = document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('titleStmt')}")
    lines = []
    if stmt is None:
        return lines
    for resp_stmt in stmt.findall(tei("respStmt")):
        resp = plain_text(resp_stmt.find(tei("resp"))) if resp_stmt.find(tei("resp")) is not None else ""
        names = [plain_text(n) for n in resp_stmt if local(n) in ("name", "persName", "orgName")]
        if resp and names and "encoded" not in resp.lower():
            lines.append(f"{resp} {', '.join(names)}")
    return lines


def source_of(document: Document) -> tuple[str, str]:
    """The copy-text's description (without its notes) and its siglum."""
    source = document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('sourceDesc')}")
    if source is None:
        return "", ""
    bibl = source.find(tei("bibl"))
    if bibl is None:
        bibl = source.find(f".//{tei('bibl')}")
    if bibl is not None:
        return plain_text(bibl), bibl.get("n") or ""
    paragraph = source.find(tei("p"))
    return (plain_text(paragraph) if paragraph is not None else ""), ""


def collect_registers(edition: Edition) -> dict[str, dict[str, etree._Element]]:
    registers: dict[str, dict[str, etree._Element]] = {"person": {}, "work": {}, "org": {}, "place": {}}
    for document in edition.documents:
        for element in document.root.iter(etree.Element):
            name = local(element)
            kind = REGISTER_KIND.get(name)
            ident = element.get(XML_ID)
            if not kind or not ident:
                continue
            if kind == "work" and local(element.getparent()) != "listBibl":
                continue
            registers[kind][ident] = element
    return registers


def collect_witnesses(edition: Edition, ordered: list[Document]) -> tuple[list[Witness], dict[str, str]]:
    witnesses: list[Witness] = []
    by_id: dict[str, str] = {}
    for document in ordered:
        title = header_title(document)
        source = document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('sourceDesc')}")
        if source is None:
            continue
        for bibl in source.findall(tei("bibl")):
            siglum = bibl.get("n") or ""
            if bibl.get(XML_ID):
                by_id[bibl.get(XML_ID)] = siglum
            witnesses.append(Witness(siglum, plain_text(bibl), title))
        for witness in source.iter(tei("witness")):
            siglum = witness.get("n") or witness.get(XML_ID) or ""
            if witness.get(XML_ID):
                by_id[witness.get(XML_ID)] = siglum
            if witness.get("corresp") is None and plain_text(witness):
                witnesses.append(Witness(siglum, plain_text(witness), title))
    return witnesses, by_id


def metadata_of(edition: Edition, documents: list[Document]) -> Metadata:
    manifest = edition.manifest or documents[0]
    root = manifest.root
    ident = root.get(XML_ID) or manifest.path.stem
    title = header_title(manifest) or manifest.path.stem
    subtitle = header_title(manifest, "sub")
    short = header_title(manifest, "short") or title
    authors = header_names(manifest, "author")
    editors = header_names(manifest, "editor")
    edition_element = root.find(f".//{tei('editionStmt')}/{tei('edition')}")
    version = edition_element.get("n") if edition_element is not None and edition_element.get("n") else ""
    dates = [c.get("when") for c in root.iter(tei("change")) if c.get("when")]
    pub_date = root.find(f".//{tei('publicationStmt')}/{tei('date')}")
    date = max(dates) if dates else (pub_date.get("when") if pub_date is not None and pub_date.get("when") else "")
    publisher = root.find(f".//{tei('publicationStmt')}/{tei('publisher')}")
    licence = root.find(f".//{tei('availability')}/{tei('licence')}")
    rights = root.find(f".//{tei('availability')}/{tei('p')}")
    language = root.get(XML_LANG) or "en"
    subject = plain_text(root.find(f".//{tei('projectDesc')}")) if root.find(f".//{tei('projectDesc')}") is not None else ""
    return Metadata(
        id=ident, title=title, subtitle=subtitle, short_title=short, authors=authors, editors=editors,
        language=language, version=version, date=date, date_display=display_date(date),
        publisher=plain_text(publisher) if publisher is not None else "",
        licence=plain_text(licence) if licence is not None else "",
        rights=plain_text(rights) if rights is not None else "",
        subject=subject,
    )


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def display_date(iso: str) -> str:
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return iso


def ordered_documents(edition: Edition) -> tuple[list[tuple[str, Document]], list[tuple[Part, list[Document]]]]:
    """Front documents and parts with their texts, in the order edition.xml gives (or file order)."""
    if edition.manifest is None:
        texts = [d for d in edition.documents if d.root.find(f"{tei('text')}") is not None]
        return [], [(Part("part-1", "", ""), texts)]
    manifest = edition.manifest
    by_path = {d.path: d for d in edition.documents}

    def documents_in(element):
        found = []
        for ptr in element.iter(tei("ptr")):
            path = (manifest.path.parent / (ptr.get("target") or "")).resolve()
            if path in by_path:
                found.append(by_path[path])
        return found

    front_el = manifest.root.find(f"{tei('text')}/{tei('front')}")
    front = [("front", d) for d in documents_in(front_el)] if front_el is not None else []
    parts = []
    body = manifest.root.find(f"{tei('text')}/{tei('body')}")
    if body is not None:
        for number, div in enumerate(body.findall(tei("div")), start=1):
            head = div.find(tei("head"))
            part = Part(div.get(XML_ID) or f"part-{number}", div.get("n") or str(number),
                        plain_text(head) if head is not None else "")
            parts.append((part, documents_in(div)))
    return front, parts


def build_book(edition: Edition) -> Book:
    front_docs, part_docs = ordered_documents(edition)
    all_docs = [d for _, d in front_docs] + [d for _, docs in part_docs for d in docs]
    registers = collect_registers(edition)
    witnesses, witness_sigla = collect_witnesses(edition, all_docs)
    state = BookState(edition, registers, witness_sigla)
    for document in all_docs:
        text_id = document.root.get(XML_ID) or document.path.stem
        state.text_of_path[document.path] = text_id
    metadata = metadata_of(edition, all_docs or edition.documents)

    def transform(document: Document, role: str) -> Text:
        text_id = document.root.get(XML_ID) or re.sub(r"\W+", "-", document.path.stem)
        source, siglum = source_of(document)
        language = document.root.get(XML_LANG) or metadata.language
        transformer = Transformer(state, document, text_id, siglum or "", language)
        section = H("section")
        section.set("id", text_id)
        section.set("class", f"text {role}")
        section.set("lang", language)
        text_el = document.root.find(tei("text"))
        if text_el is not None:
            if text_el.get(XML_LANG):
                section.set("lang", text_el.get(XML_LANG))
            for division in text_el:
                if isinstance(division.tag, str) and local(division) in ("front", "body", "back", "group"):
                    container = sub(section, "div", f"text-{local(division)}")
                    transformer.children(division, container)
        source_html = None
        bibl = document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('sourceDesc')}/{tei('bibl')}")
        if bibl is not None:
            source_html = H("span")
            state.in_header = True
            transformer.children(bibl, source_html)
            state.in_header = False
            for element in source_html.iter():
                element.attrib.pop("id", None)
        title = header_title(document) or document.path.stem
        return Text(
            id=text_id, title=title, short_title=header_title(document, "short") or title,
            authors=header_names(document, "author"), responsibility=header_responsibility(document),
            source=source, siglum=siglum, language=section.get("lang"), section=section, document=document,
            role=role, source_html=source_html,
        )

    front = [transform(d, "front") for _, d in front_docs]
    parts = []
    for part, docs in part_docs:
        for document in docs:
            part.texts.append(transform(document, "text"))
        parts.append(part)
    return Book(metadata, front, parts, state.notes, state.textual, state.occurrences, witnesses, registers,
                state.warnings)
