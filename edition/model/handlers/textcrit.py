"""The critical apparatus: the lemma stays in the text; each entry (readings, sigla, notes) is collected."""

from __future__ import annotations

import re
from dataclasses import replace

from ... import XML_ID, local_name, tei
from ..book import MARK_WORDS, Reading, TextualEntry
from ..html import WORD_JOINER, add_element, append_text, has_class, visible_words
from ..plain import plain_text
from ..registry import Display, generic, handles, omitted

generic("lem", "rdg", "rdgGrp", display=Display.INLINE)
omitted("witDetail", "listWit", "variantEncoding")

# app/@type values that name the critical apparatus itself rather than a series of its own
CRITICAL_TYPES = {"", "critical", "textcritical", "text-critical", "variant", "variants", "textual"}
_WORDLESS = re.compile(r"^[\W_]*$")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@handles("app", display=Display.INLINE)
def app(walk, source, parent):
    lemma = next((r for r in _readings(source) if r.tag == tei("lem")), None)
    anchor = source.get(XML_ID) or walk.new_id("a")
    if lemma is None and not walk.open_lines and len(parent) and has_class(parent[-1], "l"):
        parent = parent[-1]  # an entry between two verse lines stands at the end of the line before it
    shown = [lemma] if lemma is not None else []

    def fill(element):
        for reading in shown:
            walk.children(reading, element)

    entry = entry_at(walk, parent, "variant", anchor, shown, fill, "lemma")
    entry.series = series_of(source)
    notes = _notes_by_target(source)
    entry.readings = [_reading(walk, reading, group, notes) for reading, group in _rejected(source)]
    if lemma is not None:
        entry.lemma_sigla = sigla_of(walk, lemma)
        notes_on_lemma = notes.pop(lemma.get(XML_ID), [])
    else:
        notes_on_lemma = []
    loose = notes.pop(None, []) + notes_on_lemma + [text for texts in notes.values() for text in texts]
    entry.comment = " ".join(text for text in loose if text)
    if lemma is None:
        _about_whole_lines(source, entry)




@handles("listApp", display=Display.BLOCK)
def list_app(walk, source, parent):
    """An apparatus kept apart from the text (EpiDoc's, or any whose entries name their place by @loc): printed
    where it stands, an entry to a line, keyed by its @loc: "2 Felici] Fideli CIL". Its lemmas are not words of
    the text at this place, so they stand only in their entries."""
    block = add_element(parent, "div", "listApp")
    walk.keep_identity(source, block)
    if source.text:
        walk.text(block, source.text)
    for child in source:
        if isinstance(child.tag, str):
            _detached_entry(walk, child, block)
        if child.tail:
            walk.text(block, child.tail)


def _detached_entry(walk, child, block) -> None:
    """One entry of a listApp as a line of its own (anything else in the list as it comes)."""
    if child.tag != tei("app"):
        walk.convert(child, block)
        return
    line = add_element(block, "div", "app-line")
    walk.keep_identity(child, line)
    if child.get("loc"):
        add_element(line, "b", "app-key").text = child.get("loc")
        append_text(line, " ")
    lemma = next((r for r in _readings(child) if r.tag == tei("lem")), None)
    if lemma is not None:
        walk.children(lemma, add_element(line, "span", "lemma"))
        _sigla_after(walk, lemma, line)
        append_text(line, "] ")
    for number, (reading, _) in enumerate(_rejected(child)):
        if number:
            append_text(line, "; ")
        words = add_element(line, "span", "reading")
        walk.children(reading, words)
        if not "".join(words.itertext()).strip():  # a reading without words: what it does (om., secl.)
            words.text = MARK_WORDS.get(_reading(walk, reading, 0, {}).mark, "")
        _sigla_after(walk, reading, line)
    for other in child:  # the encoder's notes on the entry, and anything else it holds, after its readings
        if isinstance(other.tag, str) and other.tag not in (tei("lem"), tei("rdg"), tei("rdgGrp")):
            append_text(line, " ")
            walk.convert(other, line)


def _sigla_after(walk, reading, line) -> None:
    """The sigla of a reading's witnesses, sources and (EpiDoc's way of naming an editor) @resp, in italic."""
    tokens = [*(reading.get("wit") or "").split(), *(reading.get("source") or "").split(),
              *(reading.get("resp") or "").split()]
    sigla = walk.state.sigla_for(tokens)
    if sigla:
        append_text(line, " ")
        add_element(line, "i", "sigla").text = " ".join(sigla)


def _about_whole_lines(app, entry: TextualEntry) -> None:
    """An entry with no lemma whose every reading secludes or moves whole lines (``l/@copyOf``): keyed by those
    lines, not by the word before it ("15–16 secl. Pescani"); a transposition says where the lines go, after
    the line the entry stands by ("15–16 post 20 transp. Markland")."""
    numbers = []
    for reading, _ in _rejected(app):
        copied = [_by_id(line, line.get("copyOf").lstrip("#")) for line in reading.iter(tei("l")) if line.get("copyOf")]
        numbers.append([line.get("n") for line in copied if line is not None and line.get("n")])
    if not entry.readings or not all(numbers) or any(r.mark not in ("secl", "transp") for r in entry.readings):
        return
    after = entry.verse_lines[1] if entry.verse_lines else None
    first, last = numbers[0][0], numbers[0][-1]
    entry.verse_lines, entry.whole_lines, entry.context, entry.lemma = (first, last), True, "", ""
    entry.readings = [replace(reading, text=f"post {after}") if reading.mark == "transp" and after and after != last
                      else reading for reading in entry.readings]


