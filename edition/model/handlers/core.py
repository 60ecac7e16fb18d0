"""The TEI core module: paragraphs, highlighting, quotation, lists, notes, milestones, editorial interventions."""

from __future__ import annotations

import re
import string

from ... import XML_ID, XML_LANG, local_name, tei
from ..book import Note, Reading, TextualEntry
from ..html import BLOCK_PARENTS, add_element, append_text, wrap_last_word
from ..plain import plain_text
from ..registry import Display, generic, handles, omitted

BLOCK, INLINE = Display.BLOCK, Display.INLINE

generic("said", "mentioned", "soCalled", "term", "gloss", "distinct", "num", "measure", "time", "name",
        "orig", "reg", "expan", "abbr", "unclear", "add", "email", "address", "addrLine", "street", "postCode",
        "author", "editor", "respStmt", "resp", "idno", "biblScope", "pubPlace", "publisher", "citedRange",
        display=INLINE)
generic("bibl", "listBibl", "sp", display=BLOCK)
omitted("graphic", "index")

ITALIC_RENDS = {"italic", "italics", "i", "it"}
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
    return name in ("list", "lg", "table", "figure") or (
        name in ("quote", "cit") and any(local_name(c) in ("p", "lg", "l", "list") for c in child.iter())
    )


@handles("list", display=BLOCK)
def list_(walk, source, parent):
    if walk.in_note:
        walk.wrap(source, parent, "span", "np list")
        return
    ordered = source.get("type") in ("ordered", "numbered") or source.get("rend") in ("numbered", "ordered")
    labelled = source.find(tei("label")) is not None or any(
        item.find(tei("label")) is not None for item in source.iter(tei("item"))
    )
    tag = "ol" if ordered and not labelled else "ul"
    element = add_element(parent, tag, "list" + (" labelled" if labelled else ""))
    walk.keep_identity(source, element)
    pending_label = None
    for child in source:
        if not isinstance(child.tag, str):
            continue
        name = local_name(child)
        if name == "label":
            pending_label = child
        elif name == "head":
            walk.children(child, add_element(element, "li", "list-head"))
        elif name == "item":
            item = add_element(element, "li", "item")
            walk.keep_identity(child, item)
            if pending_label is not None:
                label = add_element(item, "span", "label")
                walk.children(pending_label, label)
                label.tail = " "
                pending_label = None
            walk.children(child, item)
        else:
            walk.convert(child, element)


@handles("item", display=BLOCK)
def item(walk, source, parent):
    walk.wrap(source, parent, walk.block_tag(parent), "item")


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
    for child in source:
        if not isinstance(child.tag, str):
            continue
        if local_name(child) == "bibl":
            walk.wrap(child, element, "p", "cit-source")
        elif local_name(child) == "quote" and not any(local_name(c) in ("p", "lg") for c in child):
            walk.wrap(child, element, "p", "p")
        else:
            walk.convert(child, element)


def _is_block_context(source) -> bool:
    parent = source.getparent()
    if local_name(parent) == "p" and any(local_name(c) in ("p", "lg", "l", "list") for c in source.iter()):
        return True
    return local_name(parent) in ("div", "body", "back", "front", "cit", "note", "item") and not (
        (parent.text or "").strip() and local_name(parent) in ("note", "item")
    )


@handles("q", display=INLINE)
def q(walk, source, parent):
    walk.wrap(source, parent, "span", "q")


# --- highlighting ---------------------------------------------------------------------------


@handles("hi", display=INLINE)
def hi(walk, source, parent):
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
    walk.wrap(source, parent, tag, cls)


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
    if any(local_name(a) in _LINE_BREAKING for a in source.iterancestors()):
        add_element(parent, "br")
    else:
        append_text(parent, " ")


@handles("pb", "cb", "milestone", display=INLINE)
def milestone(walk, source, parent):
    """An empty TEI element with an id: the notes attached to it, then an empty span with its id."""
    ident = source.get(XML_ID)
    if ident:
        walk.place_notes_at(ident, parent)
        add_element(parent, "span", f"milestone {local_name(source)}").set("id", ident)


# --- omissions and editorial interventions --------------------------------------------------


@handles("gap", display=INLINE)
def gap(walk, source, parent):
    desc = source.find(tei("desc"))
    reason = source.get("reason") or ""
    words = plain_text(desc) if desc is not None else ""
    element = add_element(parent, "span", "gap")
    element.set("data-reason", reason)
    walk.keep_id(source, element)
    if words and (walk.in_note or reason == "witness-ends"):
        element.text = f"[{words}]"
    else:
        element.text = "[…]"
        if words:
            element.set("title", words)


@handles("desc", display=INLINE)
def desc(walk, source, parent):
    """A description belongs to its gap (or figure), which prints it."""


@handles("del", display=INLINE)
def del_(walk, source, parent):
    walk.wrap(source, parent, "del", "del")


@handles("choice", display=INLINE)
def choice(walk, source, parent):
    parts = {local_name(c): c for c in source if isinstance(c.tag, str)}
    if "sic" in parts and "corr" in parts:
        _emendation(walk, source, parent, parts["corr"], parts["sic"], "corr")
    elif "orig" in parts and "reg" in parts:
        _emendation(walk, source, parent, parts["reg"], parts["orig"], "reg")
    elif "abbr" in parts and "expan" in parts:
        element = add_element(parent, "abbr", "abbr")
        element.set("title", plain_text(parts["expan"]))
        walk.keep_identity(source, element)
        walk.children(parts["abbr"], element)
    else:
        first = next((c for c in source if isinstance(c.tag, str)), None)
        if first is not None:
            walk.convert(first, parent)


def _emendation(walk, choice, parent, shown, rejected, kind):
    anchor = choice.get(XML_ID) or shown.get(XML_ID) or walk.new_id("e")
    element = add_element(parent, "span", f"emendation {kind}")
    element.set("id", anchor)
    walk.children(shown, element)
    walk.state.textual.append(
        TextualEntry("emendation", anchor, walk.text_id, plain_text(shown), [Reading(
            plain_text(rejected), (walk.siglum,) if walk.siglum else (), "" if plain_text(rejected) else "om")],
            verse_lines=(walk.open_lines[-1],) * 2 if walk.open_lines else None)
    )


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
