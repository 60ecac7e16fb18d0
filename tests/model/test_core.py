"""The core module's handlers: paragraphs, highlighting, lists, quotations, notes, breaks, interventions."""

from __future__ import annotations

from conftest import html_of, model_of
from edition.model import Reading


def test_notes_hang_on_the_word_before_their_call_in_two_series(tmp_path):
    book = model_of(tmp_path, '<p>A<note>One.</note> b<note type="editorial">Ed.</note> '
                              'c<note place="inline">gloss</note>.</p>')
    assert [(n.series, n.label, n.call_id) for n in book.notes] == [("author", "1", "call-n1"),
                                                                     ("editor", "a", "call-n2")]
    from conftest import body_html

    assert body_html(book) == (
        '<p class="p"><span class="call" id="call-n1">A<span class="note author" id="n1" data-label="1" '
        'data-series="author">One.</span></span> <span class="call" id="call-n2">b<span class="note editor" '
        'id="n2" data-label="a" data-series="editor">Ed.</span></span> c<span class="inline-note">gloss</span>.</p>')


def test_editorial_notes_are_lettered_after_z(tmp_path):
    from edition.model.handlers.core import letters

    assert [letters(n) for n in (1, 26, 27, 52, 53)] == ["a", "z", "aa", "az", "ba"]


def test_gaps_deletions_and_interventions(tmp_path):
    book = model_of(tmp_path, '<p>a <gap reason="illegible"/> b <gap><desc>two words</desc></gap> <del>x</del> '
                              "<choice><sic>teh</sic><corr>the</corr></choice> "
                              "<choice><abbr>Dr</abbr><expan>Doctor</expan></choice> <sic>odd</sic></p>",
                    source='<bibl n="W">The witness</bibl>')
    from conftest import body_html

    assert body_html(book) == (
        '<p class="p">a <span class="gap" data-reason="illegible">[… illegible]</span> b <span class="gap" '
        'data-reason="">[two words]</span> <span class="lemma del" id="d1" data-empty="true">\u2060</span> '
        '<span class="emendation corr" id="e2">the</span> <span class="expan" title="Dr">Doctor</span> '
        '<span class="sic">odd [sic]</span></p>')
    deletion, emendation = book.textual
    assert (deletion.kind, deletion.anchor_id, deletion.lemma, deletion.context, deletion.readings) == (
        "variant", "d1", "", "words]", [Reading("x", ("W",), "del")])
    assert (emendation.kind, emendation.anchor_id, emendation.lemma, emendation.readings) == (
        "emendation", "e2", "the", [Reading("teh", ("W",))])


def test_every_choice_prints_one_reading_and_keeps_the_others(tmp_path):
    book = model_of(tmp_path, "<p><choice><corr>a</corr><sic>b</sic><corr>c</corr></choice> "
                              "<choice><abbr>Dr</abbr><reg>Doctor</reg></choice> "
                              "<choice><seg/><seg>x</seg><seg>y</seg></choice> <choice><sic>only</sic></choice></p>")
    assert body_text(book) == "a Doctor x only [sic]"
    assert [(e.kind, e.lemma, [(r.text, r.mark) for r in e.readings]) for e in book.textual] == [
        ("emendation", "a", [("b", ""), ("c", "")]),
        ("emendation", "Doctor", [("Dr", "")]),
        ("variant", "x", [("", "om"), ("y", "")]),
    ]


def test_a_deletion_in_verse_is_keyed_by_its_line_and_the_word_before_it(tmp_path):
    book = model_of(tmp_path, '<lg><l n="3">with its silvery <del>shadow</del><add>lantern</add></l></lg>')
    [entry] = book.textual
    assert (entry.lemma, entry.context, entry.verse_lines, entry.readings) == (
        "", "silvery", ("3", "3"), [Reading("shadow", (), "del")])
    assert body_text(book) == "with its silvery \u2060lantern"


def test_regularisation_is_an_emendation_too(tmp_path):
    book = model_of(tmp_path, "<p><choice><orig>colour</orig><reg>color</reg></choice></p>")
    assert [(e.kind, e.lemma, e.readings) for e in book.textual] == [("emendation", "color", [Reading("colour")])]


def test_renders(tmp_path, tei_body, expected):
    """The cases in cases/core.md."""
    assert html_of(tmp_path, tei_body) == expected


def body_text(book) -> str:
    return " ".join("".join(book.texts[0].section.itertext()).split())
