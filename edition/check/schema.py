"""Schema validation: each file against the RELAX NG schema its xml-model names, inside the edition."""

from __future__ import annotations

import difflib
import os
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .. import TEI_NS, XML_NS
from ..diagnostics import Diagnostic, Severity
from ..load import Document, Edition, make_parser

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_PSEUDO = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_MESSAGE_RANK = (
    "Invalid attribute",
    "Did not expect element",
    "has extra content",
    "Expecting element",
    "Error validating",
    "failed to validate attributes",
    "Expecting an element",
)


class CompiledSchema:
    """A compiled grammar, plus which elements exist and which attributes each may carry."""

    def __init__(self, path: Path):
        grammar = etree.parse(str(path), make_parser())
        self.relaxng = etree.RelaxNG(grammar)
        defines = {d.get("name"): d for d in grammar.iter(f"{{{RNG_NS}}}define")}
        self.elements: set[str] = set()
        self.attributes_of: dict[str, set[str]] = {}
        self.open_attributes: set[str] = set()
        for element in grammar.iter(f"{{{RNG_NS}}}element"):
            name = element.get("name")
            if not name:
                continue
            self.elements.add(name)
            names, is_open = _attributes(element, defines)
            self.attributes_of.setdefault(name, set()).update(names)
            if is_open:
                self.open_attributes.add(name)
        self.attributes = set().union(*self.attributes_of.values()) if self.attributes_of else set()


def _attributes(element: etree._Element, defines: dict) -> tuple[set[str], bool]:
    """Attribute names an element pattern allows, following refs but not into child elements."""
    names: set[str] = set()
    is_open = False
    seen: set[str] = set()
    pending = list(element)
    while pending:
        node = pending.pop()
        if not isinstance(node.tag, str):
            continue
        tag = etree.QName(node).localname
        if tag == "element":
            continue
        if tag == "attribute":
            if node.get("name"):
                prefix = "xml:" if node.get("ns") == "http://www.w3.org/XML/1998/namespace" else ""
                names.add(prefix + node.get("name"))
            else:
                is_open = True
            continue
        if tag == "ref":
            target = node.get("name")
            if target not in seen and target in defines:
                seen.add(target)
                pending.extend(defines[target])
            continue
        pending.extend(node)
    return names, is_open


@lru_cache(maxsize=8)
def compile_schema(path: Path, mtime: float) -> CompiledSchema:
    return CompiledSchema(path)


def schema_of(document: Document) -> tuple[str, str] | None:
    """``(href, kind)`` of the RELAX NG schema the document's xml-model names, if any."""
    for pi in document.tree.xpath("/processing-instruction('xml-model')"):
        pseudo = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                  for m in _PSEUDO.finditer(pi.text or "")}
        href = pseudo.get("href", "")
        if pseudo.get("schematypens") == RNG_NS or href.endswith(".rng"):
            return href, "rng"
    return None


def check(edition: Edition) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for document in edition.documents:
        if edition.in_focus(document):
            found += check_document(document, edition.root_dir)
    return found


def check_document(document: Document, root_dir: Path) -> list[Diagnostic]:
    named = schema_of(document)
    if named is None:
        return []
    href, _ = named
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return []  # a schema on the web is never fetched; tei_all conformance is checked with jing in the tests
    # normpath, not resolve: a schema folder linked into the edition on purpose is the editor's choice
    path = Path(os.path.normpath(document.path.parent / unquote(parts.path)))
    inside = path.is_relative_to(root_dir)
    if not inside or not path.is_file():
        where = "does not exist" if inside else "is outside the edition folder"
        return [Diagnostic(document.display, 1, 1, Severity.ERROR, "schema-missing",
                           f'the xml-model schema "{href}" {where}; fix the href of <?xml-model?>')]
    schema = compile_schema(path, path.stat().st_mtime)
    if schema.relaxng.validate(document.tree):
        return []
    return _explain(document, schema)


def _explain(document: Document, schema: CompiledSchema) -> list[Diagnostic]:
    """Name the misspelt elements and attributes first; otherwise libxml2's messages, cascade pruned."""
    found = _unknown_names(document, schema)
    if found:
        return found
    errors: list[tuple[int, str, etree._Element | None]] = []
    best: dict[int, tuple[int, str]] = {}
    for entry in schema.relaxng.error_log:
        rank = next((i for i, key in enumerate(_MESSAGE_RANK) if key in entry.message), len(_MESSAGE_RANK))
        if entry.line not in best or rank < best[entry.line][0]:
            best[entry.line] = (rank, entry.message)
    for line, (_, message) in best.items():
        named = re.search(r"(?:element|Element) (\S+)", message)
        errors.append((line, message, _element_at(document, line, named.group(1) if named else None)))
    culprits = [e for _, _, e in errors if e is not None]
    for line, message, element in sorted(errors, key=lambda e: e[0]):
        if element is not None and any(element in set(other.iterancestors()) for other in culprits):
            continue  # an ancestor complaining about a child already reported
        column = document.locate(element)[2] if element is not None else 0
        found.append(Diagnostic(document.display, line, column, Severity.ERROR, "schema", _reword(message)))
    return found


def _unknown_names(document: Document, schema: CompiledSchema) -> list[Diagnostic]:
    found = []
    for element in document.root.iter(etree.Element):
        qname = etree.QName(element)
        if qname.namespace != TEI_NS:
            continue
        name = qname.localname
        if name not in schema.elements:
            close = difflib.get_close_matches(name, schema.elements, n=1, cutoff=0.7)
            hint = (f"; did you mean <{close[0]}>?" if close
                    else "; see tei/ENCODING.md for the elements this edition uses")
            path, line, column = document.locate(element)
            found.append(Diagnostic(path, line, column, Severity.ERROR, "schema",
                                    f"<{name}> is not an element of this edition's schema{hint}"))
            continue
        if name in schema.open_attributes:
            continue
        allowed = schema.attributes_of.get(name, set())
        for attribute in element.attrib:
            shown = attribute.replace(f"{{{XML_NS}}}", "xml:")
            if shown.startswith("{") or shown in allowed:
                continue
            close = difflib.get_close_matches(shown, allowed, n=1, cutoff=0.7)
            hint = f"; did you mean @{close[0]}?" if close else "; remove it or check the spelling"
            path, line, column = document.locate(element, attribute)
            found.append(Diagnostic(path, line, column, Severity.ERROR, "schema",
                                    f"attribute @{shown} is not allowed on <{name}>{hint}"))
    return found


def _element_at(document: Document, line: int, name: str | None) -> etree._Element | None:
    candidates = [e for e in document.root.iter(etree.Element) if e.sourceline == line]
    named = [e for e in candidates if name and etree.QName(e).localname == name]
    return (named or candidates or [None])[-1] if named else (candidates[0] if candidates else None)


def _reword(message: str) -> str:
    message = re.sub(r"Did not expect element (\S+) there", r"<\1> is not allowed here (see tei/ENCODING.md)", message)
    message = re.sub(r"Element (\S+) has extra content: text", r"<\1> holds content its schema does not allow there",
                     message)
    message = re.sub(r"Element (\S+) has extra content: (\S+)", r"<\2> is not allowed at this point in <\1>", message)
    message = re.sub(r"Expecting element (\S+), got (\S+)", r"<\2> found where <\1> was expected", message)
    return message


