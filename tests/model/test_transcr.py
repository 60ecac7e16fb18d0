"""Transcription: what the editor supplies is bracketed; marks of the source's state keep their words."""

from __future__ import annotations

from conftest import html_of


def test_renders(tmp_path, tei_body, expected):
    """The cases in cases/transcr.md."""
    assert html_of(tmp_path, tei_body) == expected
