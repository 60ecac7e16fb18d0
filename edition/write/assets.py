"""What both writers draw on: the package's styles, and the book's faces (a fontpkg-* package or the edition's
own font files), declared for CSS and checked for the characters the text needs."""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..config import BookSettings, trim_size
from ..errors import EditionError

PACKAGE = Path(__file__).resolve().parents[1]
STYLES = PACKAGE / "styles"
_FONT_FILES = ("*.ttf", "*.otf", "*.TTF", "*.OTF")
_WEIGHTS = (("thin", 100), ("extralight", 200), ("light", 300), ("semibold", 600), ("demibold", 600),
            ("extrabold", 800), ("black", 900), ("bold", 700), ("medium", 500))


@dataclass(frozen=True)
class Face:
    """One font file of a face: its style and weight (a variable font serves the normal and the bold weight)."""

    path: Path
    italic: bool
    weights: tuple[str, ...]


def face_files(spec: str, edition_root: Path) -> list[Face]:
    """The font files of a face: a PyPI font package (``fontpkg-eb-garamond``, installed with the project), or a
    font file or folder of font files inside the edition's folder."""
    if spec.startswith("fontpkg-"):
        try:
            module = importlib.import_module(spec.replace("-", "_"))
        except ImportError:
            raise EditionError(f'the face "{spec}" is not installed; add it to the project\'s dependencies '
                               f"(pip install {spec})") from None
        folder = Path(module.__file__).resolve().parent / "files"
        files = sorted(p for pattern in _FONT_FILES for p in folder.rglob(pattern))
    else:
        path = (edition_root / spec).resolve()
        if not path.is_relative_to(edition_root.resolve()):
            raise EditionError(f'the face "{spec}" is outside the edition folder; put its font files inside it')
        files = [path] if path.is_file() else sorted(p for pattern in _FONT_FILES for p in path.glob(pattern))
    if not files:
        raise EditionError(f'the face "{spec}" has no font files (.ttf or .otf); name a fontpkg-* package or '
                           "font files in the edition folder")
    return [_face(path) for path in files]


def _face(path: Path) -> Face:
    name = path.stem.lower().replace("-", "").replace("_", "")
    italic = "italic" in name or "oblique" in name
    if "[" in path.name or "variable" in name:
        return Face(path, italic, ("normal", "bold"))
    weight = next((str(value) for word, value in _WEIGHTS if word in name), "normal")
    return Face(path, italic, (weight,))


@lru_cache(maxsize=4)
def faces_of(book: BookSettings, edition_root: Path) -> tuple[list[Face], list[Face]]:
    second = face_files(book.second_face, edition_root) if book.second_face else []
    return face_files(book.face, edition_root), second


def font_css(book: BookSettings, edition_root: Path, instances: Path | None = None) -> str:
    """@font-face rules for the book's faces (regular and bold of each style from a variable font); with an
    ``instances`` folder, each weight of a variable face from a static instance of it kept there."""
    rules = []
    for family, faces in zip(families(book, edition_root), faces_of(book, edition_root), strict=False):
        for face in faces:
            for weight in face.weights:
                path = face.path
                if instances is not None and len(face.weights) > 1:
                    path = static_instance(face.path, 700 if weight == "bold" else 400, instances) or path
                rules.append(f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); '
                             f"font-style: {'italic' if face.italic else 'normal'}; font-weight: {weight}; }}")
    return "\n".join(rules)


def static_instance(path: Path, weight: int, folder: Path) -> Path | None:
    """A variable face made static at ``weight`` (within its weight axis; other axes at their defaults) by HarfBuzz,
    kept in ``folder`` under a name of the face file's name, size and time of change; None where it cannot be
    made (no uharfbuzz, no weight axis, a failure): the variable face is used as it is.

    Pango lays a variable face out at its default instance whatever weight the style asks for, so bold set from
    the variable file is spaced at the regular's widths, and the PDF's widths disagree with the bold outlines it
    embeds. A static bold is laid out, drawn and embedded at its own widths."""
    path, folder = path.resolve(), folder.resolve()
    stat = path.stat()
    tag = hashlib.sha256(f"{path}:{stat.st_size}:{stat.st_mtime_ns}:{weight}".encode()).hexdigest()[:16]
    target = folder / f"{path.stem.replace('[', '-').replace(']', '')}-{weight}-{tag}{path.suffix.lower()}"
    if target.exists():
        return target
    try:
        import uharfbuzz as hb

        face = hb.Face(hb.Blob(path.read_bytes()))
        axes = {axis.tag: axis for axis in face.axis_infos}
        if "wght" not in axes:
            return None
        request = hb.SubsetInput()
        request.keep_everything()
        request.flags |= hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.GLYPH_NAMES | hb.SubsetFlags.NAME_LEGACY
        request.glyph_set.update(range(face.glyph_count))
        request.unicode_set.update(face.unicodes)
        request.pin_all_axes_to_default(face)
        request.pin_axis_location(face, "wght", min(max(weight, axes["wght"].min_value), axes["wght"].max_value))
        data = bytes(hb.subset(face, request).blob.data)
        if not data:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".partial")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except Exception:  # the variable face is used as it is
        return None
    return target


