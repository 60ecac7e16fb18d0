"""The Serge edition's index of names brings the witnesses' spellings together under one heading."""

from __future__ import annotations

from conftest import TEI
from edition.index import build_indexes, primary
from edition.load import load_edition
from edition.model import build_book


def test_see_entries_for_forms_that_sort_elsewhere():
    edition, _ = load_edition([TEI])
    names = build_indexes(build_book(edition))[0]
    see = {e.heading: e.see for e in names.entries if e.see}
    heading_of = {e.id: e.heading for e in names.entries}
    assert see.get("Chichirin") == heading_of["chicherin"]
    assert any("Djugachvili" in h for h in see)
    assert "Trotsky" not in see and "trotsky" not in {primary(k) for k in see}
