"""Schema validation: each file against the grammar it names, or TEI P5 tei_all, offline, in the editor's words."""

from __future__ import annotations

import difflib
import re
from copy import deepcopy
from dataclasses import dataclass, replace

from lxml import etree

from .. import TEI_NS, XI_NS, XML_ID, XML_NS
from ..diagnostics import Diagnostic, Severity
from ..load import ORIGIN_ATTR, Document, Edition
from .catalogue import SchemaChoice, SchemaSettings, choose, model_position
from .grammar import Grammar, UnusableGrammar, compiled, load_grammar
from .values import describe_value_error

# One grammar run reports only the first misplaced child of each element; the culprits found are
# taken out of a working copy and the copy checked again, as jing skips what it reported.
MAX_ROUNDS = 40
SHOWN_CHILDREN = 10

# libxml2's messages and what each says is wrong; a message is read by the first pattern that fits.
_MESSAGES = {
    "misplaced": (r"Did not expect element (?P<child>\S+) there",
                  r"Element (?P<parent>\S+) has extra content: (?P<child>(?!text$)\S+)",
                  r"Expecting element (?P<expected>\S+), got (?P<child>\S+)",
                  r"Extra element (?P<child>\S+) in interleave",
                  r"Expecting (?:no namespace|a namespace) for element (?P<child>\S+)",
                  r"Element (?P<child>\S+) has wrong namespace"),
    "attribute": (r"Invalid attribute (?P<attribute>\S+) for element (?P<element>\S+)",),
    "attributes": (r"Element (?P<element>\S+) failed to validate attributes",),
    "text": (r"Element (?P<element>\S+) has extra content: text",
             r"Did not expect text in element (?P<element>\S+) content"),
    "incomplete": (r"Expecting an element (?P<expected>\S*), got nothing",
                   r"Element (?P<element>\S+) failed to validate content",
                   r"Invalid sequence in interleave"),
}
_PATTERNS = [(kind, re.compile(pattern)) for kind, patterns in _MESSAGES.items() for pattern in patterns]


@dataclass
class _Found:
    """One schema error, on the working copy, before it is put in the editor's words."""

    kind: str
    element: etree._Element
    detail: dict


DEFAULT_SETTINGS = SchemaSettings()

def check(edition: Edition, settings: SchemaSettings = DEFAULT_SETTINGS) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for document in edition.documents:
        if edition.in_focus(document):
            found += check_document(document, edition.root_dir, settings)
    return found


def check_document(document: Document, root_dir, settings: SchemaSettings = DEFAULT_SETTINGS) -> list[Diagnostic]:
    choice = choose(document, root_dir, settings)
    if choice is None:
        return []
    if isinstance(choice, Diagnostic):
        return [choice]
    try:
        found = validate(document, choice)
    except UnusableGrammar as error:
        line, column = model_position(document)
        if choice.own:
            return [Diagnostic(document.display, line, column, Severity.ERROR, "schema-missing",
                               f"the xml-model schema {choice.path.name} cannot be used: {error}; "
                               "the file was not checked against it")]
        return [Diagnostic(document.display, line, column, Severity.ERROR, "schema",
                           f"the check against {choice.title} could not run: {error}")]
    if not choice.named:  # a grammar the file never claimed: what it departs from may be its project's own
        found = [replace(d, severity=Severity.WARNING, rule="schema-unclaimed") if d.rule == "schema" else d
                 for d in found]
    return list(choice.notes) + found


def validate(document: Document, choice: SchemaChoice) -> list[Diagnostic]:
    """Every error of the document against the chosen grammar, located in the source."""
    grammar = load_grammar(choice.path)
    work = deepcopy(document.root)
    original = dict(zip(work.iter(), document.root.iter(), strict=False))
    _strip_loader_marks(work)
    found = _unknown_names(document, work, original, grammar, choice)
    relaxng = compiled(grammar, {e.tag for e in work.iter(etree.Element)})
    reported: set[tuple] = set()
    messages: dict[tuple, str] = {}  # a message worked out once for each kind of misplacement
    for _ in range(MAX_ROUNDS):
        if relaxng.validate(etree.ElementTree(work)):
            return found
        progress = False
        for error in _culprits(relaxng.error_log, work, grammar):
            key = (original.get(error.element), error.kind, error.detail.get("attribute"))
            if key in reported:
                continue
            reported.add(key)
            found.append(_diagnostic(document, original, grammar, choice, error, messages))
            progress |= _set_aside(error)
        if not progress:
            break
    said = {key[0] for key in reported}
    return found + _unexplained(document, work, original, grammar, choice, said, bool(found))


