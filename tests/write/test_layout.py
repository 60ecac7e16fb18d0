"""The layout's JSON form: what the PDF writes is what the EPUB reads."""

from __future__ import annotations

import pytest

from edition.errors import EditionError
from edition.write.layout import Layout, read_layout, write_layout


def test_layout_round_trips_through_json(tmp_path):
    layout = Layout(["i", "ii", "1", "2"], 2, 2, [{"page": "1", "anchor": "p1", "words": "It began"}],
                    {"call-n1": "2"}, {"o1": (3, "2"), "o2": (-1, "ii")}, {"p1": "1"})
    write_layout(layout, tmp_path / "b.layout.json")
    assert read_layout(tmp_path / "b.layout.json") == layout


def test_a_missing_layout_says_to_build_the_pdf(tmp_path):
    with pytest.raises(EditionError, match="build the PDF first"):
        read_layout(tmp_path / "none.layout.json")
