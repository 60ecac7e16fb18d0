"""A RELAX NG grammar restricted to the elements a document uses, compiled once per element set."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_PARSER = dict(remove_blank_text=True, remove_comments=True, remove_pis=True, no_network=True,
               resolve_entities=False, load_dtd=False)

# Patterns that hold a sequence of patterns: one child that can never match makes the whole
# never match (RELAX NG simplification, spec section 4.19).
_ALL_REQUIRED = {"group", "interleave", "oneOrMore", "mixed", "element", "attribute", "list", "define", "start"}
_OPTIONAL = {"zeroOrMore", "optional"}


def rng_tag(node: etree._Element) -> str:
    return node.tag[len(RNG_NS) + 2:] if node.tag.startswith(f"{{{RNG_NS}}}") else ""


def _rng(tag: str, attributes: dict | None = None) -> etree._Element:
    return etree.Element(f"{{{RNG_NS}}}{tag}", attributes or {})


def _patterns(node: etree._Element) -> list[etree._Element]:
    """The child patterns of a pattern: an element's or attribute's name class is not one."""
    children = list(node)
    if rng_tag(node) in ("element", "attribute") and node.get("name") is None and children:
        return children[1:]
    if rng_tag(node) == "data":
        return []
    return children


def element_name(element: etree._Element) -> str | None:
    """The Clark name ``{ns}local`` an ``<element name=...>`` pattern matches, namespace inherited."""
    name = element.get("name")
    if name is None:
        return None
    if ":" in name:
        prefix, local = name.split(":", 1)
        return f"{{{element.nsmap.get(prefix, XML_NS if prefix == 'xml' else '')}}}{local}"
    holder = next((a for a in element.iterancestors() if a.get("ns") is not None), None)
    namespace = element.get("ns", holder.get("ns") if holder is not None else "")
    return f"{{{namespace}}}{name}" if namespace else name


class UnusableGrammar(Exception):
    """A schema file that cannot be read or compiled as a single RELAX NG grammar; says why."""


@dataclass
class Grammar:
    """One RELAX NG grammar (XML syntax, a single file): its defines and the elements each declares."""

    path: Path
    root: etree._Element = field(repr=False)
    defines: dict[str, etree._Element] = field(repr=False)
    element_defines: dict[str, list[str]] = field(repr=False)  # Clark name -> defines declaring it alone
    digest: str
    _attributes: dict = field(default_factory=dict, repr=False)
    _children: dict = field(default_factory=dict, repr=False)
    _attribute_patterns: dict = field(default_factory=dict, repr=False)
    _dead: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path) -> Grammar:
        data = path.read_bytes()
        try:
            root = etree.fromstring(data, etree.XMLParser(**_PARSER))
        except etree.XMLSyntaxError as error:
            raise UnusableGrammar(f"it is not well-formed XML ({error.msg})") from None
        if rng_tag(root) == "element":  # a schema that is one element pattern
            grammar = _rng("grammar")
            etree.SubElement(grammar, f"{{{RNG_NS}}}start").append(root)
            root = grammar
        if rng_tag(root) != "grammar":
            raise UnusableGrammar("it is not a RELAX NG grammar in XML syntax")
        for node in list(root.iter()):
            if not isinstance(node.tag, str) or not rng_tag(node):
                parent = node.getparent()
                if parent is not None:
                    parent.remove(node)  # documentation and embedded Schematron: no part of the grammar
            elif rng_tag(node) in ("include", "externalRef", "grammar", "parentRef") and node is not root:
                raise UnusableGrammar(f"it uses <{rng_tag(node)}>, and other files are not read")
        for div in list(root.iter(f"{{{RNG_NS}}}div")):
            div.getparent()[div.getparent().index(div):div.getparent().index(div) + 1] = list(div)
        _combine(root)
        if root.find(f"{{{RNG_NS}}}start") is None:
            raise UnusableGrammar("it has no <start>")
        defines = {d.get("name"): d for d in root.iterchildren(f"{{{RNG_NS}}}define")}
        element_defines: dict[str, list[str]] = {}
        for name, define in defines.items():
            if len(define) == 1 and rng_tag(define[0]) == "element":
                declared = element_name(define[0])
                if declared:
                    element_defines.setdefault(declared, []).append(name)
        return cls(path, root, defines, element_defines, hashlib.sha256(data).hexdigest())

    @cached_property
    def element_patterns(self) -> dict[str, list[etree._Element]]:
        """Every ``<element>`` pattern of the grammar, by the Clark name it matches."""
        found: dict[str, list[etree._Element]] = {}
        for pattern in self.root.iter(f"{{{RNG_NS}}}element"):
            name = element_name(pattern)
            if name:
                found.setdefault(name, []).append(pattern)
        return found

    @cached_property
    def prunable(self) -> frozenset[str]:
        """The elements declared alone in a define: those a restriction can take away."""
        return frozenset(self.element_defines)

    @cached_property
    def element_names(self) -> frozenset[str]:
        return frozenset(self.element_patterns)

    def attributes_of(self, name: str) -> tuple[set[str], bool]:
        """Attribute names (``xml:`` prefixed where so) the element may carry, and whether any other may."""
        if name not in self._attributes:
            names: set[str] = set()
            is_open = False
            for pattern in self.element_patterns.get(name, []):
                for attribute in self._reachable(pattern, "attribute"):
                    if attribute.get("name") is None:
                        is_open = True
                        continue
                    shown = attribute.get("name")
                    if attribute.get("ns") == XML_NS:
                        shown = f"xml:{shown}"
                    names.add(shown)
            self._attributes[name] = (names, is_open)
        return self._attributes[name]

    def children_of(self, name: str) -> list[str]:
        """Clark names of the elements the element may contain somewhere, in the grammar's order."""
        if name not in self._children:
            seen: dict[str, None] = {}
            for pattern in self.element_patterns.get(name, []):
                for child in self._reachable(pattern, "element"):
                    declared = element_name(child)
                    if declared:
                        seen.setdefault(declared)
            self._children[name] = list(seen)
        return self._children[name]

    def dead_defines(self, keep: frozenset[str]) -> set[str]:
        """The defines that can match nothing in a document using only the elements in ``keep``."""
        if keep not in self._dead:
            seeds = {d for name, defines in self.element_defines.items() if name not in keep for d in defines}
            self._dead[keep] = _propagate(self.defines, seeds)
        return self._dead[keep]

    @cached_property
    def root_names(self) -> list[str]:
        """Clark names of the elements a document may have as its root."""
        start = self.root.find(f"{{{RNG_NS}}}start")
        return [n for n in map(element_name, self._reachable(start, "element")) if n]

    def missing_parts(self, element: str, keep: frozenset[str]) -> list[list[str]]:
        """Why ``element`` cannot match in a document using only ``keep``: the elements it requires
        that the document lacks, as groups of which it needs all, each group's members being
        alternatives (Clark names). Empty if it can match, or if a required element it has is the cause."""
        dead = self.dead_defines(keep)
        followed: set[str] = set()

        def why(node: etree._Element) -> list[list[str]]:
            if not _never_matches(node, dead):
                return []
            tag = rng_tag(node)
            if tag == "ref":
                target = self.defines[node.get("name")]
                if len(target) == 1 and rng_tag(target[0]) == "element":
                    declared = element_name(target[0])
                    return [[declared]] if declared and declared not in keep else []
                if node.get("name") in followed:
                    return []
                followed.add(node.get("name"))
                return [g for child in target for g in why(child)]
            if tag == "choice":
                alternatives = [n for child in node for g in why(child) for n in g]
                return [list(dict.fromkeys(alternatives))] if alternatives else []
            if tag in ("element", "attribute"):
                return []
            return [g for child in _patterns(node) for g in why(child)]

        return [g for d in self.element_defines.get(element, []) for p in _patterns(self.defines[d][0]) for g in why(p)]

    def attribute_patterns(self, element: str, attribute: str) -> list[etree._Element]:
        """The ``<attribute>`` patterns an element's declarations give an attribute (``xml:``-prefixed name)."""
        key = (element, attribute)
        if key not in self._attribute_patterns:
            self._attribute_patterns[key] = [
                a for pattern in self.element_patterns.get(element, []) for a in self._reachable(pattern, "attribute")
                if (f"xml:{a.get('name')}" if a.get("ns") == XML_NS else a.get("name")) == attribute]
        return self._attribute_patterns[key]

    def _reachable(self, pattern: etree._Element, wanted: str) -> list[etree._Element]:
        """``attribute`` or ``element`` patterns directly inside an element pattern, refs followed."""
        found, followed = [], set()
        pending = list(_patterns(pattern))
        while pending:
            node = pending.pop(0)
            tag = rng_tag(node)
            if tag == wanted:
                found.append(node)
                if tag == "element":
                    continue
            if tag == "element":
                continue
            if tag == "ref":
                target = node.get("name")
                if target not in followed and target in self.defines:
                    followed.add(target)
                    pending[0:0] = list(self.defines[target])
                continue
            if tag != "attribute":
                pending[0:0] = list(_patterns(node))
        return found

    def restricted(self, keep: set[str], root: str | None = None) -> etree._Element:
        """This grammar with every element outside ``keep`` made ``notAllowed``, simplified.

        It accepts exactly the documents of the whole grammar whose elements are all in ``keep``:
        an element the document does not use can be taken away without changing its verdict.
        With ``root`` (a Clark name) it accepts that element on its own instead of a document.
        """
        dead = self.dead_defines(frozenset(keep))
        out = etree.Element(self.root.tag, attrib=dict(self.root.attrib), nsmap=self.root.nsmap)
        start = self.root.find(f"{{{RNG_NS}}}start")
        if root is not None:
            start = _rng("start")
            choice = etree.SubElement(start, f"{{{RNG_NS}}}choice")
            for name in self.element_defines.get(root, []):
                choice.append(_rng("ref", {"name": name}))
            choice.append(_rng("notAllowed"))
        pending, seen = [start], set()
        while pending:
            source = pending.pop()
            copy = _copy_alive(source, dead)
            if copy is None:
                copy = _rng(rng_tag(source), dict(source.attrib))
                copy.append(_rng("notAllowed"))
            out.append(copy)
            for ref in copy.iter(f"{{{RNG_NS}}}ref"):
                if ref.get("name") not in self.defines:
                    raise UnusableGrammar(f'it refers to a pattern "{ref.get("name")}" it does not define')
                if ref.get("name") not in seen:
                    seen.add(ref.get("name"))
                    pending.append(self.defines[ref.get("name")])
        return out


