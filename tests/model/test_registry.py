"""Every TEI element the renderer meets has one decision; an element without one is printed and reported."""

from __future__ import annotations

import pytest

from conftest import html_of, model_of
from edition.model.registry import REGISTRY, Display, generic


def test_a_second_decision_for_an_element_is_refused():
    with pytest.raises(RuntimeError, match="two rendering decisions"):
        generic("p", display=Display.INLINE)


def test_the_decided_elements():
    """The review list: what each TEI element becomes (a change here is a decision, made on purpose)."""
    by_display = {display: sorted(name.split("}")[1] for name, d in REGISTRY.items() if d.display is display)
                  for display in Display}
    assert by_display[Display.OMITTED] == [
        "alt", "altGrp", "facsimile", "fw", "graphic", "index", "interp", "interpGrp", "join", "link", "linkGrp",
        "listWit", "span", "spanGrp", "standOff", "teiHeader", "witDetail",
    ]
    assert {"p", "div", "head", "lg", "l", "list", "item", "quote", "cit", "table", "sp", "floatingText"} <= set(
        by_display[Display.BLOCK])
    assert {"hi", "persName", "note", "app", "choice", "gap", "supplied", "pb", "anchor", "seg", "w"} <= set(
        by_display[Display.INLINE])


# Empty by definition (milestones, pointers, gaps) or made of parts (an entry's readings, a list's items):
# tested in the modules that render them.
EMPTY_OR_STRUCTURED = {"anchor", "cb", "lb", "milestone", "pb", "ptr", "gap", "desc", "app", "choice", "list",
                       "table"}
ELEMENTS = sorted(name.split("}")[1] for name, d in REGISTRY.items()
                  if d.display is not Display.OMITTED and name.split("}")[1] not in EMPTY_OR_STRUCTURED)


@pytest.mark.parametrize("name", ELEMENTS)
def test_every_decided_element_keeps_its_words_and_is_not_reported(tmp_path, name):
    book = model_of(tmp_path, f"<div><p>before <{name}>inner words</{name}> after</p></div>")
    printed = " ".join("".join(book.texts[0].section.itertext()).split())
    assert book.warnings == []
    assert "before" in printed and "inner words" in printed and "after" in printed, printed


def test_an_element_without_a_decision_is_printed_and_reported_once(tmp_path):
    book = model_of(tmp_path, '<p>a <castItem>c</castItem> <x:foo xmlns:x="urn:x">f</x:foo> <castItem>d</castItem>'
                              "</p>")
    assert body_text(book) == "a c f d"
    assert [w.message.split(" has")[0] for w in book.warnings] == ["<castItem>", "<{urn:x}foo>"]
    assert all(w.rule == "render-generic" and w.line == 1 and w.column > 0 for w in book.warnings)


def test_the_generic_rendering_is_a_block_where_a_block_may_stand(tmp_path):
    assert html_of(tmp_path, "<sp><speaker>A</speaker><p>Hi</p></sp>") == (
        '<div class="tei-sp"><span class="tei-speaker">A</span><p class="p">Hi</p></div>')
    assert html_of(tmp_path, '<p><term rend="italic">t</term></p>') == (
        '<p class="p"><span class="tei-term italic" data-rend="italic">t</span></p>')


def body_text(book) -> str:
    return " ".join("".join(book.texts[0].section.itertext()).split())
