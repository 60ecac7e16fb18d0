"""Index data from the model: collation, headings, 'see' entries, works under authors, paging as a new value."""

from __future__ import annotations

from edition.index import Locator, assign_pages, build_indexes, inverted, page_references, sort_key
from edition.model import Book, Metadata, Occurrence, RegisterEntry

META = Metadata("b", "Book", "", "Book", [], [], "en", "", "", "", "", "", "", "")


def book_of(entries: list[RegisterEntry], occurrences: list[Occurrence]) -> Book:
    registers = {kind: {e.id: e for e in entries if e.kind == kind} for kind in ("person", "work", "org", "place")}
    return Book(META, [], [], [], [], occurrences, [], registers, [])


def mention(ident: str, target: str, kind: str = "person", form: str = "", note: bool = False) -> Occurrence:
    return Occurrence(ident, target, kind, form or target, "t", note)


PERSONS = [
    RegisterEntry("chicherin", "person", "Chicherin, Georgy", "1872–1936", "Soviet diplomat", ("Chichirin",)),
    RegisterEntry("trotsky", "person", "Trotsky, Leon", "1879–1940", "", ("Lev Bronstein",)),
    RegisterEntry("unused", "person", "Nobody, Mentioned"),
]
WORKS = [
    RegisterEntry("history", "work", "The History of the Russian Revolution", "1930", authors=("trotsky",)),
    RegisterEntry("anon", "work", "A Pamphlet", "1917"),
]
OCCURRENCES = [mention("o1", "trotsky", form="Trotsky"), mention("o2", "chicherin", form="Chichirin"),
               mention("o3", "trotsky", form="Trotsky", note=True), mention("o4", "history", "work", "History"),
               mention("o5", "anon", "work", "pamphlet")]


def test_collation_orders_by_letters_then_accents_then_case():
    names = ["Zinoviev", "Élie", "ebert", "Eastman", "Àlvarez", "alvarez", "Bukharin"]
    assert sorted(names, key=sort_key) == ["alvarez", "Àlvarez", "Bukharin", "Eastman", "ebert", "Élie", "Zinoviev"]


def test_names_index_has_mentioned_persons_and_see_entries_for_other_forms():
    names, _ = build_indexes(book_of(PERSONS + WORKS, OCCURRENCES))
    assert [(e.heading, e.kind, e.see) for e in names.entries] == [
        ("Bronstein, Lev", "see", "Trotsky, Leon"),
        ("Chicherin, Georgy", "person", None),
        ("Chichirin", "see", "Chicherin, Georgy"),
        ("Trotsky, Leon", "person", None),
    ]
    trotsky = names.entries[3]
    assert (trotsky.dates, trotsky.forms, [loc.anchor_id for loc in trotsky.locators]) == (
        "1879–1940", {"Trotsky"}, ["o1", "o3"])
    assert names.entries[1].gloss == "Soviet diplomat"


def test_works_stand_under_their_authors_with_a_see_entry_by_title():
    _, works = build_indexes(book_of(PERSONS + WORKS, OCCURRENCES))
    assert [(e.heading, e.kind) for e in works.entries] == [
        ("The History of the Russian Revolution", "see"), ("A Pamphlet", "work"), ("Trotsky, Leon", "author")]
    assert works.entries[0].see == "Trotsky, Leon"
    assert [s.heading for s in works.entries[2].subentries] == ["The History of the Russian Revolution"]


def test_assign_pages_returns_paged_indexes_and_leaves_the_given_ones_alone():
    indexes = build_indexes(book_of(PERSONS + WORKS, OCCURRENCES))
    paged, missing = assign_pages(indexes, {"o1": (4, "5"), "o2": (9, "10"), "o4": (0, "i")})
    assert sorted(missing) == ["o3", "o5"]
    trotsky = next(e for e in paged[0].entries if e.id == "trotsky")
    assert [(loc.page, loc.page_index) for loc in trotsky.locators] == [("5", 4), (None, None)]
    assert all(loc.page is None for e in indexes[0].entries for loc in e.locators)
    history = paged[1].entries[2].subentries[0]
    assert history.locators[0].page == "i"


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
    assert inverted("Alexander II") == "Alexander II"
