"""Attribute values against the datatypes a RELAX NG grammar gives them, and those datatypes in plain words."""

from __future__ import annotations

from lxml import etree

from .. import XML_NS
from .grammar import RNG_NS, Grammar, rng_tag

_XSD = "http://www.w3.org/2001/XMLSchema-datatypes"
_DATATYPES = {
    "date": "a date YYYY-MM-DD",
    "gYear": "a year YYYY",
    "gYearMonth": "a year and month YYYY-MM",
    "gMonth": "a month --MM",
    "gDay": "a day of the month ---DD",
    "gMonthDay": "a month and day --MM-DD",
    "dateTime": "a date and time YYYY-MM-DDThh:mm:ss",
    "time": "a time hh:mm:ss",
    "duration": "a duration such as P1Y2M",
    "anyURI": "a URI (a pointer such as #id, file.xml#id or https://…, without spaces)",
    "ID": "an identifier (a name without spaces, not starting with a digit)",
    "IDREF": "the identifier of an element",
    "NCName": "a name without spaces or colons, not starting with a digit",
    "Name": "a name without spaces",
    "NMTOKEN": "a single word without spaces",
    "language": "a language tag such as en, fr or la",
    "boolean": "true or false",
    "decimal": "a number",
    "double": "a number",
    "float": "a number",
    "integer": "a whole number",
    "nonNegativeInteger": "a whole number (0 or more)",
    "positiveInteger": "a whole number (1 or more)",
}
_probes: dict[tuple[str, str, str], tuple[etree.RelaxNG, str]] = {}


def describe_value_error(grammar: Grammar, element: etree._Element, named: str | None) -> tuple[str | None, str]:
    """The attribute of ``element`` whose value its grammar refuses (its lxml name) and why, in
    plain words; ``(None, message)`` when no single value is to blame."""
    local = etree.QName(element).localname
    for attribute, value in element.attrib.items():
        shown = attribute.replace(f"{{{XML_NS}}}", "xml:")
        if named and shown.split(":")[-1] != named.split(":")[-1]:
            continue
        patterns = grammar.attribute_patterns(element.tag, shown)
        if not patterns:
            return attribute, f"attribute @{shown} is not allowed on <{local}> here"
        probe, wanted = _probe(grammar, element.tag, shown, patterns)
        if not probe.validate(etree.ElementTree(etree.Element("probe", value=value))):
            return attribute, f'@{shown}="{value}" on <{local}> is not a valid value; it must be {wanted}'
    return None, f"<{local}> lacks an attribute it requires, or combines attributes that may not go together"


def _probe(grammar: Grammar, element: str, attribute: str, patterns: list) -> tuple[etree.RelaxNG, str]:
    """A tiny grammar accepting ``<probe value="..."/>`` exactly when the value suits the attribute."""
    key = (grammar.digest, element, attribute)
    if key not in _probes:
        library = next((a.get("datatypeLibrary") for a in patterns[0].iterancestors() if a.get("datatypeLibrary")), "")
        q = lambda tag: f"{{{RNG_NS}}}{tag}"  # noqa: E731
        root = etree.Element(q("grammar"), datatypeLibrary=library)
        start = etree.SubElement(root, q("start"))
        probe = etree.SubElement(start, q("element"), name="probe")
        choice = etree.SubElement(probe, q("choice"))
        values = []
        for pattern in patterns:
            attribute_pattern = etree.SubElement(choice, q("attribute"), name="value")
            content = [_inlined(grammar, child) for child in pattern] or [etree.Element(q("text"))]
            attribute_pattern.extend(content)
            values.append(" or ".join(_describe(c) for c in content))
        _probes[key] = (etree.RelaxNG(etree.ElementTree(root)), " or ".join(dict.fromkeys(values)))
    return _probes[key]


def _inlined(grammar: Grammar, node: etree._Element) -> etree._Element:
    """A copy of a pattern with its refs replaced by what they name (a value pattern holds no elements)."""
    if rng_tag(node) == "ref" and node.get("name") in grammar.defines:
        define = grammar.defines[node.get("name")]
        group = etree.Element(f"{{{RNG_NS}}}group")
        group.extend(_inlined(grammar, child) for child in define)
        return group
    copy = etree.Element(node.tag, dict(node.attrib))
    copy.text = node.text
    copy.extend(_inlined(grammar, child) for child in node)
    return copy


def _describe(pattern: etree._Element) -> str:
    tag = rng_tag(pattern)
    if tag == "value":
        return f'"{pattern.text or ""}"'
    if tag == "data":
        words = _DATATYPES.get(pattern.get("type", ""), pattern.get("type", "text"))
        regex = pattern.find(f"{{{RNG_NS}}}param[@name='pattern']")
        if regex is not None and pattern.get("type") in ("token", "string", None):
            words = f"text matching {regex.text}"
        return words
    if tag == "text":
        return "any text"
    if tag == "list":
        return "a list separated by spaces of " + " ".join(_describe(c) for c in pattern)
    if tag == "choice":
        values = [c.text for c in pattern if rng_tag(c) == "value"]
        others = [_describe(c) for c in pattern if rng_tag(c) != "value"]
        listed = ("one of " if len(values) > 1 else "") + ", ".join(f'"{v}"' for v in values)
        parts = ([listed] if values else []) + others
        return " or ".join(dict.fromkeys(parts))
    if tag in ("oneOrMore", "zeroOrMore", "group", "optional"):
        return " ".join(_describe(c) for c in pattern)
    return tag
