"""The apparatus: the lemma stays in the text; readings, sigla and the encoder's notes become an entry."""

from __future__ import annotations

from conftest import body_html, model_of
from edition.model import Reading

WITNESSES = ('<listWit><witness xml:id="A" n="A">Codex A</witness><witness xml:id="B" n="B">Codex B</witness>'
             '<listWit xml:id="grp" n="β"><witness xml:id="C">Codex C</witness><witness xml:id="D" n="D">Codex D'
             '</witness></listWit></listWit><listBibl><bibl xml:id="heins" n="Heinsius">N. Heinsius, 1742</bibl>'
             "</listBibl>")


def test_lemma_in_the_text_readings_with_sigla_and_omissions(tmp_path):
    book = model_of(tmp_path, '<p><app><lem wit="#A">good</lem><rdg wit="#B">bad</rdg><rdg wit="#C"/>'
                              '<note>a note</note></app> <app><rdg wit="#B">added</rdg></app></p>', source=WITNESSES)
    assert body_html(book) == ('<p class="p"><span class="lemma" id="a1">good</span> '
                               '<span class="lemma" id="a2" data-empty="true">\u2060</span></p>')
    first, second = book.textual
    assert (first.kind, first.lemma, first.lemma_sigla, first.readings, first.comment) == (
        "variant", "good", ("A",), [Reading("bad", ("B",)), Reading("", ("C",), "om")], "a note")
    assert (second.lemma, second.readings, second.context) == ("", [Reading("added", ("B",))], "good")


def test_groups_sources_uncertainty_and_notes_on_readings(tmp_path):
    book = model_of(tmp_path, '<p><app type="textcritical"><lem>x</lem><rdgGrp><rdg xml:id="r1" wit="#A">y</rdg>'
                              '<rdg wit="#B">z</rdg></rdgGrp><rdg source="#heins" cert="low" cause="conjecture">w'
                              '</rdg><note target="#r1">above the line</note><note>on the whole</note></app></p>',
                    source=WITNESSES)
    [entry] = book.textual
    assert entry.series == "critical" and entry.comment == "on the whole"
    assert entry.readings == [Reading("y", ("A",), notes=("above the line",), group=1), Reading("z", ("B",), group=1),
                              Reading("w", ("Heinsius",), qualifiers=("conjecture", "?"))]


def test_a_group_of_witnesses_prints_its_siglum_and_successive_readings_are_numbered(tmp_path):
    book = model_of(tmp_path, '<p><app><lem wit="#C #D #A">x</lem><rdg wit="#B" varSeq="1">y</rdg>'
                              '<rdg wit="#B" varSeq="2" copyOf="#lx"/></app><seg xml:id="lx">x</seg></p>',
                    source=WITNESSES)
    [entry] = book.textual
    assert entry.lemma_sigla == ("β", "A")
    assert entry.readings == [Reading("y", ("B¹",)), Reading("x", ("B²",))]


def test_verse_entries_are_keyed_by_their_lines(tmp_path):
    book = model_of(tmp_path, '<lg><l n="7">a <app><lem>b</lem><rdg wit="#A">c</rdg></app></l>'
                              '<app><lem><l>d</l><l>e <app><lem>f</lem><rdg wit="#B"/></app></l></lem><rdg wit="#C"/>'
                              '</app><app><rdg source="#heins"><l copyOf="#x"/></rdg></app>'
                              '<app><rdg source="#heins"><secl><l copyOf="#x"/></secl></rdg></app></lg>',
                    source=WITNESSES)
    assert [(e.lemma, e.verse_lines, [r.mark for r in e.readings]) for e in book.textual] == [
        ("b", ("7", "7"), [""]), ("d e f", ("8", "9"), ["om"]), ("f", ("9", "9"), ["om"]),
        ("", ("9", "9"), ["transp"]), ("", ("9", "9"), ["secl"])]
    assert book.texts[0].verse


def test_an_entry_between_verse_lines_stands_at_the_end_of_the_line_before(tmp_path):
    assert body_html(model_of(tmp_path, '<lg><l>one</l><app><rdg wit="#A"><l copyOf="#x"/></rdg></app><l>two</l></lg>',
                              source=WITNESSES)) == (
        '<div class="lg"><span class="l" data-line="1">one<span class="lemma" id="a1" data-empty="true">\u2060</span>'
        '</span><span class="l" data-line="2">two</span></div>')


def test_a_reading_shows_in_double_brackets_what_its_witness_deleted(tmp_path):
    book = model_of(tmp_path, '<p><app><lem>ἐκτραχυνθῆναι</lem><rdg wit="#A">ἐκτρα<subst>\n  <del rend="erasure"/>\n'
                              '  <add>χ</add>\n</subst>υνθῆναι</rdg><rdg wit="#B">ἐκτρα<del>ν</del>χυνθῆναι</rdg></app>'
                              "</p>", source=WITNESSES)
    assert [r.text for r in book.textual[0].readings] == ["ἐκτρα[[]]χυνθῆναι", "ἐκτρα[[ν]]χυνθῆναι"]


def test_witnesses_are_listed_with_their_text(tmp_path):
    book = model_of(tmp_path, "<p>x</p>", source=WITNESSES)
    assert [(w.siglum, w.description, w.text_title, w.manuscript) for w in book.witnesses] == [
        ("A", "Codex A", "T", True), ("B", "Codex B", "T", True), ("C", "Codex C", "T", True),
        ("D", "Codex D", "T", True)]


def test_secluded_or_moved_lines_are_keyed_by_the_lines_not_by_a_word(tmp_path):
    lines = "".join(f'<l n="{n}" xml:id="l{n}">verse {n} words</l>' for n in range(1, 7))
    book = model_of(tmp_path, f'<lg>{lines}<app><rdg wit="#A"><secl><l copyOf="#l3"/><l copyOf="#l4"/></secl></rdg>'
                              '</app><app><rdg source="#heins"><l copyOf="#l3"/><l copyOf="#l4"/></rdg>'
                              '<note>moved after 6</note></app></lg>', source=WITNESSES)
    secluded, moved = book.textual
    assert (secluded.whole_lines, secluded.verse_lines, secluded.lemma, secluded.context) == (True, ("3", "4"), "", "")
    assert secluded.readings == [Reading("", ("A",), "secl")]
    assert (moved.whole_lines, moved.verse_lines) == (True, ("3", "4"))
    assert moved.readings == [Reading("post 6", ("Heinsius",), "transp")] and moved.comment == "moved after 6"
