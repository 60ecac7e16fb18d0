"""The apparatus and the line numbers as printed, checked from the PDF itself (pypdf's text positions), not
from the build's own layout data: every margin number stands at the line it counts, every entry stands on
the page of its lemma, and its key is the number of the line where its lemma is printed."""

from __future__ import annotations

import re

import pytest
from lxml import etree
from pypdf import PdfReader
from synthetic import every_line_text

from conftest import BODY_SIZES, TEI, build_once, printed_lines, shared_path

pytestmark = pytest.mark.slow
T = "{http://www.tei-c.org/ns/1.0}"
ENTRY = re.compile(r"^(?:(?P<key>tit\.|\d+(?:–\d+)?)\s+)?(?P<lemma>[^\]]+?)\]")
# an entry about whole lines has no lemma: "15–16 secl. Pescani", "15–16 post 20 transp. Markland"
WHOLE_LINES = re.compile(r"^(?P<key>\d+(?:–\d+)?)\s+(?:post\s+\d+\s+)?(?:secl\.|transp\.)")


def squash(text: str) -> str:
    """Letters and digits only: text compared whatever its spacing and punctuation."""
    return re.sub(r"[\W_]+", "", text)


def words_of(line) -> str:
    """A printed line's text without the numbers in its margin."""
    return "".join(text for _, size, text in line.fragments if size >= 8.9)


def verse_texts(source) -> dict[str, str]:
    """Each numbered verse line of a TEI file as the text prints it: without readings or notes."""
    found = {}
    for line in etree.parse(str(source)).iter(f"{T}l"):
        if line.get("n"):
            copy = etree.fromstring(etree.tostring(line))
            for other in list(copy.iter(f"{T}rdg", f"{T}note", f"{T}witDetail")):
                other.getparent().remove(other)
            found[line.get("n")] = " ".join("".join(copy.itertext()).split())
    return found


def body_lines(lines, left: float, right: float, headings: frozenset[str] = frozenset()):
    """The lines of running text in the text block (text face sizes, not the TEI's headings), top to bottom."""
    title = next((i for i, line in enumerate(lines) if line.size >= 16), None)
    if title is not None:  # a text's opening (its title, author, source) is not part of its lines
        lines = lines[title + 1:]
        lines = lines[next((i for i, line in enumerate(lines) if line.size >= 9.7 and line.size < 11), 0):]
    found = [line for line in lines if BODY_SIZES[0] <= line.size <= BODY_SIZES[1] and line.y > 45
             and left - 2 <= min(x for x, size, _ in line.fragments if size >= 8.9) <= right]
    # a heading of the TEI, on one line or broken over two or three
    words = [squash(words_of(line)) for line in found]
    heading_lines = {i + k for size in (1, 2, 3) for i in range(len(found) - size + 1)
                     if "".join(words[i:i + size]) in headings for k in range(size)}
    return [line for i, line in enumerate(found) if i not in heading_lines]


def headings_of(source) -> frozenset[str]:
    return frozenset(squash("".join(head.itertext())) for head in etree.parse(str(source)).iter(f"{T}head"))


def margin_numbers(lines, left: float, right: float):
    """(number, baseline) of the line numbers printed outside the text block."""
    found = []
    for line in lines:
        for x, size, text in line.fragments:
            if size < 8 and text.strip().isdigit() and (x > right or x < left - 5):
                found.append((int(text), line.y))
    return found


def apparatus_entries(lines, body) -> list[tuple[str, str]]:
    """(key, lemma) of each entry of the apparatus block at the foot of a page; a key left out is the one before."""
    last_body = min(line.y for line in body) if body else 10_000
    block = " ".join(line.text for line in lines if line.y < last_body and line.size < 9 and entry_like(line.text)
                     or line.y < last_body and line.size < 9 and block_started(lines, line, last_body))
    entries, key = [], None
    for part in re.split(r"\s\|\s", " ".join(block.split())):
        whole = WHOLE_LINES.match(part.strip())
        match = ENTRY.match(part.strip())
        if whole:
            key = whole.group("key")
            entries.append((key, None))
        elif match:
            key = match.group("key") or key
            entries.append((key, match.group("lemma")))
    return entries


