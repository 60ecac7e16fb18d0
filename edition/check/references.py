"""Identifiers and pointers: duplicate ids, pointers that reach nothing or the wrong kind of thing."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .. import TEI_NS, XML_ID, local_name, tei
from ..diagnostics import Diagnostic
from ..load import MANIFEST_NAME, Document, Edition
from ..vocabulary import ENTRY_ELEMENTS, WORK, entry_kind, name_kind
from .rules import finding

# Attributes whose values are TEI pointers (teidata.pointer, one or several).
POINTER_ATTRIBUTES = (
    "ref", "target", "targets", "corresp", "wit", "source", "resp", "sameAs", "spanTo",
    "copyOf", "next", "prev", "synch", "ana", "hand", "who", "rendition", "decls", "edRef",
)
# @from/@to are pointers on these elements; on datable elements they are dates.
POINTER_FROM_TO = {tei("app"), tei("span"), tei("spanGrp"), tei("alt"), tei("witDetail"), tei("link")}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")

@dataclass(frozen=True)
class Target:
    document: Document
    element: etree._Element


class IdTable:
    """Every ``xml:id`` of the edition, with where it stands."""

    def __init__(self, edition: Edition):
        self.edition = edition
        self.by_id: dict[str, list[Target]] = defaultdict(list)
        self.by_document: dict[Path, dict[str, etree._Element]] = {}
        for document in edition.documents:
            own: dict[str, etree._Element] = {}
            for element in document.root.iter(etree.Element):
                ident = element.get(XML_ID)
                if ident is not None:
                    self.by_id[ident].append(Target(document, element))
                    own.setdefault(ident, element)
            self.by_document[document.path] = own

    def duplicates(self) -> list[Diagnostic]:
        found = []
        for ident, targets in self.by_id.items():
            if len(targets) < 2:
                continue
            first = targets[0]
            path, line, _ = first.document.locate(first.element, XML_ID)
            for other in targets[1:]:
                found.append(
                    finding(
                        other.document,
                        other.element,
                        "id-duplicate",
                        f'xml:id "{ident}" is already used at {path}:{line}; ids must be unique across the edition',
                        XML_ID,
                    )
                )
        return found

    def resolve(self, document: Document, token: str) -> Target | None | str:
        """The element a pointer reaches; ``None`` if it reaches nothing; ``"external"`` for URLs."""
        if token.startswith("#"):
            targets = self.by_id.get(token[1:])
            if not targets:
                return None
            same = [t for t in targets if t.document is document]
            return (same or targets)[0]
        if _SCHEME.match(token):
            return "external"
        parts = urlsplit(token)
        path = (document.path.parent / unquote(parts.path)).resolve() if parts.path else document.path
        target_document = self.edition.document(path)
        if target_document is None:
            inside = path.is_relative_to(self.edition.root_dir)
            return "external" if inside and path.is_file() and not parts.fragment else None
        if not parts.fragment:
            return Target(target_document, target_document.root)
        element = self.by_document[target_document.path].get(parts.fragment)
        return Target(target_document, element) if element is not None else None

    def suggest(self, token: str) -> str:
        ident = token.rsplit("#", 1)[-1]
        close = difflib.get_close_matches(ident, self.by_id.keys(), n=1, cutoff=0.75)
        return f'; did you mean "#{close[0]}"?' if close else ""


def pointer_attributes(element: etree._Element):
    """``(attribute, token)`` for every pointer an element carries."""
    for name in POINTER_ATTRIBUTES:
        value = element.get(name)
        if value:
            for token in value.split():
                yield name, token
    if element.tag in POINTER_FROM_TO:
        for name in ("from", "to"):
            value = element.get(name)
            if value:
                yield name, value


def expected_kind(element: etree._Element, attribute: str) -> tuple[str, set[str]] | None:
    """What a pointer must reach: (kind, element names allowed)."""
    if attribute == "wit":
        return "witness", {"witness", "listWit"}
    if attribute != "ref":
        return None
    kind = name_kind(element)
    return (kind, ENTRY_ELEMENTS[kind]) if kind else None


def check(edition: Edition, table: IdTable) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    referenced: set[tuple[Path, str | None]] = set()
    for document in edition.documents:
        for element in document.root.iter(etree.Element):
            for attribute, token in pointer_attributes(element):
                target = table.resolve(document, token)
                if target == "external":
                    continue
                name = f"{local_name(element)}/@{attribute}"
                if target is None:
                    if not edition.in_focus(document) or token.rsplit("#", 1)[-1] in edition.unreadable_ids:
                        continue  # a pointer into a file that did not parse: its own error says enough
                    kind = expected_kind(element, attribute)
                    if attribute == "wit":
                        found.append(
                            finding(
                                document, element, "wit-undeclared",
                                f'{name} "{token}" names no witness declared in a <listWit>{table.suggest(token)}',
                                attribute,
                            )
                        )
                        continue
                    what = f"<{kind[0]}>" if kind else "element"
                    file_part = urlsplit(token).path
                    if not token.startswith("#") and file_part and table.edition.document(
                        (document.path.parent / unquote(file_part)).resolve()
                    ) is None:
                        what = f"file of the edition ({file_part} is not there)"
                    found.append(
                        finding(
                            document, element, "ref-unresolved",
                            f'{name} "{token}" points to no {what}{table.suggest(token)}',
                            attribute,
                        )
                    )
                    continue
                referenced.add((target.document.path, target.element.get(XML_ID)))
                kind = expected_kind(element, attribute)
                if kind and edition.in_focus(document):
                    label, allowed = kind
                    if local_name(target.element) not in allowed or (label == WORK and not entry_kind(target.element)):
                        found.append(
                            finding(
                                document, element, "ref-wrong-kind",
                                f'{name} "{token}" points to a <{local_name(target.element)}>, not a <{label}>'
                                + (" in a listBibl register" if label == "work" else ""),
                                attribute,
                            )
                        )
    found += _unused_entries(edition, referenced)
    found += _manifest_coverage(edition, table)
    return found


def register_entries(document: Document):
    """Entries of persons, places, organisations and works in a document's registers."""
    for element in document.root.iter(etree.Element):
        if entry_kind(element):
            yield element


