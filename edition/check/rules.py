"""The catalogue of validation rules: each with an id, a severity and a one-line explanation."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..diagnostics import Diagnostic, Severity
from ..load import Document


@dataclass(frozen=True)
class Rule:
    """A rule: an error when a book built despite it would be wrong, a warning when merely incomplete."""

    id: str
    severity: Severity
    summary: str
    why: str  # the reason for the severity, as the README's table of rules gives it


_E, _W = Severity.ERROR, Severity.WARNING

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        Rule("xml-malformed", _E, "The file is not well-formed XML.",
             "The file cannot be read, so its text would be missing from the books."),
        Rule("xml-encoding", _E, "The file's bytes are not in the encoding it declares (use UTF-8).",
             "The file cannot be read, so its text would be missing from the books."),
        Rule("xml-empty", _E, "The file is empty.", "There is no text to read."),
        Rule("xml-entity", _E, "Entity declarations and unexpanded entity references are refused.",
             "The characters an entity stands for would be missing from the text."),
        Rule("xml-too-large", _E, "The file, or one value, text or name in it, is larger than this tool reads.",
             "The file is not read, so its text would be missing from the books."),
        Rule("xml-too-deep", _E, "Elements (or notes inside notes) are nested deeper than the books can be laid out.",
             "The PDF cannot be laid out (WeasyPrint runs out of stack); the file is not read."),
        Rule("file-unreadable", _E, "The file cannot be read.", "Its text would be missing from the books."),
        Rule("xinclude-refused", _E, "An XInclude reaches outside the edition folder, a URL, itself, or no file.",
             "The text it should bring in would be missing from the books."),
        Rule("schema", _E,
             "The file does not match its RELAX NG schema (an element or attribute out of place or misspelt).",
             "An element the schema does not expect there is printed wrongly or not as the editor meant."),
        Rule("schema-missing", _E,
             "The schema the file's xml-model names is not in the edition folder, or cannot be used.",
             "The file cannot be checked against the schema it names."),
        Rule("schema-substituted", _W,
             "The file names a schema by a URL that is not available offline; TEI P5 tei_all was checked instead.",
             "The file is still checked against the whole of TEI; only its project's own restrictions go "
             "unchecked, which the books do not depend on."),
        Rule("id-duplicate", _E, "An xml:id is used twice in the edition (ids are unique across files).",
             "A pointer to that id could lead to the wrong place in the books."),
        Rule("ref-unresolved", _E,
             "A pointer that should reach into the edition (#id, a file of it, file.xml#id) reaches nothing.",
             "A cross-reference would lead nowhere, a name would be missing from the index, or a text the "
             "manifest places would be missing."),
        Rule("ref-outside", _W,
             "A pointer reaches into a file that is not part of the edition (reported once per file).",
             "Usual in a file taken from a larger project: the words are printed, only the link is missing."),
        Rule("ref-header", _W, "A pointer in the teiHeader of a file without a manifest reaches nothing.",
             "A file taken from a larger project points from its header into the project's shared header "
             "(taxonomies, personography); the books do not print these pointers. In an edition with a "
             "manifest the same pointer is a ref-unresolved error."),
        Rule("ref-wrong-kind", _E, "A pointer reaches the wrong kind of thing (persName to a non-person, ...).",
             "The name would be indexed under the wrong kind of entry."),
        Rule("wit-undeclared", _E, "A @wit names a witness that no listWit declares.",
             "The apparatus would print a siglum the list of witnesses does not explain."),
        Rule("app-lem-multiple", _E, "An <app> has more than one <lem>.",
             "The apparatus would give two lemmas for one entry."),
        Rule("app-wit-repeated", _E, "A witness is named by two readings of one <app>.",
             "The apparatus would give one witness two readings of the same place."),
        Rule("app-wit-missing", _W, "A declared witness is accounted for by no reading of an <app>.",
             "The entry is silent about a witness: incomplete, but nothing printed is false."),
        Rule("choice-unpaired", _E, "A <choice> does not pair sic/corr, orig/reg or abbr/expan.",
             "The renderer cannot tell which reading to print in the text."),
        Rule("note-empty", _E, "A <note> in the text has no content.",
             "The books would print a note call leading to an empty note."),
        Rule("date-not-iso", _E, "A date attribute is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, ...).",
             "Life dates in the index, works' years and the edition's date are read from these attributes; "
             "a value that is not a date would be printed wrong."),
        Rule("date-empty", _W, "A date attribute is empty.",
             "An empty value is read as no date: nothing is printed wrong, the date is just not there."),
        Rule("name-unlinked", _W, "A name in a text (persName, title, placeName, orgName) has no @ref.",
             "The name is printed but missing from the index."),
        Rule("register-unused", _W, "A register entry is referred to from nowhere.",
             "The entry has no locator to print; nothing in the text is affected."),
        Rule("manifest-missing-text", _W, "A text in the edition folder is not placed by the manifest.",
             "The books hold what the manifest places; a file left out may be a draft."),
        Rule("edition-empty", _E, "The edition has nothing to print (its manifest places no text with words).",
             "The books would be empty."),
        Rule("text-empty", _E, "A text yields no printed words (reported by the build).",
             "The words of that text would be missing from the books."),
    ]
}


def finding(document: Document, element: etree._Element, rule: str, message: str,
            attribute: str | None = None) -> Diagnostic:
    """A diagnostic for ``rule`` at an element (or one of its attributes) of a document."""
    path, line, column = document.locate(element, attribute)
    return Diagnostic(path, line, column, RULES[rule].severity, rule, message)