def _combine(root: etree._Element) -> None:
    """Merge the defines (and starts) that share a name into one, as @combine says (spec 4.17)."""
    groups: dict[tuple[str, str | None], list[etree._Element]] = {}
    for node in root:
        if rng_tag(node) in ("define", "start"):
            groups.setdefault((rng_tag(node), node.get("name")), []).append(node)
    for (_tag, name), nodes in groups.items():
        if len(nodes) == 1:
            continue
        how = next((n.get("combine") for n in nodes if n.get("combine")), None)
        if how not in ("choice", "interleave"):
            raise UnusableGrammar(f"it defines {name or 'start'} twice without @combine")
        merged = _rng(how)
        for node in nodes:
            content = _rng("group")
            content.extend(list(node))
            merged.append(content)
            if node is not nodes[0]:
                root.remove(node)
        nodes[0][:] = [merged]
        nodes[0].attrib.pop("combine", None)


def _propagate(defines: dict[str, etree._Element], dead: set[str]) -> set[str]:
    """Every define that can match nothing once the ``dead`` ones are gone (a least fixpoint)."""
    users: dict[str, set[str]] = {}
    for name, define in defines.items():
        for ref in define.iter(f"{{{RNG_NS}}}ref"):
            users.setdefault(ref.get("name"), set()).add(name)
    dead = set(dead)
    pending = list(dead)
    while pending:
        for user in users.get(pending.pop(), ()):
            if user not in dead and _never_matches(defines[user], dead):
                dead.add(user)
                pending.append(user)
    return dead