def _unused_entries(edition: Edition, referenced: set) -> list[Diagnostic]:
    if edition.unreadable_ids or len(edition.documents) < edition.file_count:
        return []  # a file that did not parse may hold the pointers: nothing can be said of unused entries
    found = []
    for document in edition.documents:
        if not edition.in_focus(document):
            continue
        for entry in register_entries(document):
            ident = entry.get(XML_ID)
            if ident and (document.path, ident) not in referenced:
                found.append(
                    finding(
                        document, entry, "register-unused",
                        f'<{local_name(entry)} xml:id="{ident}"> is referred to from nowhere; '
                        "point a name at it or remove the entry",
                    )
                )
    return found


def _manifest_coverage(edition: Edition, table: IdTable) -> list[Diagnostic]:
    """Texts in an edition folder that ``edition.xml`` does not place."""
    if edition.manifest is None:
        return []
    placed = set()
    for element in edition.manifest.root.iter(tei("ptr")):
        target = table.resolve(edition.manifest, element.get("target", ""))
        if target not in (None, "external"):
            placed.add(target.document.path)
    found = []
    for document in edition.documents:
        if document is edition.manifest or document.path in placed or not edition.in_focus(document):
            continue
        if document.root.find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}body") is None:
            continue
        if any(True for _ in register_entries(document)):
            continue
        found.append(
            finding(
                document, document.root, "manifest-missing-text",
                f"{document.path.name} is in the edition folder but {MANIFEST_NAME} does not place it; "
                f'add <ptr target="{document.path.relative_to(edition.root_dir)}"/> to a part',
            )
        )
    return found
