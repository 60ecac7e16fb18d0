"""Apparatus entries as printed: key, lemma (shortened), bracket, readings with sigla, marks, notes."""

from __future__ import annotations

from lxml import etree

from conftest import model_of
from edition.config import ApparatusSettings
from edition.model import Reading, TextualEntry
from edition.write.apparatus import add_entry, placement, shortened

SETTINGS = ApparatusSettings()


def printed(entry: TextualEntry, key: str = "5", separator: bool = False) -> str:
    holder = etree.Element("div")
    add_entry(holder, entry, key, SETTINGS, separator=separator)
    return "".join(holder.itertext())


def entry(lemma: str, *readings: Reading, **more) -> TextualEntry:
    return TextualEntry("variant", "a1", "t", lemma, list(readings), **more)


def test_key_lemma_bracket_readings_and_sigla():
    assert printed(entry("dura", Reading("iura", ("T",), group=1), Reading("iure", ("T",), group=1),
                         Reading("signa", ("Ϛ",)), comment="T has both")) == (
        "5 dura] iura, iure T; signa Ϛ — T has both")


def test_omissions_marks_qualifiers_and_notes_on_readings():
    assert printed(entry("hac", Reading("", ("N",), "om", notes=("first letter lost",)),
                         Reading("ac", ("Λ",), qualifiers=("orthographic", "?")), lemma_sigla=("A", "T"))) == (
        "5 hac A T] om. N (first letter lost); ac (orthographic) (?) Λ")


def test_a_long_lemma_is_shortened_to_its_first_and_last_word():
    assert shortened("quanto rapiat fortuna periclo", 4) == "quanto rapiat fortuna periclo"
    assert printed(entry("ut formosa nouo quae parat", Reading("", ("C",), "om")), key="8–11") == (
        "8–11 ut … parat] om. C")


def test_an_addition_or_a_punctuation_lemma_is_printed_with_the_word_before_it():
    assert printed(entry("", Reading("est", ("Heyworth",)), context="tutum"), key="") == "tutum] tutum est Heyworth"
    assert printed(entry(",", Reading("and", ("B",)), context="exile")) == "5 exile,] exile and B"
    assert printed(entry(".", Reading(";", ("B",)), context="Oppositionist")) == "5 Oppositionist.] Oppositionist; B"


def test_secluded_or_moved_lines_print_their_lines_and_no_lemma():
    moved = entry("", Reading("post 20", ("Markland",), "transp"), verse_lines=("15", "16"), whole_lines=True)
    assert printed(moved, key="15–16") == "15–16 post 20 transp. Markland"
    secluded = entry("", Reading("", ("Pescani",), "secl"), verse_lines=("15", "16"), whole_lines=True)
    assert printed(secluded, key="") == "15–16 secl. Pescani"  # its key stands even on the line of the one before


def test_a_separator_opens_every_entry_but_the_first_of_a_block():
    assert printed(entry("x", Reading("y", ("A",))), separator=True).startswith(" |\u2002")


def test_the_apparatus_goes_to_the_foot_for_verse_and_manuscripts(tmp_path):
    prose = model_of(tmp_path, "<p>x</p>", source='<bibl n="A">A printed book, 1988</bibl>')
    assert placement(prose, SETTINGS) == "back"
    verse = model_of(tmp_path, "<lg><l>x</l><l>y</l></lg>")
    assert placement(verse, SETTINGS) == "foot"
    manuscript = model_of(tmp_path, "<p>x</p>", source='<listWit><witness xml:id="P">Parisinus gr. 1020, '
                                                         "<origDate>s. XI</origDate></witness></listWit>")
    assert placement(manuscript, SETTINGS) == "foot"
    assert placement(manuscript, ApparatusSettings(placement="back")) == "back"
