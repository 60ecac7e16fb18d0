"""Characters and glyphs outside Unicode (the gaiji module): a <g> prints what it holds, or the character its
declaration (a <char> or <glyph> of a charDecl) maps it to, or a placeholder that is reported."""

from __future__ import annotations

from functools import lru_cache

from ... import XML_ID, tei
from ..html import add_element
from ..registry import Display, handles, omitted

omitted("charDecl", "char", "glyph")

# The mapping a reading text prints, by @type in order of preference; a private-use character only as a last
# resort (the book's faces have none).
_PREFERRED = ("standard", "normalized", "normalised", "diplomatic", "unicode", "")


@handles("g", display=Display.INLINE)
def glyph(walk, source, parent):
    element = add_element(parent, "span", "g")
    walk.keep_identity(source, element)
    ref = (source.get("ref") or "").strip()
    if ref:
        element.set("data-ref", ref)
    if (source.text or "").strip() or len(source):
        walk.children(source, element)
        return
    declaration = _declaration(walk, ref)
    character = mapped(declaration) if declaration is not None else ""
    if character:
        element.text = character
        return
    name = declared_name(declaration) if declaration is not None else ""
    element.text = f"[{name or '?'}]"
    problem = "its declaration maps it to no character" if declaration is not None else "nothing declares it"
    walk.state.warn(walk.document, source, "render-placeholder",
                    f'<g ref="{ref[:200]}"> is empty and {problem}; "{element.text}" is printed in its place (write '
                    "the character in the <g>, or a <mapping> in its <char> or <glyph>)", once=ref)


def _declaration(walk, ref: str):
    """The <char> or <glyph> a @ref names: "#id" in the same file, "file.xml#id" in another file of the edition."""
    path_part, _, ident = ref.partition("#")
    document = walk.document
    if path_part:
        document = walk.state.edition.document((walk.document.path.parent / path_part).resolve())
    return declarations(document.root).get(ident) if document is not None and ident else None


@lru_cache(maxsize=8)
def declarations(root) -> dict:
    return {e.get(XML_ID): e for e in root.iter(tei("char"), tei("glyph")) if e.get(XML_ID)}


def mapped(declaration) -> str:
    usable = [((m.get("type") or "").lower(), (m.text or "").strip()) for m in declaration.findall(tei("mapping"))
              if (m.text or "").strip()]
    ordinary = [(kind, text) for kind, text in usable if not any(0xE000 <= ord(c) <= 0xF8FF for c in text)]
    for kind in _PREFERRED:
        for found, text in ordinary:
            if found == kind:
                return text
    return (ordinary or usable or [("", "")])[0][1]


def declared_name(declaration) -> str:
    """The name a declaration gives its character: a "name" property, else its id."""
    for prop in declaration.iter(tei("localProp"), tei("unicodeProp")):
        if (prop.get("name") or "").lower() == "name" and prop.get("value"):
            return prop.get("value")
    return declaration.get(XML_ID) or ""
