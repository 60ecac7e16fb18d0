"""The presentation an element asks for: @rend words, CSS in @style, and the <rendition> its @rendition names."""

from __future__ import annotations

from conftest import body_html, model_of
from edition.model.rendition import rend_words, understood


def test_rend_words_and_css_declarations_are_read_alike():
    assert rend_words("Bold  italic") == ["bold", "italic"]
    assert rend_words("font-style: italic; font-weight : bold") == ["font-style:italic", "font-weight:bold"]
    assert understood("bold italic") and understood("") and not understood("bold align(right)")


def test_a_rendition_in_the_header_gives_its_css(tmp_path):
    header = ('<encodingDesc><tagsDecl><rendition xml:id="sc" scheme="css">font-variant: small-caps;</rendition>'
              '<rendition xml:id="it">font-style: italic</rendition></tagsDecl></encodingDesc>')
    book = model_of(tmp_path, '<p><hi rendition="#sc">Name</hi> <hi rendition="#it #sc">Both</hi> '
                              '<hi rendition="other.xml#x">Far</hi></p>', header=header)
    assert body_html(book) == ('<p class="p"><span class="hi smallcaps">Name</span> <i class="hi smallcaps">Both</i> '
                               '<span class="hi">Far</span></p>')
