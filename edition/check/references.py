"""Identifiers and pointers: duplicate ids, pointers that reach nothing or the wrong kind of thing."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from lxml import etree

from .. import TEI_NS, XML_ID, local_name, tei
from ..diagnostics import Diagnostic, shorten
from ..load import Document, Edition, corpus_members, file_status, is_url, local_file, split_reference
from ..vocabulary import ENTRY_ELEMENTS, WORK, entry_kind, name_kind
from .rules import finding

# Attributes whose values are TEI pointers (teidata.pointer, one or several).
POINTER_ATTRIBUTES = (
    "ref", "target", "targets", "corresp", "wit", "source", "resp", "sameAs", "spanTo",
    "copyOf", "next", "prev", "synch", "ana", "hand", "who", "rendition", "decls", "edRef",
)
# @from/@to are pointers on these elements; on datable elements they are dates.
POINTER_FROM_TO = {tei("app"), tei("span"), tei("spanGrp"), tei("alt"), tei("witDetail"), tei("link")}
# "Did you mean" is asked for ids no longer than this, and for this many pointers per document at most.
SUGGEST_ID_LENGTH = 64
SUGGEST_BUDGET = 200
# Past this many unresolved pointers in one attribute value, the rest are counted, not listed.
POINTERS_LISTED = 10


@dataclass(frozen=True)
class Target:
    document: Document
    element: etree._Element


@dataclass(frozen=True)
class Outside:
    """A pointer into a file that is not part of the edition (a sibling in a larger project, say)."""

    written: str  # the file as the pointer names it
    path: Path


EXTERNAL = "external"


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
        self._suggestions = 0
        self._files: dict[tuple[Path, str], Document | Outside | str | None] = {}

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

    def resolve(self, document: Document, token: str) -> Target | Outside | str | None:
        """What a pointer reaches: a ``Target``; ``None`` if it should reach into the edition and does not;
        ``Outside`` for a file not part of the edition; ``EXTERNAL`` for URLs and files that are not TEI."""
        if token.startswith("#"):
            targets = self.by_id.get(token[1:])
            if not targets:
                return None
            same = [t for t in targets if t.document is document]
            return (same or targets)[0]
        if is_url(token):
            return EXTERNAL
        written, fragment = split_reference(token)
        key = (document.path, written)
        if key not in self._files:
            path = local_file(document.path.parent, written) if written else document.path
            target_document = self.edition.document(path)
            self._files[key] = target_document if target_document is not None else self._not_a_document(written, path)
        target_document = self._files[key]
        if not isinstance(target_document, Document):
            return target_document
        if not fragment:
            return Target(target_document, target_document.root)
        element = self.by_document[target_document.path].get(fragment)
        return Target(target_document, element) if element is not None else None

    def _not_a_document(self, written: str, path: Path | None) -> Outside | str | None:
        if path is None:
            return None  # a NUL in the name: no file could be meant
        inside = path.is_relative_to(self.edition.root_dir)
        status = file_status(path)
        if status == "file":
            return EXTERNAL if inside else Outside(written, path)  # a TEI file elsewhere is not read
        if inside and self.edition.manifest is not None:
            return None  # an edition with a manifest is whole: a file of it that is missing is a mistake
        return Outside(written, path)

    def suggest(self, token: str) -> str:
        ident = token.rsplit("#", 1)[-1]
        if len(ident) > SUGGEST_ID_LENGTH or self._suggestions >= SUGGEST_BUDGET:
            return ""
        self._suggestions += 1
        close = difflib.get_close_matches(ident, self.by_id.keys(), n=1, cutoff=0.75)
        return f'; did you mean "#{shorten(close[0])}"?' if close else ""


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
    outside: dict[object, list[tuple]] = defaultdict(list)
    for document in edition.documents:
        header = document.root.find(tei("teiHeader"))
        in_header = set(header.iter()) if header is not None and edition.manifest is None else set()
        for element in document.root.iter(etree.Element):
            for attribute, pointers in groupby(pointer_attributes(element), key=lambda pair: pair[0]):
                unresolved = 0
                for _, token in pointers:
                    target = table.resolve(document, token)
                    if isinstance(target, Outside) and document is edition.manifest and element.tag == tei("ptr"):
                        target = None  # a text the manifest places must be there
                    if target == EXTERNAL:
                        continue
                    if isinstance(target, Outside):
                        if edition.in_focus(document):
                            outside[target.path].append((document, element, attribute, token, target))
                        continue
                    if target is None:
                        if not edition.in_focus(document) or token.rsplit("#", 1)[-1] in edition.unreadable_ids:
                            continue  # a pointer into a file that did not parse: its own error says enough
                        if element in in_header:
                            found.append(finding(
                                document, element, "ref-header",
                                f'{local_name(element)}/@{attribute} "{shorten(token)}" in the teiHeader points to '
                                "nothing in this edition (a file from a larger project may point into its "
                                "project's shared header); the books do not print it",
                                attribute,
                            ))
                            continue
                        unresolved += 1
                        if unresolved <= POINTERS_LISTED:
                            found.append(_unresolved(table, document, element, attribute, token))
                        continue
                    referenced.add((target.document.path, target.element.get(XML_ID)))
                    if edition.in_focus(document):
                        found += _wrong_kind(document, element, attribute, token, target)
                if unresolved > POINTERS_LISTED:
                    found.append(finding(
                        document, element, "wit-undeclared" if attribute == "wit" else "ref-unresolved",
                        f"{unresolved - POINTERS_LISTED:,} more pointers in {local_name(element)}/@{attribute} "
                        "reach nothing (not listed one by one)",
                        attribute,
                    ))
    found += [_outside(table, pointers) for pointers in outside.values()]
    found += _unused_entries(edition, referenced)
    found += _manifest_coverage(edition, table)
    found += _nothing_to_print(edition, table)
    return found


def _unresolved(table: IdTable, document: Document, element, attribute: str, token: str) -> Diagnostic:
    name = f"{local_name(element)}/@{attribute}"
    shown = shorten(token)
    if attribute == "wit":
        return finding(document, element, "wit-undeclared",
                       f'{name} "{shown}" names no witness declared in a <listWit>{table.suggest(token)}', attribute)
    kind = expected_kind(element, attribute)
    what = f"<{kind[0]}>" if kind else "element"
    written, _ = split_reference(token)
    if not token.startswith("#") and written:
        path = local_file(document.path.parent, written)
        if path is None:
            what = "file (the name holds a NUL character)"
        elif table.edition.document(path) is None:
            what = f"file of the edition ({shorten(written)} is not there)"
    return finding(document, element, "ref-unresolved", f'{name} "{shown}" points to no {what}{table.suggest(token)}',
                   attribute)


def _outside(table: IdTable, pointers: list[tuple]) -> Diagnostic:
    """One warning for every pointer into one file that is not part of the edition, at the first of them."""
    document, element, attribute, token, target = pointers[0]
    typo = f'; did you mean "#{shorten(target.written)}"?' if target.written in table.by_id else ""
    others = len(pointers) - 1
    more = f"; {others:,} more {'pointer' if others == 1 else 'pointers'} into it not listed" if others else ""
    return finding(
        document, element, "ref-outside",
        f'{local_name(element)}/@{attribute} "{shorten(token)}" points into {shorten(target.written)}, '
        f"which is not part of the edition; the books print the words without a link{typo}{more}",
        attribute,
    )


def _wrong_kind(document: Document, element, attribute: str, token: str, target: Target) -> list[Diagnostic]:
    kind = expected_kind(element, attribute)
    if not kind:
        return []
    label, allowed = kind
    if local_name(target.element) in allowed and not (label == WORK and not entry_kind(target.element)):
        return []
    return [finding(
        document, element, "ref-wrong-kind",
        f'{local_name(element)}/@{attribute} "{shorten(token)}" points to a <{local_name(target.element)}>, '
        f"not a <{label}>" + (" in a listBibl register" if label == WORK else ""),
        attribute,
    )]


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


def placed_texts(edition: Edition, table: IdTable) -> list[Document]:
    """The documents the manifest's pointers place in the front and body of its text (or the texts a teiCorpus
    holds written inside it): the books' texts."""
    members = [text for _, texts in corpus_members(edition.manifest) for text in texts]
    if members:
        return members
    text = edition.manifest.root.find(tei("text"))
    placed = []
    for division in (text.find(tei(name)) if text is not None else None for name in ("front", "body")):
        for element in division.iter(tei("ptr")) if division is not None else ():
            target = table.resolve(edition.manifest, element.get("target", ""))
            if isinstance(target, Target) and target.document not in placed:
                placed.append(target.document)
    return placed


