"""Verse: line groups as blocks, lines with their numbers."""

from __future__ import annotations

from conftest import html_of


def test_renders(tmp_path, tei_body, expected):
    """The cases in cases/verse.md."""
    assert html_of(tmp_path, tei_body) == expected
