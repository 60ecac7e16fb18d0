"""The back matter laid out in parts: where a long section is cut, where each part begins, and a book whose
apparatus at the back runs to many parts (folios true and on the right side of the leaf, every entry once)."""

from __future__ import annotations

import re

import pytest
from lxml import html
from pypdf import PdfReader
from synthetic import edition_of_pages

from edition.build import build_edition
from edition.config import BuildConfig
from edition.write.pdf import BACK_PART, back_starts, cut_section


def _section(groups: int, entries: int, columns: bool = False) -> html.HtmlElement:
    words = "x" * (BACK_PART // 40)
    inner = "".join(f"<h2>Group {g}</h2>" + "".join(f'<p class="entry">{g}.{e} {words}</p>' for e in range(entries))
                    for g in range(groups))
    if columns:
        inner = f'<div class="columns">{inner}</div>'
    return html.fragment_fromstring(f'<section class="back textual-notes" id="tn"><h1>Notes</h1>{inner}</section>')


def test_a_short_section_is_one_part():
    section = _section(2, 3)
    assert cut_section(section) == [section]


def test_a_long_section_is_cut_before_a_group_and_keeps_its_classes():
    parts = cut_section(_section(12, 10))
    assert len(parts) > 2
    assert parts[0].get("id") == "tn" and parts[0][0].tag == "h1"
    for part in parts[1:]:
        assert part.get("class") == "back textual-notes continued" and part.get("id") is None
        assert part[0].tag == "h2"  # cut where a group begins
    entries = [p.text.split()[0] for part in parts for p in part.iter("p")]
    assert entries == [f"{g}.{e}" for g in range(12) for e in range(10)]  # every entry once, in order


def test_a_long_group_is_cut_between_entries_never_after_its_heading():
    parts = cut_section(_section(1, 200, columns=True))
    assert len(parts) > 2
    for part in parts[1:]:
        columns = part[0]
        assert columns.get("class") == "columns" and columns[0].tag == "p"
    assert all(part.iter("h2") is not None for part in parts)
    heading = parts[0].find(".//h2")
    assert heading.getnext() is not None and heading.getnext().tag == "p"


def test_a_section_opens_on_a_recto_and_a_part_goes_on_from_the_next_page():
    assert back_starts([3, 2, 5, 1], [True, False, True, False], 11) == [11, 14, 17, 22]


@pytest.mark.slow
def test_a_long_apparatus_at_the_back_in_parts(tmp_path, monkeypatch):
    import edition.write.pdf as writer

    edition_of_pages(tmp_path / "edition", 120)
    # parts of one text's entries each (about seven pages): some begin on a verso
    monkeypatch.setattr(writer, "BACK_PART", 25_000)
    starts = []
    monkeypatch.setattr(writer, "back_starts", lambda *args: starts.append(back_starts(*args)) or starts[-1])
    result = build_edition(BuildConfig(sources=(tmp_path / "edition",), out_dir=tmp_path / "out",
                                       formats=("pdf",), quiet=True, force=True))
    assert len(starts[-1]) > 3 and any(page % 2 == 0 for page in starts[-1]), starts
    # the parts begun on a verso were laid out for a recto and put on the verso as they are (one round of layouts)
    assert result.flipped > 0 and len(starts) == 1, (result.flipped, starts)
    assert not [d for d in result.diagnostics if d.rule in ("back-side", "line-overflow", "weasyprint")]
    reader = PdfReader(str(result.outputs["pdf"]))
    labels = reader.page_labels
    back = result.layout.body_offset + result.layout.body_pages
    texts = [page.extract_text() for page in reader.pages]
    notes = next(i for i in range(back, len(texts)) if texts[i].startswith("Textual Notes"))
    width = float(reader.pages[0].mediabox.width)
    sides = 0
    for number in range(notes + 1, len(texts)):
        found: list[tuple[str, float]] = []
        reader.pages[number].extract_text(visitor_text=lambda text, cm, tm, *_, into=found: into.append(
            (text.strip(), tm[4])))
        folio = [x for text, x in found if text == labels[number]]
        assert folio, f"page {labels[number]} does not print its number"
        recto = int(labels[number]) % 2 == 1
        assert (folio[-1] > width / 2) == recto, f"p. {labels[number]}: folio on the wrong side"
        # the text block stands inside the side's wider margin (0.85 in), the gutter: on the left of a recto (in
        # CSS px, as WeasyPrint sets text)
        left = min(x for text, x in found if re.match(r"\d+\.\d+", text))
        assert abs(left - (0.85 if recto else 0.62) * 96) < 0.5, f"p. {labels[number]}: text block at {left:.1f} px"
        sides += 1
    assert sides > 20
    keys = re.findall(r"^(\d+\.\d+(?:–\d+)?) ", "\n".join(texts[notes:]), flags=re.M)
    entries = [e for e in result.book.textual if e.kind == "variant"]
    assert len(keys) == len(entries)