def families(book: BookSettings, edition_root: Path) -> tuple[str, ...]:
    """The CSS family of the face and of the second face: each face's own family name (the name the PDF's fonts
    carry, as a press's preflight expects), the second kept apart from the first should they share one."""
    names = [_family_name(faces[0].path) for faces in faces_of(book, edition_root) if faces]
    if len(names) == 2 and names[0] == names[1]:
        names[1] += " Second"
    return tuple(names)


@lru_cache(maxsize=8)
def _family_name(path: Path) -> str:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        table = font["name"]
        name = next((found for found in (table.getDebugName(16), table.getDebugName(1)) if found), "")
    cleaned = re.sub(r'["\\\n]', "", name).strip()
    return cleaned or path.stem


def font_folders(book: BookSettings, edition_root: Path) -> list[Path]:
    """The folders WeasyPrint may read the faces from."""
    return sorted({face.path.parent for faces in faces_of(book, edition_root) for face in faces})


def regular_and_italic(book: BookSettings, edition_root: Path) -> tuple[Path, Path]:
    """The roman and italic files of the book's face (for drawing the EPUB's cover)."""
    faces = faces_of(book, edition_root)[0]
    roman = next((f.path for f in faces if not f.italic and f.weights[0] in ("normal", "400")), faces[0].path)
    italic = next((f.path for f in faces if f.italic), roman)
    return roman, italic


def book_css(book: BookSettings, edition_root: Path) -> str:
    """The page and the type the settings ask for: trim, mirrored margins, faces, size and leading, and the
    sizes of the page's own boxes (running heads, folios, the footnote area) that follow the text's size."""
    width, height = trim_size(book.trim) or ("6in", "9in")
    top, outer, bottom, inner = book.margins.split()
    size = points(book.size)
    stack = ", ".join(f'"{family}"' for family in families(book, edition_root))

    def scaled(pt: float) -> str:
        return f"{round(pt * size / 10.5, 3):g}pt"

    return "\n".join([
        f":root {{ --book: {stack}; --size: {book.size}; --leading: {book.leading}; }}",
        f"@page {{ size: {width} {height}; margin: {top} {outer} {bottom} {inner}; "
        f"@footnote {{ font-size: {scaled(8.4)}; }} }}",
        f"@page :left {{ margin-left: {outer}; margin-right: {inner}; "
        f"@top-left {{ font-size: {scaled(8.5)}; }} @bottom-left {{ font-size: {scaled(9)}; }} }}",
        f"@page :right {{ margin-left: {inner}; margin-right: {outer}; "
        f"@top-right {{ font-size: {scaled(8.5)}; }} @bottom-right {{ font-size: {scaled(9)}; }} }}",
    ])


def points(length: str) -> float:
    """A CSS length in points."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(pt|px|mm|cm|in)", length.strip())
    if not match:
        raise EditionError(f'"{length}" is not a length such as "10.5pt"')
    value, unit = float(match.group(1)), match.group(2)
    return value * {"pt": 1, "px": 0.75, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72}[unit]


def missing_characters(text: str, book: BookSettings, edition_root: Path) -> str:
    """The characters of ``text`` that none of the book's faces has (printed in some other font, or not at all)."""
    covered = _coverage(tuple(face.path for faces in faces_of(book, edition_root) for face in faces))
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) >= 32 and ord(c) not in covered
                           and not 0x200B <= ord(c) <= 0x2060 and ord(c) != 0xAD}))


@lru_cache(maxsize=4)
def _coverage(paths: tuple[Path, ...]) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    found: set[int] = set()
    for path in paths:
        with TTFont(str(path), lazy=True) as font:
            found |= set(font.getBestCmap() or {})
    return frozenset(found)


@lru_cache(maxsize=4)
def has_even_figures(book: BookSettings, edition_root: Path) -> bool:
    """Whether the book's face has figures of one width (OpenType "tnum"), which let a cross-reference's page be
    filled in after layout."""
    from fontTools.ttLib import TTFont

    for face in faces_of(book, edition_root)[0]:
        with TTFont(str(face.path), lazy=True) as font:
            table = font["GSUB"].table if "GSUB" in font else None
            records = table.FeatureList.FeatureRecord if table is not None and table.FeatureList else []
            if not any(record.FeatureTag == "tnum" for record in records):
                return False
    return True
