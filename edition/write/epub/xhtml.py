"""XHTML for the EPUB: the model's HTML moved into the XHTML namespace, and the content document type."""

from __future__ import annotations

import copy

from lxml import etree

from ... import XML_LANG

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{OPS}}}type"


def xhtml(element: etree._Element) -> etree._Element:
    """A copy of a model (HTML) subtree in the XHTML namespace; ``lang`` also as ``xml:lang``."""
    result = copy.deepcopy(element)
    for node in result.iter():
        if isinstance(node.tag, str) and not node.tag.startswith("{"):
            node.tag = f"{{{XHTML}}}{node.tag}"
            if node.get("lang"):
                node.set(XML_LANG, node.get("lang"))
    return result


def new_element(tag: str, attrib: dict | None = None, text: str | None = None) -> etree._Element:
    """An XHTML element."""
    element = etree.Element(f"{{{XHTML}}}{tag}", attrib or {})
    if text:
        element.text = text
    return element


def add_child(parent, tag: str, attrib: dict | None = None, text: str | None = None) -> etree._Element:
    """An XHTML child appended to ``parent``."""
    element = etree.SubElement(parent, f"{{{XHTML}}}{tag}", attrib or {})
    if text:
        element.text = text
    return element


def append_text(element, text: str | None) -> None:
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def classes(element) -> list[str]:
    return (element.get("class") or "").split()


def xhtml_document(language: str, title: str) -> tuple[etree._Element, etree._Element]:
    """An XHTML content document with the book's stylesheet: (root, body)."""
    root = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS})
    root.set("lang", language)
    root.set(XML_LANG, language)
    head = add_child(root, "head")
    add_child(head, "meta", {"charset": "utf-8"})
    add_child(head, "title", text=title)
    add_child(head, "link", {"rel": "stylesheet", "type": "text/css", "href": "styles/epub.css"})
    return root, add_child(root, "body")


# Elements that end a line or a block: a line end after each in the file changes nothing a reader sees, and keeps
# the words on either side apart for anything that reads the file's text as it stands (search, copying, tools).
_BLOCKS = {f"{{{XHTML}}}{name}" for name in (
    "p", "div", "section", "article", "header", "footer", "aside", "nav", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
    "ol", "li", "dl", "dt", "dd", "blockquote", "table", "caption", "tr", "td", "th", "figure", "figcaption", "br")}
_LINE_CLASSES = {"l", "np"}


def serialize(root: etree._Element) -> bytes:
    for element in root.iter():
        if not element.tail and (element.tag in _BLOCKS or _LINE_CLASSES & set(classes(element))):
            element.tail = "\n"
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")


class Chapter:
    """One content document: its file name, title, landmark role and XHTML body."""

    def __init__(self, name: str, title: str, language: str, body_type: str | None = None):
        self.name = name
        self.title = title
        self.language = language
        self.root, self.body = xhtml_document(language, title)
        if body_type:
            self.body.set(EPUB_TYPE, body_type)

    @property
    def role(self) -> str | None:
        return self.body.get(EPUB_TYPE)

    def ids(self) -> set[str]:
        return {e.get("id") for e in self.root.iter() if isinstance(e.tag, str) and e.get("id")}

    def serialize(self) -> bytes:
        return serialize(self.root)

