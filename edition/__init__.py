"""Validate TEI P5 critical editions and render them as a PDF and an EPUB 3."""

from lxml import etree

__version__ = "0.1.0"

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XI_NS = "http://www.w3.org/2001/XInclude"


def tei(name: str) -> str:
    """The Clark name of a TEI element: ``tei("persName")`` is ``{http://www.tei-c.org/ns/1.0}persName``."""
    return f"{{{TEI_NS}}}{name}"


XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"


def local_name(element) -> str:
    """An element's name without its namespace; "" for comments and processing instructions."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""
