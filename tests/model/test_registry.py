"""Every TEI element the renderer meets has one decision; an element without one is printed and reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import html_of, model_of
from edition import tei
from edition.model.registry import REGISTRY, Display, generic


def test_a_second_decision_for_an_element_is_refused():
    with pytest.raises(RuntimeError, match="two rendering decisions"):
        generic("p", display=Display.INLINE)


def test_the_decided_elements():
    """The review list: what each TEI element becomes (a change here is a decision, made on purpose)."""
    by_display = {display: sorted(name.split("}")[1] for name, d in REGISTRY.items() if d.display is display)
                  for display in Display}
    assert by_display[Display.OMITTED] == [
        "alt", "altGrp", "certainty", "char", "charDecl", "facsimile", "fw", "glyph", "index", "interp", "interpGrp",
        "join", "link", "linkGrp", "listTranspose", "listWit", "metamark", "move", "path", "precision", "respons",
        "span", "spanGrp", "standOff", "teiHeader", "transpose", "variantEncoding", "witDetail",
    ]
    assert {"p", "div", "head", "lg", "l", "list", "item", "quote", "cit", "table", "sp", "floatingText"} <= set(
        by_display[Display.BLOCK])
    assert {"hi", "persName", "note", "app", "choice", "gap", "supplied", "pb", "anchor", "seg", "w"} <= set(
        by_display[Display.INLINE])


# Empty by definition (milestones, pointers, gaps, spaces, images) or made of parts (an entry's readings, a list's
# items): in the review below and in the modules that render them.
EMPTY_OR_STRUCTURED = {"anchor", "cb", "lb", "milestone", "pb", "ptr", "gap", "desc", "app", "choice", "list",
                       "table", "space", "caesura", "graphic", "g"}
ELEMENTS = sorted(name.split("}")[1] for name, d in REGISTRY.items()
                  if d.display is not Display.OMITTED and name.split("}")[1] not in EMPTY_OR_STRUCTURED)


@pytest.mark.parametrize("name", ELEMENTS)
def test_every_decided_element_keeps_its_words_and_is_not_reported(tmp_path, name):
    book = model_of(tmp_path, f"<div><p>before <{name}>inner words</{name}> after</p></div>")
    printed = " ".join("".join(book.texts[0].section.itertext()).split())
    assert book.warnings == []
    assert "before" in printed and "after" in printed, printed
    if name == "del":  # deleted words are the apparatus's, not the text's
        assert "inner words" not in printed and book.textual[0].readings[0].text == "inner words"
    else:
        assert "inner words" in printed, printed


# The elements the review must decide (issue 11), each with a case in cases/registry.md.
REVIEWED = ["space", "c", "g", "lb", "pb", "cb", "milestone", "fw", "choice", "sic", "corr", "orig", "reg", "abbr",
            "expan", "subst", "add", "del", "mod", "restore", "retrace", "gap", "unclear", "supplied", "damage",
            "surplus", "seg", "w", "hi", "figure", "graphic", "table", "list", "label", "q", "quote", "cit",
            "floatingText", "sp", "speaker", "lg", "text", "group", "castList", "castItem", "role", "roleDesc",
            "entry", "form", "orth", "sense", "def", "biblStruct", "analytic", "monogr", "imprint",
            "listApp"]


def test_every_reviewed_element_has_a_decision_and_a_case():
    from conftest import rendering_cases

    cases = rendering_cases(Path(__file__).parent / "cases" / "registry.md")
    used = {re.sub(r"\W", "", tag) for tei_body, _ in cases.values() for tag in re.findall(r"<([\w:]+)", tei_body)}
    assert [name for name in REVIEWED if name not in used] == []
    assert [name for name in REVIEWED if REGISTRY.get(tei(name)) is None] == []


def test_renders(tmp_path, tei_body, expected):
    """The review: the cases in cases/registry.md, each named for its element(s) and its decision."""
    assert html_of(tmp_path, tei_body) == expected


def test_an_element_without_a_decision_is_printed_and_reported_once(tmp_path):
    book = model_of(tmp_path, '<p>a <incident>c</incident> <x:foo xmlns:x="urn:x">f</x:foo> <incident>d</incident>'
                              "</p>")
    assert body_text(book) == "a c f d"
    assert [w.message.split(" has")[0] for w in book.warnings] == ["<incident>", "<{urn:x}foo>"]
    assert all(w.rule == "render-generic" and w.line == 1 and w.column > 0 for w in book.warnings)


def test_the_generic_rendering_is_a_block_where_a_block_may_stand(tmp_path):
    assert html_of(tmp_path, "<sp><speaker>A</speaker><p>Hi</p></sp>") == (
        '<div class="tei-sp"><p class="speaker">A</p><p class="p">Hi</p></div>')
    assert html_of(tmp_path, '<p><term rend="italic">t</term></p>') == (
        '<p class="p"><span class="tei-term italic" data-rend="italic">t</span></p>')


def body_text(book) -> str:
    return " ".join("".join(book.texts[0].section.itertext()).split())
