"""The PDF as a reader and a press get it: fonts, structure, page labels, and page numbers that are true."""

from __future__ import annotations

import json
import re

import pytest
from pdf_structure import structure_problems, unresolved_links
from pypdf import PdfReader

from conftest import TEI, pdf_pages_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdf(serge_build):
    return PdfReader(str(serge_build.outputs["pdf"]))


@pytest.fixture(scope="module")
def pages(serge_build):
    return pdf_pages_text(serge_build.outputs["pdf"])


def fonts_of(reader: PdfReader) -> dict[str, bool]:
    """Every font used on any page: base name -> embedded."""
    found = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
    return found


def test_only_the_book_face_embedded_and_subset(pdf):
    fonts = fonts_of(pdf)
    assert fonts and all(fonts.values()), fonts
    for name in fonts:
        assert re.match(r"^/[A-Z]{6}\+EB-Garamond", name), f"fallback or unsubset font: {name}"
    assert any("Italic" in name for name in fonts)


def test_page_labels_roman_then_arabic(pdf, serge_build):
    labels = pdf.page_labels
    front = serge_build.layout.body_offset
    assert labels[:3] == ["i", "ii", "iii"]
    assert all(re.fullmatch(r"[ivxlc]+", label) for label in labels[:front])
    assert labels[front:] == [str(n) for n in range(1, len(labels) - front + 1)]
    assert labels == serge_build.layout.labels


def test_bookmarks_for_parts_texts_sections_and_back_matter(pdf, serge_build):
    def titles(outline, depth=0):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item, depth + 1)
            else:
                yield depth, item.title

    found = list(titles(pdf.outline))
    flat = [t for _, t in found]
    for part in serge_build.book.parts:
        assert part.title in flat
    for text in serge_build.book.texts:
        assert (1, text.title) in found, text.title
    for title in ("Contents", "Textual Notes", "List of Emendations", "Index of Names", "Index of Works"):
        assert title in flat
    assert any(depth >= 2 for depth, _ in found), "sections are not bookmarked"


def test_metadata_language_and_tagging(pdf, serge_build):
    meta = pdf.metadata
    assert meta.title == serge_build.book.metadata.title
    assert "Victor Serge" in (meta.author or "")
    assert meta.get("/editor")
    root = pdf.trailer["/Root"]
    assert root.get("/Lang") == "en"
    assert bool(root.get("/MarkInfo", {}).get("/Marked"))
    assert "/StructTreeRoot" in root


def test_tag_tree_and_links_hold_over_the_parts_drawn_apart(serge_build):
    path = serge_build.outputs["pdf"]
    assert structure_problems(path) == []
    links, missing = unresolved_links(path)
    assert links > 1000 and missing == []


def test_contents_page_numbers_are_true(pages, pdf, serge_build):
    labels = pdf.page_labels
    contents = next(i for i, text in enumerate(pages) if text.startswith("Contents"))
    listing = " ".join(pages[contents:contents + 3])
    for text in serge_build.book.texts:
        match = re.search(re.escape(" ".join(text.title.split())) + r"[ .]*?(\d+)", listing)
        assert match, f"{text.title} is not in the contents"
        printed = match.group(1)
        opening = labels.index(printed)
        assert pages[opening].startswith(" ".join(text.title.split())[:30]), (text.title, printed, pages[opening][:80])


def begun(word: str, page_text: str) -> bool:
    """Whether the page ends a line with the beginning of ``word`` hyphenated (the mention begins on this page and
    goes on over the page)."""
    return any(re.search(rf"{re.escape(word[:cut])}[\u2010-]\s*$", page_text, re.M) for cut in range(2, len(word)))


def test_every_index_locator_is_true(pages, pdf, serge_build):
    labels = pdf.page_labels
    data = json.loads(serge_build.outputs["pdf"].with_suffix(".index.json").read_text(encoding="utf-8"))
    checked = 0
    failures = []

    def check(entry):
        nonlocal checked
        for locator in entry.get("locators", []):
            index = labels.index(locator["page"])
            page_text = pages[index]
            words = [w for w in re.findall(r"\w[\w’'-]*", locator["form"]) if len(w) > 2] or [locator["form"]]
            if not any(word in page_text or begun(word, pdf.pages[index].extract_text()) for word in words[:2]):
                failures.append((entry["heading"], locator["page"], locator["form"]))
            checked += 1
        for sub in entry.get("subentries", []):
            check(sub)

    for index in data.values():
        for entry in index["entries"]:
            check(entry)
    assert checked > 500
    assert failures == []


