"""Incremental builds: the body's units come from the layout cache unless what they depend on changed, and a
rebuild gives the same books as a clean build of the same sources."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from edition.build import build_edition
from edition.config import BuildConfig

pytestmark = pytest.mark.slow

TEXTS = ("one", "two", "three")
WORDS = ("the committee met again in the spring and the old quarrels returned with every page of the minutes "
         "while the letters from abroad were read aloud and argued over late into the night").split()


def _paragraph(text: str, number: int) -> str:
    words = " ".join(WORDS[(number * 7 + i) % len(WORDS)] for i in range(110))
    note = (f'<note place="foot" xml:id="{text}-n{number}">A note on paragraph {number} of {text}.</note>'
            if number % 3 == 0 else "")
    ref = ""
    if text == "one" and number == 2:
        ref = ' (<ref target="three.xml#three-p5">below</ref>)'
    if text == "three" and number == 4:
        ref = ' (<ref target="one.xml#one-p2">above</ref>)'
    return f'<p xml:id="{text}-p{number}">{words}{ref}, said <persName ref="people.xml#anna">Anna</persName>.{note}</p>'


def _text(name: str) -> str:
    paragraphs = "".join(_paragraph(name, number) for number in range(9))
    return (f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{name}" xml:lang="en"><teiHeader><fileDesc><titleStmt>'
            f"<title>Text {name}</title></titleStmt><publicationStmt><p>Tests.</p></publicationStmt><sourceDesc>"
            f"<p>Written for the tests.</p></sourceDesc></fileDesc></teiHeader><text><body><div><head>Text {name}</head>"
            f"{paragraphs}</div></body></text></TEI>")


def write_edition(folder: Path) -> Path:
    folder.mkdir(parents=True)
    items = "".join(f'<item><ptr target="{name}.xml"/></item>' for name in TEXTS)
    (folder / "edition.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="units" xml:lang="en"><teiHeader><fileDesc><titleStmt>'
        "<title>Units</title><editor>The tests</editor></titleStmt><publicationStmt><p>Tests.</p></publicationStmt>"
        "<sourceDesc><p>Written for the tests.</p></sourceDesc></fileDesc></teiHeader><text><body>"
        f'<div type="part" xml:id="part"><head>Texts</head><list type="texts">{items}</list></div>'
        "</body></text></TEI>", encoding="utf-8")
    for name in TEXTS:
        (folder / f"{name}.xml").write_text(_text(name), encoding="utf-8")
    (folder / "people.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="people"><teiHeader><fileDesc><titleStmt><title>People'
        "</title></titleStmt><publicationStmt><p>Tests.</p></publicationStmt><sourceDesc><p>Tests.</p></sourceDesc>"
        '</fileDesc></teiHeader><text><body><listPerson><person xml:id="anna"><persName>Anna Example</persName>'
        "</person></listPerson></body></text></TEI>", encoding="utf-8")
    return folder


def build(source: Path, out: Path):
    result = build_edition(BuildConfig(sources=(source,), out_dir=out, formats=("pdf", "epub"), quiet=True))
    assert not result.stopped and not [d.format() for d in result.diagnostics if d.severity.value == "error"]
    return result


def pdf_pages(result) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(result.outputs["pdf"])).pages]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_lays_out_only_the_edited_text_and_equals_a_clean_build(tmp_path):
    source = write_edition(tmp_path / "edition")
    out = tmp_path / "out"
    first = build(source, out)
    assert set(first.laid_out) == set(TEXTS)
    pages = pdf_pages(first)  # read now: the rebuilds write the same file
    assert "(p." in "".join(pages)

    again = build(source, out)
    assert again.laid_out == () and again.drawn == 0  # nothing changed: every unit and drawing from the cache
    assert first.combined and not again.combined  # ... and the book there is the one the pieces make

    edit(source / "two.xml", "said <persName", "said quietly <persName")
    edited = build(source, out)
    assert len(pdf_pages(edited)) == len(pages)  # the premise: the edit moved no text to other pages
    assert edited.laid_out == ("two",)

    clean = build(source, tmp_path / "clean")
    assert set(clean.laid_out) == set(TEXTS)
    assert pdf_pages(edited) == pdf_pages(clean)
    layouts = [(folder / "units.layout.json").read_text(encoding="utf-8") for folder in (out, tmp_path / "clean")]
    assert layouts[0] == layouts[1]
    assert edited.outputs["epub"].read_bytes() == clean.outputs["epub"].read_bytes()


def test_a_text_grown_by_pages_moves_the_others_drawn_again_with_their_true_folios(tmp_path):
    source = write_edition(tmp_path / "edition")
    out = tmp_path / "out"
    pages = pdf_pages(build(source, out))
    edit(source / "one.xml", "<p xml:id=\"one-p8\">", "<p>" + " ".join(WORDS * 30) + "</p><p xml:id=\"one-p8\">")
    edited = build(source, out)
    assert len(pdf_pages(edited)) > len(pages)  # the premise: the texts after it moved
    assert edited.laid_out == ("one",)  # the others keep their layouts ...
    assert edited.drawn > 2  # ... but are drawn again with their new folios (and the matter with its pages)
    clean = build(source, tmp_path / "clean")
    assert pdf_pages(edited) == pdf_pages(clean)
    assert edited.layout.as_json() == clean.layout.as_json()


def test_each_kind_of_input_lays_out_again_just_what_depends_on_it(tmp_path, monkeypatch):
    import fontpkg_eb_garamond

    source = write_edition(tmp_path / "edition")
    (source / "fonts").mkdir()
    for font in (Path(fontpkg_eb_garamond.__file__).parent / "files").glob("*.ttf"):
        shutil.copy(font, source / "fonts" / font.name)
    (source / "edition.toml").write_text('[book]\nface = "fonts"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert set(build(source, out).laid_out) == set(TEXTS)

    edit(source / "three.xml", "A note on paragraph 3", "A longer note on paragraph 3")
    assert build(source, out).laid_out == ("three",)  # a note: its text only

    edit(source / "people.xml", "Anna Example", "Anna Exemplar")
    assert build(source, out).laid_out == ()  # a register: the index changes, no text's layout

    (source / "edition.toml").write_text('[book]\nface = "fonts"\nsize = "10pt"\n', encoding="utf-8")
    assert set(build(source, out).laid_out) == set(TEXTS)  # the settings of the page: every text

    font = next((source / "fonts").glob("*.ttf"))
    os.utime(font, ns=(font.stat().st_atime_ns, font.stat().st_mtime_ns + 10**9))
    assert set(build(source, out).laid_out) == set(TEXTS)  # a face changed: every text

    monkeypatch.setattr("edition.write.pdf.code_digest", lambda: "another version of the code")
    assert set(build(source, out).laid_out) == set(TEXTS)  # other code or another WeasyPrint: every text


def test_a_book_changed_or_removed_since_it_was_combined_is_combined_again(tmp_path):
    source = write_edition(tmp_path / "edition")
    out = tmp_path / "out"
    first = build(source, out)
    pdf = first.outputs["pdf"]
    written = pdf.read_bytes()
    stamp = pdf.stat().st_mtime_ns

    assert not build(source, out).combined
    assert pdf.stat().st_mtime_ns == stamp  # not written again

    pdf.write_bytes(written[: len(written) // 2])  # damaged in place (a viewer's failed save)
    mended = build(source, out)
    assert mended.combined and mended.drawn == 0 and pdf.read_bytes() == written

    pdf.unlink()
    again = build(source, out)
    assert again.combined and pdf.read_bytes() == written
