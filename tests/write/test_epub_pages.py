"""The print edition's pages in the EPUB, on small chapters: which pages get markers, and where."""

from __future__ import annotations

from edition.write.epub.pages import insert_page_breaks
from edition.write.epub.xhtml import EPUB_TYPE, Chapter, add_child
from edition.write.layout import Layout


def chapter(name: str, ident: str, *paragraphs: str) -> Chapter:
    result = Chapter(name, name, "en")
    section = add_child(result.body, "section", {"id": ident})
    add_child(section, "h1", text=ident.title())
    for number, words in enumerate(paragraphs):
        add_child(section, "p", {"id": f"{ident}-p{number}"}, words)
    return result


def layout(*starts: dict) -> Layout:
    return Layout([s["page"] for s in starts], 0, 0, list(starts))


def markers_in(chapters: list[Chapter]) -> list[tuple[str, str]]:
    """(label, the words after it) of every marker, in reading order."""
    found = []
    for item in chapters:
        for marker in item.root.iter():
            if isinstance(marker.tag, str) and marker.get(EPUB_TYPE) == "pagebreak":
                after = " ".join(marker.xpath("following::text()"))
                found.append((marker.get("aria-label"), " ".join(after.split())[:20]))
    return found


def test_front_body_and_back_pages_get_markers_and_pdf_only_matter_none():
    chapters = [chapter("intro.xhtml", "introduction", "It began in Brussels.", "Then Paris."),
                chapter("text.xhtml", "text", "Year One of the revolution."),
                chapter("notes.xhtml", "textual-notes", "3.4 word] other")]
    markers, warnings = insert_page_breaks(chapters, layout(
        {"page": "i", "anchor": "half-title", "words": "The Book"},
        {"page": "ii"},
        {"page": "iii", "anchor": "contents", "words": "Contents"},
        {"page": "iv", "anchor": "introduction", "words": "Introduction It began in"},
        {"page": "v", "anchor": "introduction-p1", "words": "Then Paris."},
        {"page": "1", "anchor": "text", "words": "Text Year One"},
        {"page": "2"},
        {"page": "3", "anchor": "textual-notes", "words": "Textual-Notes 3.4 word]"},
        {"page": "4"},
    ))
    assert [label for label, _, _ in markers] == ["ii", "iv", "v", "1", "2", "3", "4"]
    assert markers_in(chapters) == [("ii", "Introduction It bega"), ("iv", "Introduction It bega"),
                                    ("v", "Then Paris."), ("1", "Text Year One of the"), ("2", "Textual-Notes 3.4 wo"),
                                    ("3", "Textual-Notes 3.4 wo"), ("4", "")]
    assert warnings == []


def test_a_page_the_epub_lacks_is_reported_and_marked_with_the_next():
    chapters = [chapter("text.xhtml", "text", "One.", "Two.")]
    markers, warnings = insert_page_breaks(chapters, layout(
        {"page": "1", "anchor": "gone", "words": "Lost words"},
        {"page": "2", "anchor": "text-p1", "words": "Two."},
    ))
    assert [label for label, _, _ in markers] == ["1", "2"]
    assert [w.rule for w in warnings] == ["page-unplaced"] and "#gone" in warnings[0].message


def test_a_page_that_begins_after_a_heading_is_marked_before_its_first_word():
    chapters = [chapter("c.xhtml", "copyright", "Victor Serge and His Readers.")]
    insert_page_breaks(chapters, layout({"page": "iv", "anchor": "copyright", "words": "Victor Serge and His"}))
    assert markers_in(chapters) == [("iv", "Victor Serge and His")]


def test_many_pages_in_one_element_are_marked_as_one_at_a_time_would_mark_them():
    """A long text with no ids in it holds many pages: the text map kept from one marker to the next (instead of
    read again for each) puts every marker where reading the element afresh would."""
    from lxml import etree

    from edition.write.epub.pages import page_marker, place_marker

    words = [f"w{i}" for i in range(400)]
    source = "<section>" + "".join(
        f"<p>{' '.join(words[i:i + 20])} <em>{words[i + 20]}</em>{' ' + ' '.join(words[i + 21:i + 40])}</p>"
        for i in range(0, 400, 40)) + "</section>"
    starts = ["w3 w4 w5", "w21 w22", "w40 w41", "w60", "w61 w62", "w77 w78 w79", "w180", "w399", "nowhere at all"]
    kept, fresh = etree.fromstring(source), etree.fromstring(source)
    known: dict = {}
    for number, start in enumerate(starts):
        place_marker(kept, start, page_marker(str(number)), known)
        place_marker(fresh, start, page_marker(str(number)))
    assert etree.tostring(kept) == etree.tostring(fresh)
    assert etree.tostring(kept).count(b'id="page-') == len(starts)
