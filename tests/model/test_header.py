"""The teiHeader and the manifest: the edition's metadata, each text's title and source, the order of texts."""

from __future__ import annotations

import shutil
from pathlib import Path

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


def test_a_text_that_prints_no_words_is_reported(tmp_path):
    header = ("<teiHeader><fileDesc><titleStmt><title>{}</title></titleStmt><publicationStmt><p>x</p>"
              "</publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>")
    (tmp_path / "empty.xml").write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{header.format("Empty")}\n'
                                        "  <text><body><p><pb n='1'/></p></body></text></TEI>", encoding="utf-8")
    (tmp_path / "full.xml").write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{header.format("Full")}'
                                       "<text><body><p>Words.</p></body></text></TEI>", encoding="utf-8")
    edition, _ = load_edition([tmp_path])
    found = [(Path(d.path).name, d.line, d.column, d.severity.value, d.rule) for d in build_book(edition).warnings]
    assert found == [("empty.xml", 2, 3, "warning", "text-empty")]
