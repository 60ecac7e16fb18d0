"""The model's types: the book, its texts, notes, apparatus entries, name occurrences and register entries."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..diagnostics import Diagnostic


@dataclass(frozen=True)
class Note:
    """A footnote: authorial ("author") or editorial ("editor"), called at ``call_id``."""

    id: str
    series: str
    label: str
    call_id: str
    text_id: str


# What a reading without words does, in the Latin every apparatus prints (Reading.mark).
MARK_WORDS = {"om": "om.", "secl": "secl.", "transp": "transp.", "del": "del."}


@dataclass(frozen=True)
class Reading:
    """One reading of an apparatus entry, or the copy's reading an emendation rejects."""

    text: str  # its words; "" when it has none
    sigla: tuple[str, ...] = ()  # witnesses, groups of witnesses and sources, as printed
    mark: str = ""  # what a reading without words does: "om" (omits), "secl" (brackets as spurious), "transp";
    # "del": its words were deleted in the witness (printed after them)
    qualifiers: tuple[str, ...] = ()  # its @type and @cause; "?" where the encoder marks it uncertain
    notes: tuple[str, ...] = ()  # the encoder's notes on this reading
    group: int = 0  # the readings of one rdgGrp share a number above 0


@dataclass
class TextualEntry:
    """One entry of the apparatus (a variant) or of the list of emendations, keyed to its lemma's anchor."""

    kind: str  # "emendation" or "variant"
    anchor_id: str
    text_id: str
    lemma: str
    readings: list[Reading]
    lemma_sigla: tuple[str, ...] = ()
    comment: str = ""  # the encoder's notes on the entry as a whole, printed at its end
    series: str = "critical"  # the apparatus series it belongs to (app/@type)
    verse_lines: tuple[str, str] | None = None  # in verse, the numbers of the lines where the lemma begins and ends
    context: str = ""  # for a lemma without words or of punctuation only: the word before it, which keys it
    whole_lines: bool = False  # about whole verse lines (secluded, transposed), keyed by them and with no lemma


@dataclass(frozen=True)
class Occurrence:
    """A name in a text that points into a register: where it stands (``anchor_id``) and what it names."""

    anchor_id: str
    target: str  # register id
    kind: str  # person, work, org, place
    form: str
    text_id: str
    in_note: bool


@dataclass(frozen=True)
class RegisterEntry:
    """One entry of a register (a person, work, organisation or place) as the index and the links need it."""

    id: str
    kind: str  # person, work, org, place
    heading: str  # the name in index order ("Trotsky, Leon"), a work's title
    dates: str = ""  # "1879–1940", "d. 1937"; a work's year
    gloss: str = ""  # a short identification, from the entry's note
    forms: tuple[str, ...] = ()  # other names the register records: spellings, birth names, pseudonyms
    authors: tuple[str, ...] = ()  # a work's authors, as register ids


@dataclass
class Text:
    """One text of the edition (or of its front matter) and its model HTML."""

    id: str
    title: str
    short_title: str
    authors: list[str]
    responsibility: list[str]
    source: str
    siglum: str
    language: str
    section: etree._Element
    source_html: etree._Element | None = None
    role: str = "text"  # "text" or "front"
    verse: bool = False  # its lines are verse lines (numbered by the TEI's count), not prose


@dataclass
class Part:
    id: str
    number: str
    title: str
    texts: list[Text] = field(default_factory=list)


@dataclass(frozen=True)
class Witness:
    siglum: str
    description: str
    text_title: str
    manuscript: bool = False  # a manuscript (described as one, or with a shelfmark or a date of its own)
    copy_text: bool = False  # the copy a text is printed from (its sourceDesc's bibl)


@dataclass(frozen=True)
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
    """Everything both books print, built once from the TEI."""

    metadata: Metadata
    front: list[Text]
    parts: list[Part]
    notes: list[Note]
    textual: list[TextualEntry]
    occurrences: list[Occurrence]
    witnesses: list[Witness]
    registers: dict[str, dict[str, RegisterEntry]]  # kind -> id -> entry
    warnings: list[Diagnostic]

    @property
    def texts(self) -> list[Text]:
        return [text for part in self.parts for text in part.texts]

    def register_ids(self) -> set[str]:
        return {ident for entries in self.registers.values() for ident in entries}
