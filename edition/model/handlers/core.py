"""The TEI core module: paragraphs, highlighting, quotation, lists, notes, milestones, editorial interventions."""

from __future__ import annotations

import re
import string

from ... import XML_ID, XML_LANG, local_name, tei
from ..book import Note, Reading
from ..html import BLOCK_PARENTS, add_element, append_text, line_break, set_apart, wrap_last_word
from ..plain import plain_text
from ..registry import Display, generic, handles, omitted
from ..rendition import presentation, understood
from .textcrit import entry_at

BLOCK, INLINE = Display.BLOCK, Display.INLINE

generic("said", "mentioned", "soCalled", "term", "gloss", "distinct", "num", "measure", "time", "name",
        "orig", "reg", "expan", "abbr", "add", "email", "address", "street", "postCode",
        "author", "editor", "respStmt", "resp", "idno", "biblScope", "pubPlace", "publisher", "citedRange",
        display=INLINE)
generic("bibl", "listBibl", "sp", "stage", "biblStruct", "biblFull", "eg", display=BLOCK)
generic("gi", "att", "tag", "code", "val", "ident", display=INLINE)
omitted("index", "certainty", "precision", "respons")  # statements about the encoding, no words of the text
_BIBL_PARTS = ("analytic", "monogr", "series", "imprint")


@handles(*_BIBL_PARTS, display=INLINE)
def bibl_part(walk, source, parent):
    """The parts of a structured bibliographic entry (the article, then the book or journal it is in, its series,
    its imprint) ended by a full stop, and their fields apart by a comma, where the TEI gives no punctuation."""
    after_part(source, parent, _BIBL_PARTS, ".")
    walk.wrap(source, parent, "span", local_name(source), apart=",")


def after_part(source, parent, names: tuple[str, ...], mark: str) -> None:
    """``mark`` and a space before a part of a structure that follows another of ``names`` with nothing or only
    white space between them (see ``html.set_apart``)."""
    previous = source.getprevious()
    if previous is not None and local_name(previous) in names and not (previous.tail or "").strip():
        set_apart(parent, previous, mark)


# Ancestors inside which a line break is printed as one (verse, addresses, headings, datelines ...).
_LINE_BREAKING = ("l", "lg", "address", "closer", "head", "dateline", "signed", "salute", "opener")


# --- paragraphs and blocks ------------------------------------------------------------------


@handles("p", display=BLOCK)
def paragraph(walk, source, parent):
    cls = "p"
    if source.get("rend"):
        cls += " rend-" + re.sub(r"\W+", "-", source.get("rend"))
    if walk.in_note:
        walk.wrap(source, parent, "span", "np")
    elif any(_holds_block(child) for child in source):
        walk.wrap(source, parent, "div", cls + " p-with-blocks")  # HTML's <p> cannot hold lists or quotations
    elif parent.tag not in BLOCK_PARENTS:
        walk.wrap(source, parent, "span", cls + " np")
    else:
        walk.wrap(source, parent, "p", cls)


def _holds_block(child) -> bool:
    name = local_name(child)
    return name in ("list", "lg", "table", "figure", "floatingText") or (
        name in ("quote", "cit") and any(local_name(c) in ("p", "lg", "l", "list") for c in child.iter())
    )


@handles("list", display=BLOCK)
def list_(walk, source, parent):
    """Its heads, its items each with the label before it, and whatever else it holds (text between items, a
    label with no item after it, a note): nothing of a list is dropped."""
    in_line = walk.in_note or parent.tag not in BLOCK_PARENTS
    ordered = source.get("type") in ("ordered", "numbered") or source.get("rend") in ("numbered", "ordered")
    labelled = source.find(tei("label")) is not None or any(
        item.find(tei("label")) is not None for item in source.iter(tei("item"))
    )
    tag = "span" if in_line else "ol" if ordered and not labelled else "ul"
    element = add_element(parent, tag, ("np list" if in_line else "list") + (" labelled" if labelled else ""))
    walk.keep_identity(source, element)
    last_item = loose = label = None

    def new_item(cls: str):
        return add_element(element, "span" if in_line else "li", f"np {cls}" if in_line else cls)

    def flush_label(item=None):
        nonlocal label
        if label is not None:
            holder = add_element(item if item is not None else new_item("item"), "span", "label")
            walk.children(label, holder)
            holder.tail = " "
            label = None

    def loose_text(text):
        nonlocal loose
        if text and text.strip():
            loose = loose if loose is not None else new_item("list-text")
            walk.text(loose, text)

    loose_text(source.text)
    for child in source:
        name = local_name(child)
        if name == "label":
            flush_label()
            label = child
        elif name in ("head", "headLabel", "headItem"):
            flush_label()
            last_item, loose = new_item("list-head"), None
            walk.keep_identity(child, last_item)
            walk.children(child, last_item)
        elif name == "item":
            last_item, loose = new_item("item"), None
            walk.keep_identity(child, last_item)
            flush_label(last_item)
            walk.children(child, last_item)
        elif name:
            holder = loose if loose is not None else last_item
            walk.convert(child, holder if holder is not None else new_item("list-text"))
        loose_text(child.tail)
    flush_label()


