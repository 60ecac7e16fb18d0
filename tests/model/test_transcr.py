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