def _never_matches(node: etree._Element, dead: set[str]) -> bool:
    tag = rng_tag(node)
    if tag == "notAllowed":
        return True
    if tag == "ref":
        return node.get("name") in dead
    if tag in _OPTIONAL:
        return False
    if tag == "choice":
        return all(_never_matches(child, dead) for child in node)
    if tag in _ALL_REQUIRED:
        return any(_never_matches(child, dead) for child in _patterns(node))
    return False


def _copy_alive(node: etree._Element, dead: set[str]) -> etree._Element | None:
    """A copy of a pattern without the branches that can never match; None if it never matches."""
    tag = rng_tag(node)
    if tag == "ref":
        return None if node.get("name") in dead else _rng("ref", {"name": node.get("name")})
    if tag == "notAllowed":
        return None
    if tag in ("data", "value", "text", "empty", "anyName", "nsName", "name", "param"):
        return _clone(node)
    if tag in ("element", "attribute") and node.get("name") is None and len(node):
        name_class, children = node[0], list(node)[1:]
    else:
        name_class, children = None, list(node)
    copies = []
    for child in children:
        copy = _copy_alive(child, dead)
        if copy is None:
            if tag == "choice":
                continue
            if tag in _OPTIONAL:
                return _rng("empty")
            return None
        if rng_tag(copy) == "empty" and tag not in ("element", "attribute", "choice", "list"):
            continue
        copies.append(copy)
    if tag == "choice":
        if not copies:
            return None
        if len(copies) == 1 and not node.attrib:
            return copies[0]
    if tag == "mixed" and not copies:
        return _rng("text")
    if tag in _OPTIONAL | {"oneOrMore"} and not copies:
        return _rng("empty")
    if tag in ("group", "interleave") and len(copies) == 1 and not node.attrib:
        return copies[0]
    if tag in ("group", "interleave") and not copies:
        return _rng("empty")
    out = _rng(tag, dict(node.attrib))
    if name_class is not None:
        out.append(_clone(name_class))
    out.extend(copies)
    if tag in ("define", "start", "element") and not copies:
        out.append(_rng("empty"))
    return out