@handles("item", display=BLOCK)
def item(walk, source, parent):
    """An item outside a list: a block of its own."""
    tag = walk.block_tag(parent)
    walk.wrap(source, parent, tag, "item" if tag == "div" else "np item")


@handles("label", display=BLOCK)
def label(walk, source, parent):
    walk.wrap(source, parent, "span", "label")


# --- quotation ------------------------------------------------------------------------------


@handles("quote", display=BLOCK)
def quote(walk, source, parent):
    if _is_block_context(source) and not walk.in_note:
        element = add_element(parent, "blockquote", "quote")
        walk.keep_identity(source, element)
        if any(local_name(c) in ("p", "lg", "list") for c in source):
            walk.children(source, element)
        else:
            walk.children(source, add_element(element, "p", "p"))
    else:
        walk.wrap(source, parent, "span", "quote")


@handles("cit", display=BLOCK)
def cit(walk, source, parent):
    if not (_is_block_context(source) and not walk.in_note):
        walk.wrap(source, parent, "span", "cit")
        return
    element = add_element(parent, "blockquote", "cit")
    walk.keep_identity(source, element)
    loose = None  # a paragraph for the words that stand in the cit itself, between its parts

    def loose_text(text):
        nonlocal loose
        if text and text.strip():
            loose = loose if loose is not None else add_element(element, "p", "p")
            walk.text(loose, text)

    loose_text(source.text)
    for child in source:
        if local_name(child) == "bibl":
            walk.wrap(child, element, "p", "cit-source")
            loose = None
        elif local_name(child) == "quote" and not any(local_name(c) in ("p", "lg") for c in child):
            walk.wrap(child, element, "p", "p")
            loose = None
        elif isinstance(child.tag, str):
            walk.convert(child, loose if loose is not None else element)
        loose_text(child.tail)


def _is_block_context(source) -> bool:
    parent = source.getparent()
    if local_name(parent) == "p" and any(local_name(c) in ("p", "lg", "l", "list") for c in source.iter()):
        return True
    return local_name(parent) in ("div", "body", "back", "front", "cit", "note", "item") and not (
        (parent.text or "").strip() and local_name(parent) in ("note", "item")
    )


@handles("speaker", display=BLOCK)
def speaker(walk, source, parent):
    """Who speaks: a line of its own before the speech."""
    walk.wrap(source, parent, walk.paragraph_tag(parent), "speaker")


# A cast list: each item a line of its own; a role, its description and its actor kept apart by a comma where the
# TEI has nothing between them (<role>Alba</role><roleDesc>a gardener</roleDesc>).
generic("castList", "castGroup", "castItem", "set", "prologue", "epilogue", "performance", display=BLOCK)
omitted("move")  # an entrance or exit, by attributes only: nothing to print
_CAST_PARTS = ("role", "roleDesc", "actor")


@handles(*_CAST_PARTS, display=INLINE)
def cast_part(walk, source, parent):
    after_part(source, parent, _CAST_PARTS, ",")
    walk.wrap(source, parent, "span", local_name(source))


@handles("q", display=INLINE)
def q(walk, source, parent):
    walk.wrap(source, parent, "span", "q")


# --- highlighting ---------------------------------------------------------------------------


# The HTML element that states a presentation itself; the others are classes.
_TAGS = (("sup", "sup"), ("sub", "sub"), ("italic", "i"), ("bold", "b"))


@handles("hi", display=INLINE)
def hi(walk, source, parent):
    """As its @rend (or @style, @rendition) asks; italic when it says nothing; a presentation the books do not
    know prints the content plainly, the value kept as data-rend."""
    asked = any(source.get(a) for a in ("rend", "style", "rendition"))
    looks = presentation(source) if asked else ["italic"]
    stated, tag = next(((look, tag) for look, tag in _TAGS if look in looks), ("", "span"))
    element = walk.wrap(source, parent, tag, " ".join(["hi"] + [look for look in looks if look != stated]))
    if not understood(source.get("rend") or ""):
        element.set("data-rend", source.get("rend"))


@handles("emph", display=INLINE)
def emph(walk, source, parent):
    walk.wrap(source, parent, "em", "emph")