def _unexplained(document: Document, work, original, grammar: Grammar, choice: SchemaChoice, said: set,
                 anything_said: bool) -> list[Diagnostic]:
    """What libxml2 cannot name: a root the grammar does not start with, an element that requires
    one the file does not have (its definition is notAllowed in the restricted grammar)."""
    found = []
    if work.tag not in grammar.root_names:
        roots = " or ".join(f"<{_prefixed(n, work)}>" for n in grammar.root_names)
        qname = etree.QName(work)
        hint = ""
        if any(n.split("}")[-1] == qname.localname for n in grammar.root_names) and qname.namespace is None:
            hint = '; it lacks the TEI namespace: write <TEI xmlns="http://www.tei-c.org/ns/1.0">'
        return [Diagnostic(*document.locate(original[work]), Severity.ERROR, "schema",
                           f"{_shown(work)} cannot be the root element of a file checked against {choice.title}; "
                           f"the root is {roots}{hint}")]
    keep = frozenset(e.tag for e in work.iter(etree.Element)) & frozenset(grammar.element_defines)
    for element in work.iter(etree.Element):
        missing = (grammar.missing_parts(element.tag, keep)
                   if element.tag in keep and original[element] not in said else [])
        if missing:
            wanted = " and ".join(_alternatives(group, element) for group in missing)
            found.append(Diagnostic(*document.locate(original[element]), Severity.ERROR, "schema",
                                    f"{_shown(element)} is incomplete: it requires {wanted}"))
    if not found and not anything_said:
        found.append(Diagnostic(*document.locate(original[work]), Severity.ERROR, "schema",
                                f"the file does not match {choice.title}, and the place could not be found; "
                                f"check it with jing to see where"))
    return found


def _strip_loader_marks(work: etree._Element) -> None:
    """Leave out what is not the editor's markup or is reported by another rule: the loader's
    XInclude origins and refused includes; a repeated xml:id (rule id-duplicate says it better)."""
    ids: set[str] = set()
    for element in list(work.iter(etree.Element)):
        element.attrib.pop(ORIGIN_ATTR, None)
        if element.tag == f"{{{XI_NS}}}include":
            _remove(element)
            continue
        ident = element.get(XML_ID)
        if ident is not None:
            if ident in ids:
                del element.attrib[XML_ID]
            ids.add(ident)


def _unknown_names(document: Document, work, original, grammar: Grammar, choice: SchemaChoice) -> list[Diagnostic]:
    """Elements of the grammar's namespaces that it does not declare, and undeclared attributes: by name, first."""
    by_namespace: dict[str, list[str]] = {}
    for name in grammar.element_names:
        if name.startswith("{"):
            namespace, _, local = name[1:].partition("}")
            by_namespace.setdefault(namespace, []).append(local)
    where = "this edition's schema" if choice.own else choice.title
    hints: dict[tuple, str] = {}
    found, unknown = [], []
    for element in work.iter(etree.Element):
        qname = etree.QName(element)
        if element.tag not in grammar.element_names:
            if qname.namespace in by_namespace:
                unknown.append(element)
                key = ("element", qname.namespace, qname.localname)
                if key not in hints:
                    hints[key] = _element_hint(qname, by_namespace[qname.namespace], choice)
                found.append(Diagnostic(*document.locate(original[element]), Severity.ERROR, "schema",
                                        f"<{qname.localname}> is not an element of {where}{hints[key]}"))
            continue
        allowed, is_open = grammar.attributes_of(element.tag)
        if is_open:
            continue
        for attribute in list(element.attrib):
            shown = attribute.replace(f"{{{XML_NS}}}", "xml:")
            if shown.startswith("{") or shown in allowed:
                continue  # attributes of other namespaces are the grammar's to judge
            key = ("attribute", element.tag, shown)
            if key not in hints:
                close = difflib.get_close_matches(shown, allowed, n=1, cutoff=0.7)
                hints[key] = f"; did you mean @{close[0]}?" if close else "; remove it or check the spelling"
            found.append(Diagnostic(*document.locate(original[element], attribute), Severity.ERROR, "schema",
                                    f"attribute @{shown} is not allowed on <{qname.localname}>{hints[key]}"))
            del element.attrib[attribute]
    for element in unknown:
        if element.getparent() is not None:
            _remove(element)
    return found


def _element_hint(qname: etree.QName, names: list[str], choice: SchemaChoice) -> str:
    close = difflib.get_close_matches(qname.localname, names, n=1, cutoff=0.7)
    close = close or [n for n in names if n.lower() == qname.localname.lower()]
    if close:
        return f"; did you mean <{close[0]}>?"
    if choice.own:
        return "; see tei/ENCODING.md for the elements this edition uses"
    return "; check its spelling and namespace"