def _manifest_coverage(edition: Edition, table: IdTable) -> list[Diagnostic]:
    """Texts in an edition folder that the manifest does not place."""
    if edition.manifest is None:
        return []
    placed = {t.document.path for ptr in edition.manifest.root.iter(tei("ptr"))
              if isinstance(t := table.resolve(edition.manifest, ptr.get("target", "")), Target)}
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
                f"{document.path.name} is in the edition folder but {edition.manifest.path.name} does not place it; "
                f'add <ptr target="{document.path.relative_to(edition.root_dir)}"/> to a part',
            )
        )
    return found


def _nothing_to_print(edition: Edition, table: IdTable) -> list[Diagnostic]:
    """An edition whose books would hold no text: no text placed, or none with a word in it."""
    if not edition.documents:
        return []  # nothing could be read: each file's own error says why
    if edition.manifest is not None:
        texts = placed_texts(edition, table)
        where = edition.manifest
        anchor = where.root.find(f"{tei('text')}/{tei('body')}")
        why = (f"its manifest {where.path.name} places no text that is there" if not texts
               else f"the texts {where.path.name} places hold no words")
        if where.root.tag == tei("teiCorpus"):
            why = (f"{where.path.name} is a teiCorpus that holds no <TEI> text (written in it or included with "
                   "XInclude)" if not texts else f"the texts of the teiCorpus {where.path.name} hold no words")
    else:
        texts = [d for d in edition.documents
                 if d.root.find(tei("text")) is not None or d.root.find(tei("sourceDoc")) is not None]
        if not texts:
            return []  # no TEI text at all (a register, a header, another vocabulary): the schema check says what
        where, anchor = texts[0], None
        why = "its <text> holds no words" if len(texts) == 1 else "no <text> of it holds a word"
    if any("".join(part.itertext()).strip() for d in texts for part in (d.root.find(tei("text")),
                                                                         d.root.find(tei("sourceDoc")))
           if part is not None):
        return []
    return [finding(where, anchor if anchor is not None else where.root, "edition-empty",
                    f"the edition has nothing to print: {why}")]
