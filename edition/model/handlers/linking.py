"""Linking: anonymous blocks, segments, anchors and pointers (ref and ptr, which the TEI keeps in core)."""

from __future__ import annotations

from ..html import add_element
from ..registry import Display, generic, handles, omitted
from .core import milestone

generic("seg", display=Display.INLINE)
omitted("span", "spanGrp", "link", "linkGrp", "join", "alt", "altGrp", "standOff")
handles("anchor", display=Display.INLINE)(milestone)

_WEB = ("http://", "https://", "mailto:")


@handles("ab", display=Display.BLOCK)
def anonymous_block(walk, source, parent):
    if walk.in_note:
        walk.wrap(source, parent, "span", "np")
    else:
        walk.wrap(source, parent, walk.paragraph_tag(parent), "ab")


@handles("ref", display=Display.INLINE)
def ref(walk, source, parent):
    walk.children(source, _pointer(walk, source, parent, "xref"))


@handles("ptr", display=Display.INLINE)
def ptr(walk, source, parent):
    element = _pointer(walk, source, parent, "xref ptr")
    if not element.get("data-target"):
        element.text = source.get("target") or ""  # the writers word a resolved ptr ("see p. 47")


def _pointer(walk, source, parent, cls: str):
    """A link for ref and ptr: to a place in the edition (data-target) or to the web."""
    element = add_element(parent, "a", cls)
    walk.keep_identity(source, element)
    target = (source.get("target") or "").split()
    if target:
        _link(walk, element, target[0])
    return element


def _link(walk, element, token: str) -> None:
    if token.startswith(_WEB):
        element.set("href", token)
        element.set("class", element.get("class") + " external")
        return
    path_part, _, ident = token.partition("#")
    if path_part:
        path = (walk.document.path.parent / path_part).resolve()
        if path != walk.document.path and path not in walk.state.text_of_path:
            if walk.state.edition.document(path) is None:
                return  # a file outside this edition: the words stay, without a link
        ident = ident or walk.state.text_of_path.get(path, "")
    if ident:
        element.set("data-target", ident)
