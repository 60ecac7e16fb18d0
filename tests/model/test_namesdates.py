"""Names that point into the registers become index occurrences; the others are printed as they stand."""

from __future__ import annotations

from conftest import model_of

REGISTER = ('<listPerson><person xml:id="p1"><persName>Lenin</persName></person></listPerson>'
            '<listPlace><place xml:id="pl1"><placeName>Paris</placeName></place></listPlace>')


def test_names_with_a_register_entry_are_occurrences(tmp_path):
    from conftest import body_html

    book = model_of(tmp_path, '<p>see <persName ref="#p1">Lenin</persName><note>by <rs type="place" ref="#pl1">'
                              'the city</rs></note> <persName>Trotsky</persName></p>', source=REGISTER)
    assert [(o.target, o.kind, o.form, o.in_note) for o in book.occurrences] == [
        ("p1", "person", "Lenin", False), ("pl1", "place", "the city", True)]
    assert body_html(book) == (
        '<p class="p">see <span class="call" id="call-n2"><span class="name person" id="o1" data-ref="p1">Lenin</span>'
        '<span class="note author" id="n2" data-label="1" data-series="author">by <span class="name place" id="o3" '
        'data-ref="pl1">the city</span></span></span> <span class="name person">Trotsky</span></p>')


def test_the_register_decides_the_kind_and_titles_are_cited_by_level(tmp_path):
    from conftest import body_html

    book = model_of(tmp_path, '<p><rs ref="#p1">him</rs> <title level="a">Art</title> '
                              '<date when="1917-10-25">Oct</date></p>', source=REGISTER)
    assert body_html(book) == (
        '<p class="p"><span class="name person" id="o1" data-ref="p1">him</span> <cite class="name work level-a">'
        'Art</cite> <span class="date" data-when="1917-10-25">Oct</span></p>')


def test_names_in_the_source_description_are_not_indexed(tmp_path):
    book = model_of(tmp_path, "<p>x</p>", source=f'<bibl n="A">by <persName ref="#p1">Lenin</persName></bibl>{REGISTER}')
    assert book.occurrences == []
    assert book.texts[0].source == "by Lenin" and book.texts[0].siglum == "A"
