"""Divisions and headings, openers and closers of texts and letters."""

from __future__ import annotations

from conftest import html_of


def test_a_heading_bookmark_leaves_out_its_notes(tmp_path):
    html = html_of(tmp_path, "<div><head>Two <note>n</note></head></div>")
    assert html.startswith('<section class="div depth-0"><h2 class="head" data-bookmark="Two">Two <span class="call"')


def test_a_heading_bookmark_has_the_words_printed(tmp_path):
    html = html_of(tmp_path, '<div><head>Ge<lb break="no"/>\n  schichte <del>alte</del> der <choice>\n<sic>Stat</sic>\n'
                             "<corr>Stadt</corr>\n</choice></head></div>")
    assert 'data-bookmark="Geschichte der Stadt"' in html


def test_renders(tmp_path, tei_body, expected):
    """The cases in cases/textstructure.md."""
    assert html_of(tmp_path, tei_body) == expected
