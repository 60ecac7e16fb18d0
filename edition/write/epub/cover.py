"""A plain typographic cover for the EPUB (title, author, editor), drawn with the book face."""

from __future__ import annotations

import io
from pathlib import Path

from ...model import Metadata
from ...words import Words


def make_cover(meta: Metadata, roman: Path, italic: Path, words: Words) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    width, height = 1600, 2400
    image = Image.new("RGB", (width, height), (246, 241, 231))
    draw = ImageDraw.Draw(image)

    def font(path, size):
        return ImageFont.truetype(str(path), size)

    def centred(text, y, face, fill=(25, 25, 25), max_width=1300):
        lines, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=face) > max_width and line:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
        for text_line in lines:
            w = draw.textlength(text_line, font=face)
            draw.text(((width - w) / 2, y), text_line, font=face, fill=fill)
            y += int(face.size * 1.25)
        return y

    draw.rectangle([90, 90, width - 90, height - 90], outline=(120, 30, 30), width=6)
    y = 420
    for author in meta.authors:
        y = centred(author.upper(), y, font(roman, 70), fill=(120, 30, 30))
    y = centred(meta.title, y + 140, font(roman, 150))
    if meta.subtitle:
        y = centred(meta.subtitle, y + 70, font(italic, 66), max_width=1200)
    for editor in meta.editors:
        centred(f"{words.edited_by} {editor}", height - 520, font(roman, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