@handles("foreign", display=INLINE)
def foreign(walk, source, parent):
    element = walk.wrap(source, parent, "i", "foreign")
    if source.get(XML_LANG):
        element.set("lang", source.get(XML_LANG))


# --- line and page breaks, anchors ------------------------------------------------------------


@handles("lb", display=INLINE)
def lb(walk, source, parent):
    """Nothing inside a word (break="no"); a line break in verse, addresses, headings, an EpiDoc edition and the
    like; elsewhere a space, so the words of two lines never run together."""
    walk.place_notes_at(source.get(XML_ID), parent)
    if source.get("break") == "no":
        walk.join_word(parent)
    elif any(local_name(a) in _LINE_BREAKING or _epigraphic(a) for a in source.iterancestors()):
        line_break(parent)
    else:
        append_text(parent, " ")


def _epigraphic(ancestor) -> bool:
    """The text of an inscription or papyrus as EpiDoc encodes it (an ``<ab>`` in ``<div type="edition">``): its
    lines are the object's, printed as lines. (Texts of other projects in such a div, in paragraphs, mark the
    lines of a printed source with lb: those run on.)"""
    return local_name(ancestor) == "ab" and any(
        local_name(a) == "div" and a.get("type") == "edition" for a in ancestor.iterancestors())


@handles("pb", "cb", "milestone", display=INLINE)
def milestone(walk, source, parent):
    """An empty TEI element that prints nothing itself: the white space around it in the source decides whether
    the words on either side are one (break="no" joins them); with an id, the notes attached to it, then an empty
    span with its id."""
    if source.get("break") == "no":
        walk.join_word(parent)
    ident = source.get(XML_ID)
    if ident:
        walk.place_notes_at(ident, parent)
        add_element(parent, "span", f"milestone {local_name(source)}").set("id", ident)


@handles("addrLine", display=INLINE)
def address_line(walk, source, parent):
    """A line of an address: on a line of its own."""
    line_break(parent)
    walk.wrap(source, parent, "span", "tei-addrLine")


# --- omissions and editorial interventions --------------------------------------------------


@handles("gap", display=INLINE)
def gap(walk, source, parent):
    """An omission: the encoder's description in brackets, or […] with the reason given."""
    omission(walk, source, parent)


def omission(walk, source, parent) -> None:
    desc = source.find(tei("desc"))
    reason = source.get("reason") or ""
    words = plain_text(desc) if desc is not None else ""
    element = add_element(parent, "span", "gap")
    element.set("data-reason", reason)
    walk.keep_id(source, element)
    said = " ".join(re.split(r"[\s_-]+", reason)).strip()  # "not-in-witness" as words
    element.text = f"[{words}]" if words else f"[… {said}]" if said else "[…]"


@handles("unclear", display=INLINE)
def unclear(walk, source, parent):
    """Words read with doubt are printed as read; an unclear passage with no words read is an omission."""
    if not "".join(source.itertext()).strip() and not len(source):
        omission(walk, source, parent)
        return
    element = walk.wrap(source, parent, "span", "unclear")
    if source.get("reason"):
        element.set("data-reason", source.get("reason"))


@handles("desc", display=INLINE)
def desc(walk, source, parent):
    """A description of a gap (or of a graphic) is printed by it; elsewhere its words are printed."""
    if local_name(source.getparent()) not in ("gap", "unclear", "graphic", "space", "damage"):
        walk.wrap(source, parent, "span", "tei-desc")


@handles("del", display=INLINE)
def del_(walk, source, parent):
    """Deleted words are not printed in the text: an entry of the apparatus keeps them ("del."), at the place of
    the deletion. Words whose deletion a <restore> undid are printed."""
    if any(local_name(a) == "restore" for a in source.iterancestors()):
        walk.wrap(source, parent, "span", "del restored")
        return
    deletion_entry(walk, source, parent, [source], [])


def deletion_entry(walk, source, parent, deleted: list, shown: list) -> None:
    """The words ``shown`` (an addition replacing the deleted) printed as a lemma; the ``deleted`` as its reading."""
    anchor = source.get(XML_ID) or walk.new_id("d")
    words = " ".join(filter(None, (plain_text(d) for d in deleted)))

    def fill(element):
        for child in shown:
            walk.convert(child, element)

    entry = entry_at(walk, parent, "variant", anchor, shown, fill, f"lemma {local_name(source)}")
    entry.readings = [Reading(words, (walk.siglum,) if walk.siglum else (), "del")]


# The reading a choice prints, in order of preference: the editor's correction, regularisation or expansion.
_CHOSEN = ("corr", "reg", "expan")


