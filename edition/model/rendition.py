"""The presentation a TEI element asks for (its @rend words, @style and the CSS its @rendition points to), as the
model's classes: italic, bold, sup, sub, smallcaps, caps, underline, strike, spaced, roman."""

from __future__ import annotations

import re
from functools import lru_cache

from .. import XML_ID, tei

# The words and CSS declarations projects use for each presentation the books print; anything else in @rend
# (alignment, colour, size, a project's own words) prints the content plainly, the value kept as data-rend.
_PRESENTATIONS = {
    "italic": {"italic", "italics", "i", "it", "ital", "cursive", "oblique", "slanted", "font-style:italic",
               "font-style:oblique"},
    "bold": {"bold", "b", "bf", "strong", "heavy", "font-weight:bold", "font-weight:700"},
    "sup": {"sup", "super", "superscript", "raised", "exponent", "vertical-align:super"},
    "sub": {"sub", "subscript", "lowered", "vertical-align:sub"},
    "smallcaps": {"smallcaps", "small-caps", "small_caps", "sc", "smcap", "caps", "font-variant:small-caps"},
    "caps": {"allcaps", "all-caps", "uppercase", "upper", "text-transform:uppercase"},
    "underline": {"underline", "underlined", "ul", "u", "doubleunderline", "double-underline", "underline-double",
                  "underline2", "text-decoration:underline"},
    "strike": {"strikethrough", "strike-through", "strike", "line-through", "struck", "overstrike",
               "text-decoration:line-through"},
    "spaced": {"spaced", "letterspaced", "letter-spaced", "letterspace", "letterspacing", "gesperrt", "sperrsatz",
               "expanded", "spaced-out"},
    "roman": {"roman", "normal", "upright", "plain", "font-style:normal"},
}
_BY_WORD = {word: name for name, words in _PRESENTATIONS.items() for word in words}


def rend_words(value: str) -> list[str]:
    """The words of a @rend or CSS value: "bold italic", "font-style: italic; font-weight: bold"."""
    value = re.sub(r"\s*:\s*", ":", value.lower())
    return [word for word in re.split(r"[\s;]+", value) if word]


def understood(rend: str) -> bool:
    """Whether the books know every word of a @rend."""
    return all(word in _BY_WORD for word in rend_words(rend))


def presentation(source) -> list[str]:
    """What ``source`` asks to look like, in the order asked, each once."""
    words = rend_words(source.get("rend") or "") + rend_words(source.get("style") or "")
    if source.get("rendition"):
        declared = _renditions(source.getroottree().getroot())
        for pointer in source.get("rendition").split():
            words += rend_words(declared.get(pointer.removeprefix("#"), "") if pointer.startswith("#") else "")
    found: list[str] = []
    for word in words:
        name = _BY_WORD.get(word)
        if name and name not in found:
            found.append(name)
    return found


@lru_cache(maxsize=8)
def _renditions(root) -> dict[str, str]:
    """The <rendition>s a file declares, by id, with their CSS (a @rendition into another file is not read)."""
    return {e.get(XML_ID): e.text or "" for e in root.iter(tei("rendition")) if e.get(XML_ID)}
