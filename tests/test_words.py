"""The edition's own words: every language complete, the fallback to English, the placeholders kept."""

from __future__ import annotations

from edition.words import languages, words_for


def test_every_language_has_every_word_and_its_placeholders():
    found = languages()  # raises, naming the table and keys, if a language lacks a key or has a stray one
    assert {"en", "de", "fr", "it"} <= set(found)
    for tag, words in found.items():
        assert len(words.months) == 12, tag
        assert {kind for kind, _ in words.index_titles} == {"person", "work", "place", "org"}, tag
        assert "{label}" in words.note_back and "{label}" in words.editorial_note_back, tag


def test_a_language_is_found_by_its_tag_and_english_stands_in_for_the_rest():
    assert words_for("de-AT").contents == "Inhalt"
    assert words_for("fr_FR").index_title("person") == "Index des noms"
    assert words_for("grc").contents == words_for("en").contents == "Contents"
