"""The apparatus as both books print it: an entry's key, its lemma, then each reading with its sigla.

``5 dura] iura, iure T (above the line); signa (?) Ϛ — T has both.`` The key is the number of the line
where the lemma begins (or the range it spans); a lemma of more than a few words is printed as its first and
last word; a lemma without words (an addition) or of punctuation only is printed with the word before it.
"""

from __future__ import annotations

from lxml import etree

from ..config import ApparatusSettings
from ..model import Book, Reading, TextualEntry
from ..model.book import MARK_WORDS
from ..model.html import add_element

# the apparatus's own words, in italic: for a reading without words, or after a reading's words ("del.")
HEADING_KEY = "tit."  # the key of a lemma in a heading, which has no line number


def placement(book: Book, settings: ApparatusSettings) -> str:
    """Where the apparatus is printed: "foot" or "back"; "auto" puts it at the foot of verse and of texts
    whose witnesses are manuscripts, at the back of modern texts (keyed by page and line)."""
    if settings.placement != "auto":
        return settings.placement
    if any(text.verse for text in book.texts) or any(w.manuscript for w in book.witnesses):
        return "foot"
    return "back"


def shortened(words: str, most: int) -> str:
    """A long lemma as its first and last word: 'quanto … periclo'."""
    parts = words.split()
    return " ".join(parts) if len(parts) <= most else f"{parts[0]} … {parts[-1]}"


def lemma_words(entry: TextualEntry, most: int) -> str:
    if entry.context:
        return joined(entry.context, entry.lemma)
    return shortened(entry.lemma, most)


def joined(word: str, text: str) -> str:
    """A word and what follows it: punctuation attaches, words are spaced ('exile,' but 'exile and')."""
    text = " ".join(text.split())
    return f"{word} {text}" if text[:1].isalnum() else f"{word}{text}"


def add_entry(parent: etree._Element, entry: TextualEntry, key: str, settings: ApparatusSettings, *,
              lemma_href: str | None = None, separator: bool = False, tag: str = "span") -> etree._Element:
    """The entry as model HTML, appended to ``parent``: [separator] [key] lemma [sigla]] readings — notes."""
    element = add_element(parent, tag, "app-entry")
    element.set("data-series", entry.series)
    element.set("data-lemma", entry.anchor_id)
    if separator:
        _append(element, f" {settings.separator}\u2002")
    if entry.whole_lines:  # no lemma: the key names the lines, and links to them
        shown = add_element(element, "a" if lemma_href else "b", "app-key app-lemma" if lemma_href else "app-key")
        shown.text = key or "–".join(dict.fromkeys(entry.verse_lines))
        if lemma_href:
            shown.set("href", lemma_href)
        _append(element, " ")
    else:
        if key:
            add_element(element, "b", "app-key").text = key
            _append(element, " ")
        lemma = add_element(element, "a" if lemma_href else "span", "app-lemma")
        if lemma_href:
            lemma.set("href", lemma_href)
        lemma.text = lemma_words(entry, settings.lemma_words) or "[—]"
        _sigla(element, entry.lemma_sigla)
        _append(element, "] ")
    readings = entry.readings
    for index, reading in enumerate(readings):
        if index:
            same_group = reading.group and reading.group == readings[index - 1].group
            _append(element, ", " if same_group else "; ")
        following = readings[index + 1] if index + 1 < len(readings) else None
        # the readings of one group that share their sigla print them once, after the last
        shares = following is not None and reading.group and following.group == reading.group \
            and following.sigla == reading.sigla and not reading.notes
        _reading(element, reading, entry, with_sigla=not shares)
    if entry.comment:
        _append(element, " — ")
        add_element(element, "span", "app-note").text = entry.comment
    return element


def _reading(element, reading: Reading, entry: TextualEntry, with_sigla: bool = True) -> None:
    if reading.text or not reading.mark:
        _append(element, joined(entry.context, reading.text) if entry.context else " ".join(reading.text.split()))
    if reading.mark:
        _append(element, " " if reading.text else "")
        add_element(element, "i", "app-word").text = MARK_WORDS[reading.mark]
    for qualifier in reading.qualifiers:
        _append(element, " ")
        add_element(element, "i", "app-qualifier").text = f"({qualifier})"
    if with_sigla:
        _sigla(element, reading.sigla)
    for note in reading.notes:
        _append(element, " ")
        add_element(element, "span", "app-note").text = f"({note})"


def _sigla(element, sigla: tuple[str, ...]) -> None:
    if sigla:
        _append(element, " ")
        add_element(element, "i", "sigla").text = " ".join(sigla)


def _append(element, text: str) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text
