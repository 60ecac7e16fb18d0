"""The teiHeader and the manifest: the edition's metadata, each text's title and source, the order of texts."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, TEI, model_of
from edition.load import load_edition
from edition.model import build_book
from edition.model.header import display_date


def test_metadata_of_a_single_text_comes_from_its_own_header(tmp_path):
    book = model_of(tmp_path, "<p>x</p>")
    assert (book.metadata.id, book.metadata.title, book.metadata.language) == ("t", "T", "en")
    assert [t.title for t in book.texts] == ["T"] and book.front == []


def test_the_manifest_orders_front_matter_parts_and_texts(tmp_path):
    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    shutil.copytree(TEI / "schema", tmp_path / "mini" / "schema")
    edition, _ = load_edition([tmp_path / "mini"])
    book = build_book(edition)
    meta = book.metadata
    assert (meta.id, meta.title, meta.editors, meta.version, meta.date, meta.date_display, meta.publisher) == (
        "mini-edition", "A Small Edition", ["The test editors"], "1.0", "2026-01-02", "2 January 2026",
        "The test suite")
    assert [(p.id, p.number, p.title, [t.id for t in p.texts]) for p in book.parts] == [
        ("part-one", "I", "Texts", ["one", "two"])]


def test_dates_are_displayed_in_words():
    assert [display_date(d) for d in ("2026-03-05", "1917-10", "1938", "")] == [
        "5 March 2026", "October 1917", "1938", ""]