def entry_like(text: str) -> bool:
    return "]" in text or bool(WHOLE_LINES.match(" ".join(text.split())))


def block_started(lines, line, last_body) -> bool:
    earlier = [other for other in lines if other.y > line.y and other.y < last_body and other.size < 9]
    return any(entry_like(other.text) for other in earlier)


# --- verse: Propertius 1.15 ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def propertius(tmp_path_factory):
    source = shared_path("foreign-tei", "dll", "Propertius-1-15.xml")
    result = build_once(tmp_path_factory, "propertius", [source], force=True)
    return result, printed_lines(result.outputs["pdf"]), verse_texts(source)


def test_propertius_verse_numbers_in_the_margin_are_the_tei_numbers(propertius):
    result, pages, verses = propertius
    checked = 0
    for index in range(result.layout.body_offset, result.layout.body_offset + result.layout.body_pages):
        lines = pages[index]
        for number, y in margin_numbers(lines, 44, 372):
            line = next(line for line in lines if abs(line.y - y) < 2 and line.size > 9)
            assert squash(words_of(line)) == squash(verses[str(number)]), (number, line)
            checked += 1
    assert checked >= 7  # 5, 10, ... 40 (15 stands with the interpolated lines after 42)


def test_propertius_every_entry_is_on_its_lemmas_page_keyed_by_its_verse(propertius):
    result, pages, verses = propertius
    offset = result.layout.body_offset
    entries = whole_lines = 0
    for index in range(offset, offset + result.layout.body_pages):
        body = [line for line in pages[index] if line.size > 9.5 and line.size < 11]
        page_text = squash("".join(words_of(line) for line in body))
        for key, lemma in apparatus_entries(pages[index], body):
            start = key.split("–")[0]
            if lemma is None:  # secluded or moved lines, keyed by the lines wherever they are printed
                assert all(number in verses for number in key.split("–")), key
                whole_lines += 1
                continue
            assert start in verses and squash(lemma.split()[0]) in squash(verses[start]), (key, lemma)
            assert squash(verses[start]) in page_text, (key, lemma, index)
            entries += 1
    assert entries >= 40 and whole_lines >= 4


# --- prose: the Greek text of the Patristic Text Archive, and a synthetic text --------------------


def check_prose(result, pages, minimum: int, headings: frozenset[str] = frozenset()):
    """Margin numbers count the page's lines; each entry's lemma is on its page, on the line its key names."""
    offset = result.layout.body_offset
    entries = numbers = 0
    for index in range(offset, offset + result.layout.body_pages):
        recto = (index - offset) % 2 == 0
        left, right = (61.2, 371.7) if recto else (44.64, 355.1)
        body = body_lines(pages[index], left, right, headings)
        for number, y in margin_numbers(pages[index], left, right):
            position = next(i for i, line in enumerate(body) if abs(line.y - y) < 2)
            assert position + 1 == number, (index, number, body[position])
            numbers += 1
        for key, lemma in apparatus_entries(pages[index], body):
            if key == "tit.":
                continue
            bounds = [int(k) for k in key.split("–")]
            spanned = "".join(words_of(line) for line in body[bounds[0] - 1:bounds[-1]])
            assert squash(lemma.split()[0]) in squash(spanned), (index, key, lemma, body[bounds[0] - 1])
            entries += 1
    assert entries >= minimum and numbers > 0


def test_greek_prose_entries_and_numbers_agree_with_the_printed_lines(tmp_path_factory):
    source = shared_path("foreign-tei", "pta", "pta0013.pta003.pta-grc1.xml")
    result = build_once(tmp_path_factory, "pta", [source], force=True)
    check_prose(result, printed_lines(result.outputs["pdf"]), 30, headings_of(source))