def _clone(node: etree._Element) -> etree._Element:
    out = _rng(rng_tag(node), dict(node.attrib))
    out.text = node.text
    out.extend(_clone(child) for child in node)
    return out


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int, size: int) -> Grammar:
    return Grammar.load(path)


def load_grammar(path: Path) -> Grammar:
    """The grammar in a file, parsed once per process (again if the file changes)."""
    stat = path.stat()
    return _load(path, stat.st_mtime_ns, stat.st_size)


_COMPILED: OrderedDict[tuple[str, frozenset[str], str | None], etree.RelaxNG] = OrderedDict()
_COMPILED_KEPT = 64
WHOLE_BELOW = 250  # elements; tei_all declares 588, the Serge edition's schema 134


def compiled(grammar: Grammar, used: set[str], root: str | None = None) -> etree.RelaxNG:
    """The grammar restricted to the elements in ``used`` that it declares, compiled by libxml2
    (for a whole document, or for one ``root`` element on its own).

    Kept in memory by element set, so the documents of an edition that use the same elements
    share one compiled grammar.
    """
    declared = grammar.prunable
    # A small grammar (an edition's own) compiles whole in milliseconds: one compilation serves all files.
    kept = declared if len(declared) <= WHOLE_BELOW and root is None else frozenset(used) & declared
    key = (grammar.digest, kept, root)
    if key in _COMPILED:
        _COMPILED.move_to_end(key)
        return _COMPILED[key]
    try:
        relaxng = etree.RelaxNG(etree.ElementTree(grammar.restricted(set(key[1]), root)))
    except etree.RelaxNGParseError as error:
        raise UnusableGrammar(f"libxml2 cannot compile it for these elements ({error})") from None
    _COMPILED[key] = relaxng
    while len(_COMPILED) > _COMPILED_KEPT:
        _COMPILED.popitem(last=False)
    return relaxng


def clear_caches() -> None:
    """Forget every parsed and compiled grammar (for measuring cold runs)."""
    _COMPILED.clear()
    _load.cache_clear()