def _culprits(error_log, work: etree._Element, grammar: Grammar) -> list[_Found]:
    """libxml2's errors of one run, each tied to the element it is about. An element's complaint
    about content in which a descendant is already blamed is a cascade, and dropped."""
    by_line: dict[int, list[etree._Element]] = {}
    by_name: dict[tuple[int, str], list[etree._Element]] = {}  # a file on one line has all its elements on it
    for element in work.iter(etree.Element):
        by_line.setdefault(element.sourceline, []).append(element)
        by_name.setdefault((element.sourceline, etree.QName(element).localname), []).append(element)
    errors: dict[tuple, _Found] = {}
    for entry in error_log:
        kind, match = next(((k, m) for k, pattern in _PATTERNS if (m := pattern.search(entry.message))), (None, None))
        if kind is None:
            continue  # libxml2's follow-up lines (datatype names, internal states) add nothing
        detail = {k: v for k, v in match.groupdict().items() if v}
        name = detail.get("child") or detail.get("element")
        candidates = by_line.get(entry.line, [])
        named = by_name.get((entry.line, name.split(":")[-1]), []) if name else []
        if not named and len(candidates) > 1 and kind in ("incomplete", "text"):
            named = _failing_alone(grammar, candidates)
        element = (named or candidates or [None])[0]
        if element is not None:
            errors.setdefault((element, kind, detail.get("attribute")), _Found(kind, element, detail))
    found = list(errors.values())
    above_blamed = {a for e in found for a in e.element.iterancestors()}
    kept = []
    for error in found:
        if error.kind in ("misplaced", "incomplete", "text") and error.element in above_blamed:
            continue
        parent = error.element.getparent()
        if error.kind == "misplaced" and parent is not None and error.element.tag in grammar.children_of(parent.tag):
            inner = _inside(grammar, error.element)
            if inner is not None:
                kept += inner or [_Found("incomplete", error.element, {})]
                continue  # it may stand here; what it holds is wrong
        kept.append(error)
    return kept


def _inside(grammar: Grammar, element: etree._Element) -> list[_Found] | None:
    """The errors within an element checked on its own (None if it is valid so): libxml2
    sometimes blames a parent's content for an error deeper down."""
    alone = deepcopy(element)
    relaxng = compiled(grammar, {e.tag for e in alone.iter(etree.Element)}, root=element.tag)
    if relaxng.validate(etree.ElementTree(alone)):
        return None
    back = dict(zip(alone.iter(), element.iter(), strict=False))
    found = []
    for error in _culprits(relaxng.error_log, alone, grammar):
        if error.element is alone and error.kind == "misplaced":
            continue
        found.append(_Found(error.kind, back[error.element], error.detail))
    if not found:  # libxml2 said nothing: a child that may never stand in this element is the likely one
        allowed = set(grammar.children_of(element.tag))
        found = [_Found("misplaced", child, {}) for child in element.iterchildren(etree.Element)
                 if child.tag in grammar.element_names and child.tag not in allowed]
    return found


def _failing_alone(grammar: Grammar, candidates: list[etree._Element]) -> list[etree._Element]:
    """Of elements sharing a line, the innermost that its grammar refuses when checked on its own:
    libxml2 names no element when content ends too early."""
    for element in reversed(candidates):
        if element.tag not in grammar.element_defines:
            continue
        alone = deepcopy(element)
        relaxng = compiled(grammar, {e.tag for e in alone.iter(etree.Element)}, root=element.tag)
        if not relaxng.validate(etree.ElementTree(alone)):
            return [element]
    return []


def _set_aside(error: _Found) -> bool:
    """Take the culprit out of the working copy so the next run reaches what follows it."""
    if error.kind == "misplaced" and error.element.getparent() is not None:
        _remove(error.element)
        return True
    if error.kind == "attribute":
        name = error.detail["attribute"]
        for attribute in list(error.element.attrib):
            if attribute.rsplit("}", 1)[-1] == name.split(":")[-1]:
                del error.element.attrib[attribute]
                return True
    if error.kind == "attributes" and error.detail.get("culprit"):
        del error.element.attrib[error.detail["culprit"]]
        return True
    return False