def test_an_entry_on_every_line(tmp_path_factory):
    folder = tmp_path_factory.mktemp("every-line-src")
    (folder / "every-line.xml").write_text(every_line_text(), encoding="utf-8")
    result = build_once(tmp_path_factory, "every-line", [folder / "every-line.xml"])
    assert not [d.format() for d in result.diagnostics if d.severity.value == "error"]
    check_prose(result, printed_lines(result.outputs["pdf"]), 300)


# --- at the back: the Serge edition's textual notes, keyed by page and line -------------------------


def test_serge_textual_notes_are_keyed_by_the_page_and_line_of_their_lemma(serge_build):
    pages = printed_lines(serge_build.outputs["pdf"])
    labels = serge_build.layout.labels
    headings = frozenset().union(*(headings_of(path) for path in sorted((TEI / "texts").glob("*.xml"))))
    start = next(i for i, page in enumerate(pages) if page and page[0].text.strip() == "Textual Notes")
    back = [line for page in pages[start:] for line in page if line.size < 10]
    checked = 0
    for line in back:
        match = re.match(r"^(\d+)\.(\d+)(?:–(\d+))? (\S+)", " ".join(line.text.split()))
        if not match:
            continue
        page, number, word = labels.index(match.group(1)), int(match.group(2)), match.group(4)
        last = int(match.group(3) or number)
        recto = (page - serge_build.layout.body_offset) % 2 == 0
        left, right = (61.2, 371.7) if recto else (44.64, 355.1)
        body = body_lines(pages[page], left, right, headings)
        spanned = "".join(words_of(line) for line in body[number - 1:last])
        assert squash(word) in squash(spanned), (match.group(0), body[number - 1])
        checked += 1
    assert checked > 100


# --- prose counted by section: keys carry the section's number ---------------------------------------


def test_prose_counted_by_section_keys_its_entries_by_section_and_line(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sections-src")
    text = every_line_text(paragraphs=18, every=30)
    # three numbered sections of six paragraphs each
    paragraphs = re.findall(r"<p>.*?</p>", text)
    sections = "".join(f'<div n="{n}"><head>Section {n}</head>{"".join(paragraphs[(n - 1) * 6:n * 6])}</div>'
                       for n in (1, 2, 3))
    text = re.sub(r"<body><div>.*</div></body>", f"<body>{sections}</body>", text, flags=re.S)
    (folder / "sections.xml").write_text(text, encoding="utf-8")
    (folder / "edition.toml").write_text('[apparatus]\nplacement = "foot"\nnumbering = "section"\n', encoding="utf-8")
    result = build_once(tmp_path_factory, "sections", [folder / "sections.xml"])
    assert not [d.format() for d in result.diagnostics if d.severity.value == "error" or
                d.rule.startswith("apparatus") or d.rule == "line-overflow"]
    sections_of = {}
    for text_ in result.book.texts:
        for element in text_.section.iter():
            if element.get("id"):
                div = next((a for a in element.iterancestors() if a.get("data-n")), None)
                sections_of[element.get("id")] = div.get("data-n") if div is not None else None
    keys = result.layout.keys
    assert len(keys) > 20
    first_lines = {}
    for anchor, key in keys.items():
        section, line = re.fullmatch(r"(\d+)\.(\d+)(?:–(?:\d+\.)?\d+)?", key).groups()
        assert section == sections_of[anchor], (anchor, key)
        first_lines[section] = min(first_lines.get(section, 999), int(line))
    assert set(first_lines) == {"1", "2", "3"} and max(first_lines.values()) <= 3  # counted from each section's start
    printed = " ".join(line.text for page in printed_lines(result.outputs["pdf"]) for line in page)
    assert "2.1 " in printed or "2.2 " in printed or "2.3 " in printed


def test_a_book_with_no_back_matter_ends_without_a_page_of_its_own(propertius):
    result, _, _ = propertius
    texts = [page.extract_text().strip() for page in PdfReader(str(result.outputs["pdf"])).pages]
    back = result.layout.body_offset + result.layout.body_pages
    assert len(texts) - back <= 1 and all(not text for text in texts[back:])  # a blank verso at most
    assert len(texts) % 2 == 0
