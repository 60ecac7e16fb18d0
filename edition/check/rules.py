"""The catalogue of validation rules: each with an id, a severity and a one-line explanation."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..diagnostics import Diagnostic, Severity
from ..load import Document


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str


_E, _W = Severity.ERROR, Severity.WARNING

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        Rule("xml-malformed", _E, "The file is not well-formed XML."),
        Rule("xml-encoding", _E, "The file's bytes are not in the encoding it declares (use UTF-8)."),
        Rule("xml-empty", _E, "The file is empty."),
        Rule("xml-entity", _E, "Entity declarations and unexpanded entity references are refused."),
        Rule("xml-too-large", _E, "The file, or one value, text or name in it, is larger than this tool reads."),
        Rule("xml-too-deep", _E, "Elements (or notes inside notes) are nested deeper than the books can be laid out."),
        Rule("file-unreadable", _E, "The file cannot be read."),
        Rule("xinclude-refused", _E, "An XInclude reaches outside the edition folder, a URL, itself, or no file."),
        Rule("schema", _E,
             "The file does not match its RELAX NG schema (an element or attribute out of place or misspelt)."),
        Rule("schema-missing", _E,
             "The schema the file's xml-model names is not in the edition folder, or cannot be used."),
        Rule("schema-substituted", _W,
             "The file names a schema by a URL that is not available offline; TEI P5 tei_all was checked instead."),
        Rule("id-duplicate", _E, "An xml:id is used twice in the edition (ids are unique across files)."),
        Rule("ref-unresolved", _E, "A pointer (#id or file.xml#id) reaches nothing in the edition."),
        Rule("ref-wrong-kind", _E, "A pointer reaches the wrong kind of thing (persName to a non-person, ...)."),
        Rule("wit-undeclared", _E, "A @wit names a witness that no listWit declares."),
        Rule("app-lem-multiple", _E, "An <app> has more than one <lem>."),
        Rule("app-wit-repeated", _E, "A witness is named by two readings of one <app>."),
        Rule("app-wit-missing", _W, "A declared witness is accounted for by no reading of an <app>."),
        Rule("choice-unpaired", _E, "A <choice> does not pair sic/corr, orig/reg or abbr/expan."),
        Rule("note-empty", _E, "A <note> has no content."),
        Rule("date-not-iso", _E, "A date attribute is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, ...)."),
        Rule("name-unlinked", _W, "A name in a text (persName, title, placeName, orgName) has no @ref."),
        Rule("register-unused", _W, "A register entry is referred to from nowhere."),
        Rule("manifest-missing-text", _W, "A text in the edition folder is not placed in edition.xml."),
    ]
}


def finding(document: Document, element: etree._Element, rule: str, message: str,
            attribute: str | None = None) -> Diagnostic:
    """A diagnostic for ``rule`` at an element (or one of its attributes) of a document."""
    path, line, column = document.locate(element, attribute)
    return Diagnostic(path, line, column, RULES[rule].severity, rule, message)
