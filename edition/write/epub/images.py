"""The images the texts show: each file the model names, packed into the EPUB once and pointed at there."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...model.handlers.figures import IMAGE_TYPES
from .xhtml import XHTML, Chapter, classes


def pack_images(chapters: list[Chapter]) -> list[tuple[str, str, bytes]]:
    """(file name in the EPUB, media type, content) of every image, its <img>s pointed at that file."""
    packed: dict[Path, str] = {}
    items = []
    for chapter in chapters:
        for image in chapter.root.iter(f"{{{XHTML}}}img"):
            if "graphic" not in classes(image) or not image.get("src", "").startswith("file:"):
                continue
            path = Path(unquote(urlsplit(image.get("src")).path))
            if path not in packed:
                packed[path] = f"images/figure-{len(packed) + 1}{path.suffix.lower()}"
                items.append((packed[path], IMAGE_TYPES[path.suffix.lower()], path.read_bytes()))
            image.set("src", packed[path])
    return items
