"""A model document handed to WeasyPrint as the tree an HTML5 parser would build from it, without parsing.

WeasyPrint reads HTML through tinyhtml5, a parser written in Python: for a part of an apparatus at the back
it takes about a tenth of the part's layout. The model's documents are trees already (lxml), and an HTML5
parser gives back the same tree for most of them: ``parsed_tree`` builds that tree directly (as the
ElementTree elements WeasyPrint reads). Where the parser would build another tree than the one serialised
(an element it closes or moves: a block inside a paragraph, a row outside a table section, a link inside a
link, a list item outside a list, text where a table allows none, a newline after ``<pre>``) or where the
document holds anything outside the plain subset below, it answers None, and the document is serialised and
parsed as before. A test parses every document of the test editions both ways and finds the same trees.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from lxml import etree

# the elements taken as they are; anything else is parsed
_PHRASING = {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img", "ins",
             "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}
_BLOCKS = {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
           "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
           "ul"}
_TABLES = {"caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr"}
_HEAD = {"title", "meta", "link"}
_TAKEN = _PHRASING | _BLOCKS | _TABLES

# start tags that close an open paragraph (HTML5 "close a p element"; a table does in no-quirks mode)
_CLOSE_P = _BLOCKS | {"table"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_VOID = {"br", "col", "hr", "img", "link", "meta", "wbr"}
# what each part of a table may hold (anything else is moved or wrapped by the parser)
_TABLE_CHILDREN = {"table": {"caption", "colgroup", "thead", "tbody", "tfoot"}, "thead": {"tr"}, "tbody": {"tr"},
                   "tfoot": {"tr"}, "tr": {"td", "th"}, "colgroup": {"col"}}
_LIST_PARENTS = {"li": {"ul", "ol"}, "dd": {"dl"}, "dt": {"dl"}}


class _Unstable(Exception):
    """The parser would build another tree."""


def parsed_tree(root: etree._Element) -> ET.Element | None:
    """The tree (``namespace_html_elements=False``) an HTML5 parser builds from ``root`` serialised with an HTML5
    doctype, or None where it could build another or the document is not of the plain kind taken here."""
    try:
        head, body = _frame(root)
        made = ET.Element("html", _attributes(root))
        head_element = ET.SubElement(made, "head", _attributes(head) if head is not None else {})
        if head is not None:
            _head(head, head_element)
        body_element = ET.SubElement(made, "body", _attributes(body))
        _content(body, body_element, ())
    except _Unstable:
        return None
    return made


def _frame(root) -> tuple[etree._Element | None, etree._Element]:
    """The head (None where there is none: the parser makes an empty one) and the body."""
    children = list(root)
    if (root.tag != "html" or [c.tag for c in children] not in (["head", "body"], ["body"])
            or root.text or root.tail or any(c.tail for c in children)):
        raise _Unstable("a document of another frame")
    return (children[0] if len(children) == 2 else None), children[-1]


def _head(head, made) -> None:
    if head.text:
        raise _Unstable("text in <head>")
    for child in head:
        if child.tag not in _HEAD or len(child) or child.tail or (child.tag != "title" and child.text):
            raise _Unstable(f"<{child.tag}> in <head>")
        element = ET.SubElement(made, child.tag, _attributes(child))
        element.text = child.text


def _content(source, made, open_tags: tuple[str, ...]) -> None:
    """Copy ``source``'s text and children into ``made``; ``open_tags``: the tags of its ancestors in the body."""
    made.text = _checked(source.text, source.tag)
    inner = (*open_tags, source.tag)
    for child in source:
        tag = child.tag
        if not isinstance(tag, str) or tag not in _TAKEN:
            raise _Unstable(f"<{tag}>")  # a comment, a processing instruction, an element of another kind
        if tag in _CLOSE_P and "p" in inner:
            raise _Unstable(f"<{tag}> in <p>")
        if (tag in _HEADINGS and _HEADINGS & set(inner)) or (tag == "a" and "a" in inner):
            raise _Unstable(f"<{tag}> in <{tag}>")
        if (tag in _LIST_PARENTS and source.tag not in _LIST_PARENTS[tag]) or (
                source.tag in _TABLE_CHILDREN and tag not in _TABLE_CHILDREN[source.tag]):
            raise _Unstable(f"<{tag}> in <{source.tag}>")
        if (tag in _VOID and (len(child) or child.text)) or (tag == "pre" and (child.text or "").startswith("\n")):
            raise _Unstable(f"<{tag}> with content the parser moves")
        element = ET.SubElement(made, tag, _attributes(child))
        _content(child, element, inner)
        element.tail = _checked(child.tail, source.tag)


def _checked(text: str | None, holder: str) -> str | None:
    if not text:
        return text
    if "\r" in text or "\0" in text or (holder in _TABLE_CHILDREN and text.strip(" \t\n\f")):
        raise _Unstable  # a carriage return made a newline; text in a table moved before it
    return text


def _attributes(element) -> dict[str, str]:
    found = dict(element.attrib)
    if any(name.startswith("{") or name != name.lower() or "\r" in value or "\0" in value
           for name, value in found.items()):
        raise _Unstable  # a name in a namespace or lowercased by the parser, a value it changes
    return found
