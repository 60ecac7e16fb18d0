"""Which RELAX NG grammar checks a file: its xml-model, resolved like an XML catalogue to the shipped copies."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .. import TEI_NS
from ..diagnostics import Diagnostic, Severity
from ..load import Document

RNG_NS = "http://relaxng.org/ns/structure/1.0"
RELEASE = "4.11.0"
_PSEUDO = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_GRAMMAR_FILE = re.compile(r"\.(rng|rnc)$", re.I)

# The TEI publishes each schema under the current release, every past release and the build
# server: .../release/xml/tei/custom/schema/relaxng/tei_all.rng, .../Vault/P5/4.9.0/xml/tei/...,
# over http and https, with or without www. A path ending in one of these names on a TEI host
# is that schema.
_TEI_HOSTS = re.compile(r"(^|\.)tei-c\.org$", re.I)
_PUBLISHED_NAME = re.compile(r"/(tei_all|tei_lite)\.(rng|rnc)$", re.I)


@dataclass(frozen=True)
class PublishedSchema:
    """A TEI schema shipped inside the package."""

    key: str
    title: str
    file: str

    @property
    def path(self) -> Path:
        return Path(str(resources.files("edition") / "schemas" / self.file))


PUBLISHED = {
    schema.key: schema
    for schema in [
        PublishedSchema("tei_all", f"TEI P5 {RELEASE} tei_all", "tei_all.rng"),
        PublishedSchema("tei_lite", f"TEI P5 {RELEASE} tei_lite", "tei_lite.rng"),
    ]
}


@dataclass(frozen=True)
class SchemaSettings:
    """How files are matched to schemas; one value per run (an edition's settings may choose later).

    ``default`` checks files that name no schema; ``substitute`` checks files that name a schema
    by a URL this package does not have. Either may be None: such files are then not checked.
    """

    default: str | None = "tei_all"
    substitute: str | None = "tei_all"


@dataclass(frozen=True)
class SchemaChoice:
    """The grammar a document is checked against, and how to speak of it."""

    path: Path
    title: str
    own: bool  # the edition's own schema file, not one of the TEI's
    notes: tuple[Diagnostic, ...] = ()
    named: bool = True  # the file names this grammar itself (not checked by default, nor in place of another)


def schema_of(document: Document) -> tuple[str, str] | None:
    """``(href, kind)`` of the RELAX NG grammar the document's xml-model names, if any."""
    for pi in document.tree.xpath("/processing-instruction('xml-model')"):
        pseudo = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                  for m in _PSEUDO.finditer(pi.text or "")}
        href = pseudo.get("href", "")
        compact = "compact" in pseudo.get("type", "") or href.lower().endswith(".rnc")
        if pseudo.get("schematypens") == RNG_NS or href.lower().endswith(".rng") or compact:
            return href, "rnc" if compact else "rng"
    return None


def published_for(href: str) -> PublishedSchema | None:
    """The shipped schema a TEI URL names (any release, http or https), or None."""
    parts = urlsplit(href.strip())
    if parts.scheme.lower() not in ("http", "https") or not _TEI_HOSTS.search(parts.hostname or ""):
        return None
    match = _PUBLISHED_NAME.search(unquote(parts.path))
    return PUBLISHED[match.group(1).lower()] if match else None


def choose(document: Document, root_dir: Path, settings: SchemaSettings) -> SchemaChoice | Diagnostic | None:
    """The grammar for a document, a diagnostic saying why there is none, or None: not checked."""
    named = schema_of(document)
    if named is None:
        if settings.default is None or not _is_tei(document):
            return None
        return replace(_published(settings.default), named=False)
    href, kind = named
    parts = urlsplit(href)
    if parts.scheme.lower() in ("http", "https", "ftp") or parts.netloc:
        found = published_for(href)
        if found is not None:
            return _published(found.key)
        return _substitute(document, settings, f'the xml-model schema "{href}" is not available offline')
    # normpath, not resolve: a schema folder linked into the edition on purpose is the editor's choice
    path = Path(os.path.normpath(document.path.parent / unquote(parts.path)))
    inside = path.is_relative_to(root_dir)
    try:
        path.is_file()
    except (OSError, ValueError):  # too long for a file name, or a character no file name may hold
        line, column = model_position(document)
        return Diagnostic(document.display, line, column, Severity.ERROR, "schema-missing",
                          f'the xml-model href ({len(href)} characters) cannot be a file name; fix the href of '
                          "<?xml-model?>")
    if inside and path.is_file() and kind == "rng":
        return SchemaChoice(path, "the schema this file names", own=True)
    name = _PUBLISHED_NAME.search("/" + path.name)
    if name and (not path.is_file() or kind == "rnc"):
        return _published(name.group(1).lower())  # a local copy of tei_all or tei_lite: the same grammar
    if inside and path.is_file():
        return _substitute(document, settings,
                           f'the xml-model schema "{href}" is in RELAX NG compact syntax, which is not read')
    where = "does not exist" if inside else "is outside the edition folder"
    return Diagnostic(document.display, 1, 1, Severity.ERROR, "schema-missing",
                      f'the xml-model schema "{href}" {where}; fix the href of <?xml-model?>')


def _published(key: str) -> SchemaChoice:
    schema = PUBLISHED[key]
    return SchemaChoice(schema.path, schema.title, own=False)


def _substitute(document: Document, settings: SchemaSettings, why: str) -> SchemaChoice | None:
    if settings.substitute is None:
        return None
    schema = PUBLISHED[settings.substitute]
    line, column = model_position(document)
    note = Diagnostic(document.display, line, column, Severity.WARNING, "schema-substituted",
                      f"{why}; checked against {schema.title} instead, so rules of that project's own schema "
                      "were not checked")
    return SchemaChoice(schema.path, schema.title, own=False, notes=(note,), named=False)


def model_position(document: Document) -> tuple[int, int]:
    """Line and column of the xml-model processing instruction in the source."""
    offset = document.source.find("<?xml-model")
    if offset < 0:
        return 1, 1
    line = document.source.count("\n", 0, offset) + 1
    return line, offset - (document.source.rfind("\n", 0, offset) + 1) + 1


def _is_tei(document: Document) -> bool:
    """A TEI document: its root is in the TEI namespace, or is a TEI root that lost its namespace."""
    qname = etree.QName(document.root)
    return qname.namespace == TEI_NS or (qname.namespace is None and qname.localname in ("TEI", "teiCorpus"))
