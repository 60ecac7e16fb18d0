"""The apparatus: the lemma stays in the text; readings, sigla and the encoder's notes become an entry."""

from __future__ import annotations

from conftest import body_html, model_of

WITNESSES = ('<listWit><witness xml:id="A" n="A">Codex A</witness><witness xml:id="B" n="B">Codex B</witness>'
             '<witness xml:id="C">Codex C</witness></listWit>')


def test_lemma_in_the_text_readings_with_sigla_and_omissions(tmp_path):
    book = model_of(tmp_path, '<p><app><lem wit="#A">good</lem><rdg wit="#B">bad</rdg><rdg wit="#C"/>'
                              '<note>a note</note></app> <app><rdg wit="#B">added</rdg></app></p>', source=WITNESSES)
    assert body_html(book) == ('<p class="p"><span class="lemma" id="a1">good</span> '
                               '<span class="lemma" id="a2" data-empty="true">\u2060</span></p>')
    first, second = book.textual
    assert (first.kind, first.lemma, first.lemma_sigla, first.readings, first.comment) == (
        "variant", "good", "A", [("bad", "B"), ("om.", "C")], "a note")
    assert (second.lemma, second.readings) == ("", [("added", "B")])


def test_readings_in_groups_are_all_collected(tmp_path):
    book = model_of(tmp_path, '<p><app><lem>x</lem><rdgGrp><rdg wit="#A">y</rdg><rdg wit="#B">z</rdg></rdgGrp>'
                              "</app></p>", source=WITNESSES)
    assert book.textual[0].readings == [("y", "A"), ("z", "B")]


def test_witnesses_are_listed_with_their_text(tmp_path):
    book = model_of(tmp_path, "<p>x</p>", source=WITNESSES)
    assert [(w.siglum, w.description, w.text_title) for w in book.witnesses] == [
        ("A", "Codex A", "T"), ("B", "Codex B", "T"), ("C", "Codex C", "T")]
