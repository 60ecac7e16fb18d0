"""Nothing lost, nothing garbled: the words of every foreign TEI file and of every fixture reach both books.

The same measurement as ../shared/tools/text_coverage.py (words of four or more letters of the reading text of
<text>: lemmas kept; rejected readings, deletions, corrected errors, forme work, notes, registers, descriptions and
the header left out), made on every word instead of a sample, with the PDF's text read by pypdf, and one more check:
no two neighbouring words of the source may stand run together in a book. Where a word ends follows the renderer's
decisions: a block, a line, a space, a caesura and each <w> end one; <lb> does unless break="no"; <pb>, <cb> and
<milestone> print nothing, so the white space around them decides (the tool counts them as breaks even with
break="no", and would split "ἐδογμά<pb break="no"/>τισαν" in two).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, SHARED, TEI, build_once, pdf_pages_text

T = "{http://www.tei-c.org/ns/1.0}"
LEFT_OUT = {T + name for name in (
    "rdg", "del", "fw", "note", "teiHeader", "sic", "orig", "abbr", "facsimile", "standOff", "listPerson", "listPlace",
    "listOrg", "listBibl", "listWit", "witDetail", "surplus", "metamark", "desc", "figDesc")}
WORD_ENDS = {T + name for name in (
    "p", "l", "lg", "head", "div", "ab", "item", "cell", "row", "space", "seg", "closer", "opener", "salute", "signed",
    "dateline", "q", "quote", "lb", "w", "caesura")}
MILESTONES = {T + name for name in ("pb", "cb", "milestone")}
SHARE = 0.98


def reading_text(path: Path) -> str:
    """The words of a file's <text> as a reader of the books should meet them, one space where a word ends."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, collect_ids=False)
    root = etree.parse(str(path), parser).getroot()
    out: list[str] = []

    def walk(element) -> None:
        if isinstance(element.tag, str) and element.tag not in LEFT_OUT:
            joined = element.get("break") == "no" and element.tag in MILESTONES | {T + "lb"}
            if joined:
                out[:] = ["".join(out).rstrip()]
            elif element.tag in WORD_ENDS:
                out.append(" ")
            out.append(element.text or "")
            for child in element:
                walk(child)
            if element.tag in WORD_ENDS and not joined:
                out.append(" ")
            tail = element.tail or ""
            out.append(tail.lstrip() if joined else tail)
        else:
            out.append(element.tail or "")

    text = root.find(f"{T}text")
    if text is not None:
        walk(text)
    return normal("".join(out))


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w{4,}", text) if not word.isdigit()}


def run_together(source: str, book: str) -> list[str]:
    """Neighbouring words of the source (apart by white space) that the book prints as one."""
    printed = set(re.findall(r"\w+", book))
    known = set(re.findall(r"\w+", source))
    found = []
    for match in re.finditer(r"(?=\b([^\W\d_]{2,})\s+([^\W\d_]{2,})\b)", source):
        first, second = match.groups()
        if first + second in printed and first + second not in known:
            found.append(f"{first}|{second}")
    return sorted(set(found))


def pdf_text(path: Path) -> str:
    return normal(" ".join(pdf_pages_text(path)))


def epub_text(path: Path) -> str:
    """The text of every content document as it stands in the file (block ends must keep words apart there too)."""
    with zipfile.ZipFile(path) as book:
        return normal(" ".join("".join(etree.fromstring(book.read(name)).itertext())
                               for name in book.namelist() if name.endswith(".xhtml")))


def foreign_files() -> list[Path]:
    """The files of ../shared/foreign-tei, or that folder itself where it is absent (its test then skips)."""
    folder = SHARED / "foreign-tei"
    return sorted(folder.glob("*/*.xml")) if folder.is_dir() else [folder]


# Each source: the TEI file to measure, the edition to build (a copy, for a fixture edition with its schema), and
# whether the build may override errors (the foreign files point into files that are not there; the rule
# fixtures are broken on purpose).
SOURCES = (
    [pytest.param(path, path, True, id=f"foreign/{path.name}") for path in foreign_files()]
    + [pytest.param(path, FIXTURES / "mini", False, id=f"mini/{path.relative_to(FIXTURES / 'mini')}")
       for path in sorted((FIXTURES / "mini").rglob("*.xml"))]
    + [pytest.param(path, path, False, id=f"render/{path.name}")
       for path in sorted((FIXTURES / "render").glob("*.xml"))]
    # xml-too-deep is refused even with --force (no book can be laid out from it; test_load.py tests the refusal)
    + [pytest.param(path, path, True, id=f"rules/{path.name}") for path in sorted((FIXTURES / "rules").glob("*.xml"))
       if path.stem != "xml-too-deep"]
)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Each edition built once in the session: its PDF's and its EPUB's text."""
    books: dict[Path, tuple[str, str]] = {}

    def book_of(edition: Path, force: bool) -> tuple[str, str]:
        if edition not in books:
            source = edition
            if edition.is_dir():
                source = tmp_path_factory.mktemp("edition") / edition.name
                shutil.copytree(edition, source)
                (source / "schema").mkdir(exist_ok=True)
                shutil.copy(TEI / "schema" / "edition.rng", source / "schema" / "edition.rng")
            result = build_once(tmp_path_factory, edition.stem, [source], force=force)
            assert not result.stopped and set(result.outputs) == {"pdf", "epub"}, [
                d.format() for d in result.diagnostics if d.severity.value == "error"][:10]
            books[edition] = pdf_text(result.outputs["pdf"]), epub_text(result.outputs["epub"])
        return books[edition]

    return book_of


def test_the_reading_text_follows_the_renderer_at_breaks(tmp_path):
    path = tmp_path / "t.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><p>Ge<lb break="no"/>\n'
                    '  schwister<lb/>und ἐδογμά <pb break="no"/> τισαν διδασκα<pb/>λία <w>waken</w><w>early</w>'
                    '<del>gone</del> <note>noted</note>weiß<space/>ich</p></body></text></TEI>', encoding="utf-8")
    assert reading_text(path).split() == ["geschwister", "und", "ἐδογμάτισαν", "διδασκαλία", "waken", "early",
                                          "weiß", "ich"]
    assert run_together("weiß ich selbst", "das weißich selbst") == ["weiß|ich"]


@pytest.mark.slow
@pytest.mark.parametrize(("path", "edition", "force"), SOURCES)
def test_every_word_reaches_both_books_and_none_run_together(built, path, edition, force):
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/ is provided beside the project in CI)")
    source = reading_text(path)
    wanted = words(source)
    pdf, epub = built(edition, force)
    for book, text in (("PDF", pdf), ("EPUB", epub)):
        missing = sorted(wanted - words(text))
        share = 1 - len(missing) / len(wanted) if wanted else 1.0
        assert share >= SHARE, f"{book}: {share:.3f} of {len(wanted)} words; missing {missing[:30]}"
        assert run_together(source, text) == [], book