def entry_at(walk, parent, kind: str, anchor: str, shown: list, fill, cls: str) -> TextualEntry:
    """An entry of the apparatus ("variant") or of the emendations, whose lemma is printed in the text: a span
    with the entry's anchor, filled by ``fill``, the words of the TEI elements ``shown``. In the apparatus a lemma
    without words is keyed by the word before it (the list of emendations prints it as it stands); in verse, an
    entry by the lines its lemma spans, or by the line before it where it stands between lines."""
    context = _word_before(parent)
    current_line = walk.open_lines[-1] if walk.open_lines else None
    lines_before = len(walk.verse_lines)
    entry = TextualEntry(kind, anchor, walk.text_id, "", [])
    walk.state.textual.append(entry)  # before the entries nested in its lemma, which follow it
    element = add_element(parent, "span", cls)
    element.set("id", anchor)
    fill(element)
    if not (element.text or len(element)):
        element.set("data-empty", "true")
        element.text = WORD_JOINER
    entry.lemma = " ".join(filter(None, (plain_text(s) for s in shown)))
    if kind == "variant" and _WORDLESS.match(entry.lemma):
        entry.context = context
    inside = walk.verse_lines[lines_before:]
    if current_line is not None or inside:
        entry.verse_lines = (current_line or inside[0], inside[-1] if inside else current_line)
    elif lines_before and any(has_class(e, "l") for e in parent.iter("span")):  # between lines: the one before
        entry.verse_lines = (walk.verse_lines[lines_before - 1],) * 2
    return entry


def series_of(app) -> str:
    kind = (app.get("type") or "").strip()
    return "critical" if kind.lower() in CRITICAL_TYPES else kind


def _readings(app):
    """The lem and rdg of an app, through rdgGrp but not into nested apps, with their group number."""
    for child in app:
        if child.tag in (tei("lem"), tei("rdg")):
            yield child
        elif child.tag == tei("rdgGrp"):
            yield from _readings(child)


def _rejected(app, group: int = 0):
    """(rdg, group number) in order: the rdg of one rdgGrp share a number above 0."""
    count = 0
    for child in app:
        if child.tag == tei("rdg"):
            yield child, group
        elif child.tag == tei("rdgGrp"):
            count += 1
            yield from _rejected(child, group or count)


def _entry_notes(element):
    """The encoder's notes on an entry: in the app, its reading groups and readings; not those in the lemma
    (printed in the text) nor those of nested entries."""
    for child in element:
        if child.tag == tei("note"):
            yield child, element
        elif child.tag in (tei("rdg"), tei("rdgGrp")):
            yield from _entry_notes(child)


def _notes_by_target(app) -> dict:
    """The notes of an entry by what they are about: a reading's id (their @target), the rdg they stand in,
    or None for the entry as a whole."""
    found: dict = {}
    for note, holder in _entry_notes(app):
        target = (note.get("target") or "").split()
        key = target[0].lstrip("#") if target else (holder if holder.tag == tei("rdg") else None)
        found.setdefault(None if key == app.get(XML_ID) else key, []).append(plain_text(note, skip=()))
    return found


def _reading(walk, reading, group: int, notes: dict) -> Reading:
    text = plain_text(reading, skip=("note",), deleted="[[{}]]")
    mark = ""
    if not text and reading.get("copyOf"):
        copied = _by_id(reading, reading.get("copyOf").lstrip("#"))
        text = plain_text(copied) if copied is not None else ""
    if not text:
        if any(local_name(e) in ("secl", "surplus") for e in reading.iter()):
            mark = "secl"
        elif any(e.get("copyOf") for e in reading.iter(tei("l"))):
            mark = "transp"
        else:
            mark = "om"
    sigla = sigla_of(walk, reading)
    if not sigla and group:
        sigla = sigla_of(walk, reading.getparent())
    if (reading.get("varSeq") or "").isdigit():  # the witness's first, second ... reading: Ps¹, Ps²
        sigla = tuple(s + reading.get("varSeq").translate(_SUPERSCRIPT) for s in sigla)
    qualifiers = tuple(q for q in (reading.get("type"), reading.get("cause")) if q)
    if reading.get("cert") == "low":
        qualifiers += ("?",)
    own = (notes.pop(reading.get(XML_ID), []) if reading.get(XML_ID) else []) + notes.pop(reading, [])
    return Reading(text, sigla, mark, qualifiers, tuple(own), group)


def sigla_of(walk, reading) -> tuple[str, ...]:
    """The sigla of a reading's witnesses (@wit) and sources (@source), as the edition prints them."""
    tokens = (reading.get("wit") or "").split() + (reading.get("source") or "").split()
    return walk.state.sigla_for(tokens)


def _by_id(element, ident: str):
    root = element.getroottree().getroot()
    return next((e for e in root.iter() if isinstance(e.tag, str) and e.get(XML_ID) == ident), None)


def _word_before(parent) -> str:
    """The last word already printed in ``parent`` (for keying a lemma that has no words of its own)."""
    words = visible_words(parent).split()
    return words[-1] if words else ""