def _remove(element: etree._Element) -> None:
    """Remove an element, keeping the text after it where it stood."""
    parent, previous = element.getparent(), element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _diagnostic(document: Document, original, grammar: Grammar, choice: SchemaChoice, error: _Found,
                messages: dict[tuple, str]) -> Diagnostic:
    element = error.element
    source = original.get(element, element)
    shown = _shown(element)
    if error.kind == "misplaced":
        parent = element.getparent()
        key = (element.tag, parent.tag if parent is not None else None, error.detail.get("expected"),
               tuple(sorted((element.nsmap | (parent.nsmap if parent is not None else {})).items(), key=str)))
        if key not in messages:
            messages[key] = _misplaced(grammar, element, parent, error.detail)
        return Diagnostic(*document.locate(source), Severity.ERROR, "schema", messages[key])
    if error.kind in ("attribute", "attributes"):
        attribute, message = describe_value_error(grammar, element, error.detail.get("attribute"))
        if attribute is not None:
            error.detail["culprit"] = attribute
            return Diagnostic(*document.locate(source, attribute), Severity.ERROR, "schema", message)
        return Diagnostic(*document.locate(source), Severity.ERROR, "schema", message)
    if error.kind == "text":
        return Diagnostic(*document.locate(source), Severity.ERROR, "schema",
                          f"{shown} may not contain text here; put the text inside one of the elements it allows")
    expected = error.detail.get("expected")
    children = _allowed_children(grammar, element)
    keep = frozenset(e.tag for e in element.getroottree().iter(etree.Element)) & frozenset(grammar.element_defines)
    missing = grammar.missing_parts(element.tag, keep) if element.tag in keep else []
    if not missing and element.tag in keep:  # an element that could only hold itself, endlessly
        missing = grammar.missing_parts(element.tag, keep - {element.tag})
    if missing:
        message = f"{shown} is incomplete: it requires " + " and ".join(
            _alternatives(group, element) for group in missing)
    elif expected and expected != etree.QName(element).localname:
        message = f"{shown} is incomplete: <{expected}> is required here"
    else:
        message = f"{shown} is incomplete or its content is out of order"
    if children:
        message += f"; {shown} may contain {children}"
    return Diagnostic(*document.locate(source), Severity.ERROR, "schema", message)


def _misplaced(grammar: Grammar, element: etree._Element, parent: etree._Element | None, detail: dict) -> str:
    shown = _shown(element)
    if parent is None:
        return f"{shown} cannot be the root element here"
    inside = _shown(parent)
    allowed = grammar.children_of(parent.tag)
    if element.tag in allowed:
        if detail.get("expected"):
            return f"{shown} is not allowed at this point in {inside}: <{detail['expected']}> is expected first"
        return (f"{shown} is not allowed at this point in {inside}: it may stand in {inside}, but not here "
                "(check the order, and whether it may occur once only)")
    message = f"{shown} is not allowed inside {inside}"
    qname = etree.QName(element)
    local = qname.localname
    names = [name.split("}")[-1] for name in allowed if name.startswith(f"{{{qname.namespace}}}")]
    close = difflib.get_close_matches(local, names, n=1, cutoff=0.7)
    if close and close[0] != local:
        message += f"; did you mean <{close[0]}>?"
    children = _allowed_children(grammar, parent)
    message += f"; {inside} may contain {children}" if children else f"; {inside} may contain no elements"
    return message


def _alternatives(names: list[str], context: etree._Element) -> str:
    shown = [f"<{_prefixed(n, context)}>" for n in names]
    if len(shown) == 1:
        return shown[0]
    more = f" and {len(shown) - SHOWN_CHILDREN} more" if len(shown) > SHOWN_CHILDREN else ""
    return "one of " + ", ".join(shown[:SHOWN_CHILDREN]) + more


def _allowed_children(grammar: Grammar, element: etree._Element) -> str:
    names = [f"<{_prefixed(name, element)}>" for name in grammar.children_of(element.tag)]
    if len(names) > SHOWN_CHILDREN:
        return ", ".join(names[:SHOWN_CHILDREN]) + f" and {len(names) - SHOWN_CHILDREN} more"
    return ", ".join(names[:-1]) + (" or " if len(names) > 1 else "") + names[-1] if names else ""


def _prefixed(clark: str, context: etree._Element) -> str:
    namespace, _, local = clark[1:].rpartition("}") if clark.startswith("{") else ("", "", clark)
    if namespace in ("", TEI_NS):
        return local
    prefix = next((p for p, uri in context.nsmap.items() if uri == namespace and p), None)
    return f"{prefix}:{local}" if prefix else f"{{{namespace}}}{local}"


def _shown(element: etree._Element) -> str:
    qname = etree.QName(element)
    if qname.namespace in (None, TEI_NS):
        return f"<{qname.localname}>"
    if element.prefix:
        return f"<{element.prefix}:{qname.localname}>"
    return f"<{qname.localname}> (namespace {qname.namespace})"
