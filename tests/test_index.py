"""Index data: collation, headings, 'see' entries, locators deduplicated with ranges and note marks."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES
from edition.index import Locator, build_indexes, inverted, page_references, primary, sort_key
from edition.load import load_edition
from edition.model import build_book


def test_collation_ignores_accents_and_case_in_the_order():
    names = ["Zinoviev", "Élie", "ebert", "Eastman", "Àlvarez", "alvarez", "Bukharin"]
    ordered = sorted(names, key=sort_key)
    assert [n.lower() for n in ordered][:3] == ["àlvarez", "alvarez", "bukharin"] or ordered[:2] == ["alvarez", "Àlvarez"]
    assert ordered.index("Eastman") < ordered.index("ebert") < ordered.index("Élie") < ordered.index("Zinoviev")


def locator(page: int, note: bool = False, anchor: str = "") -> Locator:
    return Locator(anchor or f"o{page}{note}", "t", note, "x", str(page), page - 1)


def test_page_references_dedupe_join_ranges_and_mark_notes():
    refs = page_references([locator(45), locator(45), locator(46), locator(47), locator(50, True),
                            locator(52), locator(52, True), locator(60, True), locator(61, True)])
    assert [r.display() for r in refs] == ["45–47", "50n", "52", "60n", "61n"]
    assert refs[0].first_anchor == "o45False"


def test_inverted_variant_forms():
    assert inverted("Alexandra Bronstein") == "Bronstein, Alexandra"
    assert inverted("Bela-Kun") == "Bela-Kun"
    assert inverted("Trotsky, Leon") == "Trotsky, Leon"
    assert inverted("de la Cruz") == "de la Cruz"


def test_indexes_of_the_mini_edition():
    edition, _ = load_edition([FIXTURES / "mini"])
    names, works = build_indexes(build_book(edition))
    headings = [e.heading for e in names.entries]
    assert headings == sorted(headings, key=sort_key)
    trotsky = next(e for e in names.entries if e.id == "trotsky")
    assert trotsky.heading == "Trotsky, Leon" and trotsky.forms == {"Trotsky"}
    assert "(1870–1924)" not in trotsky.heading
    lenin = next(e for e in names.entries if e.id == "lenin")
    assert lenin.dates == "1870–1924" and lenin.gloss == "Bolshevik leader"
    by_author = next(e for e in works.entries if e.kind == "author")
    assert by_author.heading == "Trotsky, Leon" and by_author.subentries[0].heading.startswith("History")
    see = next(e for e in works.entries if e.kind == "see")
    assert see.see == "Trotsky, Leon"


def test_see_entries_for_forms_that_sort_elsewhere():
    edition, _ = load_edition([Path(__file__).resolve().parents[1] / "tei"])
    names, _ = build_indexes(build_book(edition))
    see = {e.heading: e.see for e in names.entries if e.see}
    heading_of = {e.id: e.heading for e in names.entries}
    assert see.get("Chichirin") == heading_of["chicherin"]
    assert any(h.startswith("Djugachvili") for h in see) or any("Djugachvili" in h for h in see)
    assert "Trotsky" not in see and "trotsky" not in {primary(k) for k in see}
