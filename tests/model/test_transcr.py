"""Transcription: what the editor supplies is bracketed; marks of the source's state keep their words."""

from __future__ import annotations

from conftest import html_of, model_of
from edition.model import Reading


def test_a_substitution_prints_what_was_added_and_keeps_what_was_deleted(tmp_path):
    book = model_of(tmp_path, '<p>du <subst><del>kommen</del><del>gehen</del><add>zurückkehren</add></subst> '
                              "<subst><add>nur</add></subst> <restore><del>doch</del></restore></p>",
                    source='<bibl n="B">Brief</bibl>')
    [entry] = book.textual
    assert (entry.kind, entry.lemma, entry.readings) == ("variant", "zurückkehren",
                                                         [Reading("kommen gehen", ("B",), "del")])
    assert " ".join("".join(book.texts[0].section.itertext()).split()) == "du zurückkehren nur doch"


def test_renders(tmp_path, tei_body, expected):
    """The cases in cases/transcr.md."""
    assert html_of(tmp_path, tei_body) == expected


def test_a_documentary_transcription_prints_each_line_of_each_zone(tmp_path):
    """A file whose words are in a <sourceDoc> (surfaces, zones, lines) and not in a <text> is a text too."""
    from edition.load import load_edition
    from edition.model import build_book

    path = tmp_path / "draft.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Draft</title>'
                    "</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc>"
                    '</fileDesc></teiHeader><sourceDoc><surface n="1r"><zone><line>Es war einmal</line>'
                    '<line>ein <del>alter</del><add>junger</add> König</line></zone><zone type="margin">'
                    "<line>Randnotiz</line></zone></surface></sourceDoc></TEI>", encoding="utf-8")
    edition, diagnostics = load_edition([path])
    book = build_book(edition)
    assert not diagnostics and not book.warnings
    lines = [" ".join("".join(e.itertext()).replace("\u2060", "").split()) for e in book.texts[0].section.iter("div")
             if "tei-line" in (e.get("class") or "")]
    assert lines == ["Es war einmal", "ein junger König", "Randnotiz"]
