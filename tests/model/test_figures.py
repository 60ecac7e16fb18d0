"""Tables and figures: an image the edition holds is shown; any other is a placeholder, reported, never fetched."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, body_html, html_of, model_of

IMAGE = FIXTURES / "render" / "images" / "siegel.png"


def test_an_image_the_edition_holds_is_shown_with_its_description_as_alternative(tmp_path):
    (tmp_path / "images").mkdir()
    shutil.copy(IMAGE, tmp_path / "images" / "seal.png")
    book = model_of(tmp_path, '<figure><graphic url="images/seal.png"/><head>The seal</head>'
                              "<figDesc>A red wax seal</figDesc></figure>")
    assert body_html(book) == (f'<figure class="figure"><img class="graphic" src="{(tmp_path / "images" / "seal.png").as_uri()}" '
                    'alt="A red wax seal" data-url="images/seal.png"/><figcaption class="caption">The seal</figcaption>'
                    "</figure>")
    assert book.warnings == []


def test_an_image_not_in_the_edition_is_a_placeholder_and_a_warning(tmp_path, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    (tmp_path / "scan.tif").write_bytes(b"II*\0")
    outside = tmp_path.parent / "outside.png"
    shutil.copy(IMAGE, outside)
    book = model_of(tmp_path, '<p><graphic url="gone.png"/> <graphic url="https://example.org/a.jpg"/> '
                              '<graphic url="../outside.png"/> <graphic url="scan.tif"/> <graphic/></p>')
    warnings = [(w.rule, w.message.split("; ")[0]) for w in book.warnings]
    assert warnings == [
        ("render-placeholder", 'the image "gone.png" is not in the edition\'s folder'),
        ("render-placeholder", 'the image "https://example.org/a.jpg" is not a file of the edition (the build never '
                               "fetches anything)"),
        ("render-placeholder", 'the image "../outside.png" is outside the edition\'s folder'),
        ("render-placeholder", 'the image "scan.tif" is a .tif, which the books cannot show (PNG, JPEG, GIF, SVG or '
                               "WebP can)"),
        ("render-placeholder", 'the image "" is not named (the graphic has no @url)'),
    ]
    source = (tmp_path / "t.xml").read_text(encoding="utf-8")
    assert [w.column for w in book.warnings][:2] == [source.index('url="gone') + 1, source.index('url="https') + 1]
    printed = " ".join("".join(book.texts[0].section.itertext()).split())
    assert printed == "[Figure: gone.png] [Figure: a.jpg] [Figure: outside.png] [Figure: scan.tif] [Figure]"


def test_renders(tmp_path, tei_body, expected):
    """The cases in cases/figures.md."""
    assert html_of(tmp_path, tei_body) == expected
