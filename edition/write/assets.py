"""What both writers draw on: the project's styles and the book face."""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
STYLES = PROJECT / "styles"


def font_files() -> tuple[Path, Path]:
    """The book face, EB Garamond from its PyPI package: roman and italic variable fonts."""
    import fontpkg_eb_garamond

    folder = Path(fontpkg_eb_garamond.__file__).resolve().parent / "files"
    return folder / "EBGaramond[wght].ttf", folder / "EBGaramond-Italic[wght].ttf"


def font_css() -> str:
    """@font-face rules for the book face (regular and bold of each style, from the variable fonts)."""
    roman, italic = font_files()
    faces = []
    for path, style in ((roman, "normal"), (italic, "italic")):
        url = path.as_uri()
        for weight in ("normal", "bold"):
            faces.append(
                f'@font-face {{ font-family: "EB Garamond"; src: url("{url}"); font-style: {style}; '
                f"font-weight: {weight}; }}"
            )
    return "\n".join(faces)