def test_printed_index_cites_the_pages_of_the_data(pages, serge_build):
    data = json.loads(serge_build.outputs["pdf"].with_suffix(".index.json").read_text(encoding="utf-8"))
    start = next(i for i, text in enumerate(pages) if text.startswith("Index of Names"))
    printed = " ".join(pages[start:])
    lenin = next(e for e in data["index-names"]["entries"] if e["id"] == "lenin")
    assert "pages" not in lenin  # cited on too many pages: broken up by text
    squashed = "".join(printed.split())  # a line may break after a range's dash
    for sub in lenin["subentries"]:
        assert sub["heading"].startswith("in ")
        assert "".join(f"{sub['heading']}, {', '.join(sub['pages'][:3])}".split()) in squashed, sub["heading"]
    assert len(lenin["subentries"]) > 3


def test_every_note_is_on_its_calls_page(pages, serge_build):
    layout = json.loads(serge_build.outputs["pdf"].with_suffix(".layout.json").read_text(encoding="utf-8"))
    assert not [d for d in serge_build.diagnostics if d.rule in ("note-displaced", "note-overflow")]
    offset = layout["body_offset"]
    body_texts = {t.id for t in serge_build.book.texts}
    checked = 0
    for note in serge_build.book.notes:
        if note.text_id not in body_texts:
            continue  # the front matter's notes are checked by the build (note-displaced), not numbered here
        call_page = layout["call_ends"].get(note.call_id)
        note_page = layout["anchors"].get(note.id)
        assert call_page and note_page, f"note {note.id} was not laid out"
        assert call_page == note_page, note.id
        checked += 1
    assert checked == len([n for n in serge_build.book.notes if n.text_id in body_texts]) > 300
    # independently of the layout data: each note's opening words are printed on the page of its call
    spans = {e.get("id"): e for t in serge_build.book.texts for e in t.section.iter() if e.get("id")}
    missing = []
    for note in serge_build.book.notes:
        if note.text_id not in body_texts:
            continue
        words = " ".join("".join(spans[note.id].itertext()).split()[:4])
        page = pages[offset + int(layout["call_ends"][note.call_id]) - 1]
        page = re.sub(r" \(p\.\s?[\divxlc]+\)", "", page)  # the page numbers cross-references print
        if words and words not in page:
            missing.append((note.id, words))
    assert missing == []


def test_no_layout_or_weasyprint_warnings(serge_build):
    found = [d.format() for d in serge_build.diagnostics if d.path in ("(pdf)", "(layout)")]
    assert found == []


def test_cross_references_print_their_targets_true_page(pages, serge_build):
    """Each cross-reference in the texts prints "(p. N)", N the page where its target stands; checked on the page
    where the block holding the reference begins, or the next (a paragraph may run over)."""
    from edition.write.links import LinkTargets

    layout = serge_build.layout
    targets = LinkTargets(serge_build.book)
    offset = layout.body_offset
    expected = []
    for text in serge_build.book.texts:
        for link in text.section.iter("a"):
            target = link.get("data-target")
            if not target or targets.is_register(target):
                continue
            holder = next(a for a in link.iterancestors() if a.get("id") and a.get("id") in layout.anchors)
            expected.append((target, layout.anchors[targets.destination(target, notes_are_places=False)],
                             int(layout.anchors[holder.get("id")])))
    assert len(expected) > 100
    wrong = []
    for target, label, page in expected:
        printed = " ".join(pages[offset + page - 1:offset + page + 1])
        if f"(p. {label})" not in printed:
            wrong.append((target, label, page))
    assert wrong == []
    body = " ".join(pages[offset:offset + layout.body_pages])
    assert len(re.findall(r"\(p\. \d+\)", body)) == len(expected)


def test_the_first_guess_of_each_places_page_is_near_its_page(serge_build):
    """With no earlier build, cross-references are laid out with the digits of a guessed page; a guess with
    other digits costs a text laid out again, so the guess is checked against the pages the build found."""
    from edition.build import edition_settings
    from edition.load import load_edition
    from edition.write.pdf import PdfWriter, ids_of

    edition, _ = load_edition([TEI])
    writer = PdfWriter(serge_build.book, (), edition.root_dir, settings=edition_settings(edition, None)[0])
    roots = {unit.index: writer.unit_root(unit) for unit in writer.body_units()}
    guessed = writer.estimated_labels(roots, set().union(*(ids_of(root) for root in roots.values())))
    true = serge_build.layout.anchors
    ratios = sorted(int(guessed[ident]) / int(true[ident]) for ident in guessed if int(true.get(ident, 0)) > 20)
    assert len(ratios) > 1000
    assert 0.9 < ratios[len(ratios) // 2] < 1.1
    openings = [int(guessed[text.id]) - int(true[text.id]) for text in serge_build.book.texts]
    assert max(abs(difference) for difference in openings[:3]) <= 2  # a part's title page counted
