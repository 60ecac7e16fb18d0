"""Anonymous blocks and segments; cross-references inside the edition, to the web, and to files elsewhere."""

from __future__ import annotations

from conftest import html_of


def test_renders(tmp_path, tei_body, expected):
    """The cases in cases/linking.md."""
    assert html_of(tmp_path, tei_body) == expected
