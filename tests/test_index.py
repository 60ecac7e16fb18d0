"""Index data from the model: collation, headings, 'see' entries, works under authors, paging as a new value,
long runs of locators broken up by text."""

from __future__ import annotations

from lxml import etree

from edition.config import IndexSettings
from edition.index import Locator, assign_pages, build_indexes, inverted, page_references, sort_key
from edition.model import Book, Metadata, Occurrence, Part, RegisterEntry, Text

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


# --- long runs of locators, broken up by text --------------------------------------------------

def text(ident: str, title: str, authors=(), role: str = "text") -> Text:
    return Text(ident, title, title, list(authors), [], "", "", "en", etree.Element("section"), role=role)


TEXTS = [text("intro", "Introduction", role="front"), text("preface", "Preface to the 1938 Edition", ["Victor Serge"]),
         text("w88", "Victor Serge's World and Ours", ["Susan Weissman"]), text("review", "A Review")]


def stalin_book(pages_per_text: dict[str, int]) -> tuple[Book, dict[str, tuple[int, str]]]:
    """Stalin named on consecutive pages in each text, one page apart from the next text's; and the layout."""
    front, body = TEXTS[:1], TEXTS[1:]
    book = Book(META, front, [Part("p", "", "", body)], [], [], [], [], {
        "person": {"stalin": RegisterEntry("stalin", "person", "Stalin, Joseph", "1878–1953")},
        "work": {"history": RegisterEntry("history", "work", "History", "1930", authors=("stalin",))},
        "org": {}, "place": {}}, [])
    page_of, page = {}, 0
    for ident in ["intro", "preface", "w88", "review"]:
        for number in range(pages_per_text.get(ident, 0)):
            anchor = f"{ident}-{number}"
            book.occurrences.append(Occurrence(anchor, "stalin", "person", "Stalin", ident, number % 2 == 1))
            book.occurrences.append(Occurrence(f"h-{anchor}", "history", "work", "History", ident, False))
            page_of[anchor] = page_of[f"h-{anchor}"] = (page, str(page + 1))
            page += 2  # never a range: each page its own locator
    return book, page_of


def test_an_entry_cited_on_more_pages_than_the_threshold_becomes_sub_entries_by_text_in_book_order():
    book, page_of = stalin_book({"review": 2, "intro": 2, "preface": 3, "w88": 1})
    indexes = build_indexes(book, IndexSettings(max_locators=7))
    paged, missing = assign_pages(indexes, page_of)
    stalin = next(e for e in paged[0].entries if e.id == "stalin")
    assert missing == [] and stalin.locators == []
    assert [(s.heading, [r.display() for r in page_references(s.locators)]) for s in stalin.subentries] == [
        ("in the Introduction", ["1", "3n"]),
        ("in Serge, Preface to the 1938 Edition", ["5", "7n", "9"]),
        ("in Weissman, Victor Serge's World and Ours", ["11"]),
        ("in A Review", ["13", "15n"]),
    ]
    assert len({s.id for s in stalin.subentries}) == 4 and all(s.kind == "in-text" for s in stalin.subentries)
    # a work under its author is broken up too, a level further down
    history = next(e for e in paged[1].entries if e.kind == "author").subentries[0]
    assert [s.heading for s in history.subentries][:2] == ["in the Introduction", "in Serge, Preface to the 1938 Edition"]
    # the unpaged indexes are as they were
    assert next(e for e in indexes[0].entries if e.id == "stalin").subentries == []


def test_an_entry_at_the_threshold_or_named_in_one_text_keeps_its_run():
    book, page_of = stalin_book({"intro": 3, "preface": 4})
    paged, _ = assign_pages(build_indexes(book, IndexSettings(max_locators=7)), page_of)
    stalin = next(e for e in paged[0].entries if e.id == "stalin")
    assert stalin.subentries == [] and len(page_references(stalin.locators)) == 7
    book, page_of = stalin_book({"preface": 12})
    paged, _ = assign_pages(build_indexes(book, IndexSettings(max_locators=7)), page_of)
    assert next(e for e in paged[0].entries if e.id == "stalin").subentries == []


def test_a_threshold_of_zero_never_breaks_an_entry_up():
    book, page_of = stalin_book({"intro": 10, "preface": 10, "w88": 10})
    paged, _ = assign_pages(build_indexes(book, IndexSettings(max_locators=0)), page_of)
    stalin = next(e for e in paged[0].entries if e.id == "stalin")
    assert stalin.subentries == [] and len(page_references(stalin.locators)) == 30
    paged, _ = assign_pages(build_indexes(book), page_of)  # the default, 15
    assert len(next(e for e in paged[0].entries if e.id == "stalin").subentries) == 3


def test_sub_entries_by_text_speak_the_matters_language():
    book, page_of = stalin_book({"intro": 2, "preface": 2})
    paged, _ = assign_pages(build_indexes(book, IndexSettings(max_locators=3), language="de"), page_of)
    stalin = next(e for e in paged[0].entries if e.id == "stalin")
    assert [s.heading for s in stalin.subentries] == ["in: Introduction", "in: Serge, Preface to the 1938 Edition"]


def test_grouped_index_prints_nested_sub_entries_in_both_books():
    from edition.write import matter

    book, page_of = stalin_book({"intro": 4, "preface": 5})
    paged, _ = assign_pages(build_indexes(book, IndexSettings(max_locators=5)), page_of)
    for epub, tag in ((False, "p"), (True, "li")):
        holder = etree.Element("div")
        matter.index_section(paged[1], holder, lambda a: f"#{a}", epub=epub)
        lines = [(e.get("class"), " ".join("".join(e.xpath("text()|span//text()|a//text()")).split()))
                 for e in holder.iter(tag)]
        assert lines == [("entry", "History, see Stalin, Joseph"), ("entry", "Stalin, Joseph (1878–1953)"),
                         ("entry sub", "History (1930)"), ("entry sub sub2", "in the Introduction, 1, 3, 5, 7"),
                         ("entry sub sub2", "in Serge, Preface to the 1938 Edition, 9, 11, 13, 15, 17")]
        ids = [e.get("id") for e in holder.iter() if e.get("id")]
        assert len(ids) == len(set(ids))
