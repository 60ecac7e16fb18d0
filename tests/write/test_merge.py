"""Parts of a book drawn apart and combined: pages, links between parts, one tag tree, outline, page labels."""

from __future__ import annotations

import pikepdf
import pytest
from lxml import html
from pdf_structure import structure_problems, unresolved_links
from pypdf import PdfReader

from edition.write.merge import Drawn, combine
from edition.write.weasy import Renderer, outline

_CSS = "@page { size: 300px 260px; margin: 30px; } body { font-family: serif; font-size: 12px; }"


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    folder = tmp_path_factory.mktemp("merge")
    with Renderer([("string", _CSS)], roots=[folder], base=folder, corrected=False) as renderer:
        yield renderer


def _part(renderer, body: str):
    rendered = renderer.render(html.document_fromstring(f'<html lang="en"><body>{body}</body></html>'))
    data, places, messages = renderer.draw(rendered, list(range(len(rendered))))
    return rendered, Drawn(data, frozenset(places)), messages


@pytest.fixture(scope="module")
def book(renderer, tmp_path_factory):
    words = " ".join(["word"] * 200)
    first = _part(renderer, f'<h1 id="one">One</h1><p id="a">{words} <a href="#b">to two</a></p>')
    second = _part(renderer, f'<h2 id="two">Two</h2><p>{words}</p><p id="b">Back <a href="#a">to one</a>, '
                             f'<a href="#b">here</a>.</p>')
    path = tmp_path_factory.mktemp("merged") / "book.pdf"
    marks = [mark for rendered, _, _ in (first, second) for mark in rendered.bookmarks(list(range(len(rendered))))]
    unplaced = combine([first[1], second[1]], path, 1, outline(marks))
    return path, first, second, unplaced


def test_a_part_keeps_links_to_places_in_other_parts(book):
    path, first, second, unplaced = book
    assert "a" in first[1].places and "a" not in second[1].places  # "a" is only a stand-in in the second
    assert not first[2] and not second[2]  # WeasyPrint dropped no link
    count, missing = unresolved_links(path)
    assert count == 3 and missing == [] and unplaced == []
    pdf = pikepdf.open(path)
    names = pdf.Root.Names.Dests.Names
    held = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
    pages = [page.obj.objgen for page in pdf.pages]
    assert pages.index(held["a"][0].objgen) < len(first[0])
    assert pages.index(held["b"][0].objgen) >= len(first[0])  # where the second part holds it, not its stand-in


def test_one_tag_tree_over_the_parts(book):
    assert structure_problems(book[0]) == []


def test_outline_nests_across_parts_and_labels_run_on(book):
    path, first, _, _ = book
    reader = PdfReader(str(path))
    top = reader.outline
    assert [item.title for item in top if not isinstance(item, list)] == ["One"]
    assert [item.title for item in top[1]] == ["Two"]  # the second part's h2 under the first's h1
    assert reader.get_destination_page_number(top[1][0]) == len(first[0])
    assert reader.page_labels[:2] == ["i", "1"]


def test_a_link_to_a_place_no_part_holds_is_reported(renderer, tmp_path):
    part = _part(renderer, '<p>See <a href="#nowhere">there</a>.</p>')
    assert combine([part[1]], tmp_path / "book.pdf", 0, []) == ["nowhere"]


def test_words_that_look_like_references_are_left_as_they_are(renderer, tmp_path):
    title = "Draft 12 0 R (second) \\ third"  # as a reference reads, with parentheses and a backslash
    rendered = renderer.render(html.document_fromstring(
        f'<html lang="en"><head><title>{title}</title></head><body><p id="a">x</p></body></html>'))
    data, places, _ = renderer.draw(rendered, list(range(len(rendered))))
    path = tmp_path / "book.pdf"
    combine([Drawn(data, frozenset(places)), Drawn(data, frozenset())], path, 0, [])
    pdf = pikepdf.open(path)
    assert str(pdf.docinfo["/Title"]) == title
    assert len(pdf.pages) == 2 and structure_problems(path) == []