@handles("choice", display=INLINE)
def choice(walk, source, parent):
    """One reading printed, the others kept: a correction or regularisation is an emendation (the witness's reading
    in the list of emendations), an expansion keeps its abbreviation as its title; any other pairing (segments,
    unclear readings, ...) prints its first reading with words and keeps the rest in the apparatus."""
    options = [c for c in source if isinstance(c.tag, str)]
    if not options:
        return
    shown = next((c for name in _CHOSEN for c in options if local_name(c) == name), None)
    if shown is None:
        shown = next((c for c in options if plain_text(c)), options[0])
    rejected = [c for c in options if c is not shown]
    if not rejected:
        walk.convert(shown, parent)
        return
    if local_name(shown) == "expan" and all(local_name(c) == "abbr" for c in rejected):
        element = add_element(parent, "span", "expan")
        element.set("title", " ".join(plain_text(c) for c in rejected))
        walk.keep_identity(source, element)
        walk.children(shown, element)
        return
    kind = local_name(shown) if local_name(shown) in ("corr", "reg") else ""
    anchor = source.get(XML_ID) or shown.get(XML_ID) or walk.new_id("e")
    entry = entry_at(walk, parent, "emendation" if kind else "variant", anchor, [shown],
                     lambda element: walk.children(shown, element), f"emendation {kind}" if kind else "lemma choice")
    sigla = (walk.siglum,) if walk.siglum else ()
    entry.readings = [Reading(words, sigla, "" if words else "om")
                      for words in (plain_text(c) for c in rejected)]


@handles("sic", display=INLINE)
def sic(walk, source, parent):
    element = walk.wrap(source, parent, "span", "sic")
    append_text(element, " [sic]")


@handles("corr", display=INLINE)
def corr(walk, source, parent):
    walk.wrap(source, parent, "span", "corr")


# --- notes ----------------------------------------------------------------------------------


def letters(n: int) -> str:
    """a, b, ..., z, aa, ab, ...: the editorial notes' calls."""
    label = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        label = string.ascii_lowercase[rest] + label
    return label


SYMBOLS = "*†‡§‖¶"


def call_label(n: int, numbering: str) -> str:
    """The n-th call of a series: 1, 2, 3 ...; a, b, c ...; or *, †, ‡, §, ‖, ¶, **, †† ..."""
    if numbering == "letters":
        return letters(n)
    if numbering == "symbols":
        return SYMBOLS[(n - 1) % len(SYMBOLS)] * ((n - 1) // len(SYMBOLS) + 1)
    return str(n)


def note_series(source, settings) -> str:
    """The series a note belongs to: "editor" if its @type or @resp is the editors' series', else "author"."""
    resp = (source.get("resp") or "").split()
    editor = settings.editor
    return "editor" if (source.get("type") or "") in editor.types or any(r in editor.resp for r in resp) else "author"


@handles("note", display=INLINE)
def note(walk, source, parent):
    render_note(walk, source, parent)


def render_note(walk, source, parent, placing: bool = False):
    """A footnote at its call (the word before it), an inline gloss in place, or nothing where it is detached."""
    if walk.state.in_header:
        return
    if source in walk.detached and not placing:
        return  # printed at the place it points to
    if source.get("place") == "inline":
        # printed in the running text by the witness itself (a bracketed gloss): it stays there
        element = add_element(parent, "span", "inline-note")
        walk.keep_identity(source, element)
        if source.get("type"):
            element.set("data-type", source.get("type"))
        walk.children(source, element)
        return
    series = note_series(source, walk.state.note_settings)
    settings = getattr(walk.state.note_settings, series)
    counters = walk.note_counts if settings.restart == "text" else walk.state.note_counts
    counters[series] = counters.get(series, 0) + 1
    label = call_label(counters[series], settings.numbering)
    if series == "author" and settings.numbering == "numbers" and source.get("n"):
        label = source.get("n")  # the witness's own number for its note
    note_id = source.get(XML_ID) or walk.new_id("n")
    call_id = f"call-{note_id}"
    # the note sits inside the span around the word before it, so no line can break between them
    element = add_element(wrap_last_word(parent, call_id), "span", f"note {series}")
    element.set("id", note_id)
    element.set("data-label", label)
    element.set("data-series", series)
    if source.get("type") and series == "author":
        element.set("data-type", source.get("type"))
    if source.get("type") == "translator":
        add_element(element, "span", "note-kind").text = walk.state.words.translator_note
    walk.in_note += 1
    walk.children(source, element)
    walk.in_note -= 1
    walk.state.notes.append(Note(note_id, series, label, call_id, walk.text_id))
