"""Counting the model: what the books hold."""

from __future__ import annotations

from conftest import model_of
from edition.stats import count_book


def test_counts_what_the_books_print(tmp_path):
    book = model_of(tmp_path, '<p><persName ref="#p1">A</persName><note>n</note> <persName ref="#p1">B</persName>'
                              '<note type="editorial">e</note> <choice><sic>x</sic><corr>y</corr></choice> '
                              '<app><lem>l</lem><rdg>r</rdg></app> <ref target="#p0">see</ref> '
                              '<ref target="http://e.org">web</ref> <note place="inline">gloss</note></p>'
                              '<p xml:id="p0">z</p>',
                    source='<listPerson><person xml:id="p1"><persName>A</persName></person>'
                           '<person xml:id="p2"><persName>C</persName></person></listPerson>')
    counts = count_book(book)
    assert counts == {"texts": 1, "persons": 2, "works": 0, "organisations": 0, "places": 0,
                      "person mentions": 2, "work mentions": 0, "organisation mentions": 0, "place mentions": 0,
                      "authorial notes": 1, "editorial notes": 1, "emendations": 1, "apparatus entries": 1,
                      "cross-references": 1}
