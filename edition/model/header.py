"""Read the teiHeaders (titles, authors, sources, witnesses, the edition's metadata) and the manifest's order."""

from __future__ import annotations

import re

from lxml import etree

from .. import XML_ID, XML_LANG, local_name, tei
from ..load import Document, Edition, corpus_members
from ..words import Words, words_for
from .book import Metadata, Part, Witness
from .plain import plain_text


def _title_stmt(document: Document):
    return document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('titleStmt')}")


def _source_desc(document: Document):
    return document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('sourceDesc')}")


def header_title(document: Document, kind: str = "main") -> str:
    return header_title_of(document.root, kind)


def header_title_of(root: etree._Element, kind: str = "main") -> str:
    """The title of a TEI or teiCorpus element's header (``kind``: main, sub, short)."""
    stmt = root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('titleStmt')}")
    if stmt is None:
        return ""
    titles = stmt.findall(tei("title"))
    for title in titles:
        if title.get("type") == kind:
            return plain_text(title)
    if kind == "main" and titles:
        return plain_text(titles[0])
    return ""


def header_names(document: Document, tag: str) -> list[str]:
    stmt = _title_stmt(document)
    if stmt is None:
        return []
    names = (plain_text(e, skip=("note", "gap")) for e in stmt.findall(tei(tag)))
    return [name for name in names if name]


def header_responsibility(document: Document) -> list[str]:
    """'Translated by Peter Sedgwick': each respStmt of the title statement but the encoders'."""
    stmt = _title_stmt(document)
    lines: list[str] = []
    if stmt is None:
        return lines
    for resp_stmt in stmt.findall(tei("respStmt")):
        resp = plain_text(resp_stmt.find(tei("resp"))) if resp_stmt.find(tei("resp")) is not None else ""
        names = [plain_text(n) for n in resp_stmt if local_name(n) in ("name", "persName", "orgName")]
        if resp and names and "encoded" not in resp.lower():
            lines.append(f"{resp} {', '.join(names)}")
    return lines


def source_of(document: Document) -> tuple[str, str]:
    """The copy-text's description (without its notes) and its siglum."""
    source = _source_desc(document)
    if source is None:
        return "", ""
    bibl = source.find(tei("bibl"))  # the copy-text; a bibl in a list of sources or editions is not one
    if bibl is not None:
        return plain_text(bibl), bibl.get("n") or ""
    paragraph = source.find(tei("p"))
    return (plain_text(paragraph) if paragraph is not None else ""), ""


def source_bibl(document: Document):
    """The sourceDesc's own bibl, whose words are printed (as model HTML) under the text's title."""
    return document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('sourceDesc')}/{tei('bibl')}")


def collect_witnesses(ordered: list[Document]) -> list[Witness]:
    """The witnesses of the texts in order: each copy-text (a sourceDesc's bibl) and each described witness."""
    witnesses: list[Witness] = []
    for document in ordered:
        title = header_title(document)
        source = _source_desc(document)
        if source is None:
            continue
        for bibl in source.findall(tei("bibl")):
            witnesses.append(Witness(bibl.get("n") or "", plain_text(bibl), title, copy_text=True))
        for witness in source.iter(tei("witness")):
            described = plain_text(witness, skip=("note", "label")).lstrip("—–-:;,. ")
            if witness.get("corresp") is None and described or is_manuscript(witness):
                witnesses.append(Witness(siglum(witness), described, title, is_manuscript(witness)))
    return witnesses


_MANUSCRIPT_MARKS = {"msDesc", "msIdentifier", "origDate", "locus", "repository", "idno"}
_CODEX = re.compile(r"\b(codex|cod\.|ms\.|manuscript|handschrift|f\.\s*\d+[rv])", re.I)


def is_manuscript(witness) -> bool:
    """A witness that is a manuscript: described with a shelfmark, place or date of its own, or called one."""
    return any(local_name(e) in _MANUSCRIPT_MARKS for e in witness.iter(etree.Element)) or bool(
        _CODEX.search(plain_text(witness)))


_SIGLUM_HOLDERS = {"witness", "listWit", "bibl", "biblStruct", "biblFull", "msDesc", "person", "personGrp"}


def siglum(element) -> str:
    """How the apparatus names a witness or a source: its @n, a siglum the encoder marked, or its id."""
    marked = element.find(f"{tei('abbr')}[@type='siglum']")
    if marked is None:
        marked = element.find(tei("label"))
    return element.get("n") or (plain_text(marked) if marked is not None else "") or element.get(XML_ID) or ""


def collect_sigla(documents: list[Document]) -> tuple[dict[str, str], list[tuple[str, frozenset[str]]]]:
    """Every witness's and source's siglum by id, from the headers; and the groups of witnesses (a listWit
    with a siglum of its own) whose siglum stands for all their members."""
    sigla: dict[str, str] = {}
    groups: list[tuple[str, frozenset[str]]] = []
    for document in documents:
        header = document.root.find(tei("teiHeader"))
        if header is None:
            continue
        for element in header.iter(etree.Element):
            ident = element.get(XML_ID)
            if not ident or local_name(element) not in _SIGLUM_HOLDERS:
                continue
            sigla[ident] = siglum(element)
            if local_name(element) == "listWit" and element.get("n"):
                members = frozenset(w.get(XML_ID) for w in element.iter(tei("witness")) if w.get(XML_ID))
                if len(members) > 1:
                    groups.append((element.get("n"), members))
    return sigla, groups


def metadata_of(edition: Edition, documents: list[Document], words: Words) -> Metadata:
    """The edition's title, people, version and rights, from the manifest's header (or the first text's)."""
    manifest = edition.manifest or documents[0]
    root = manifest.root

    def found(path: str) -> str:
        element = root.find(path)
        return plain_text(element) if element is not None else ""

    title = header_title(manifest) or manifest.path.stem
    edition_element = root.find(f".//{tei('editionStmt')}/{tei('edition')}")
    version = edition_element.get("n") if edition_element is not None and edition_element.get("n") else ""
    dates = [c.get("when") for c in root.iter(tei("change")) if c.get("when")]
    pub_date = root.find(f".//{tei('publicationStmt')}/{tei('date')}")
    date = max(dates) if dates else (pub_date.get("when") if pub_date is not None and pub_date.get("when") else "")
    return Metadata(
        id=root.get(XML_ID) or manifest.path.stem, title=title, subtitle=header_title(manifest, "sub"),
        short_title=header_title(manifest, "short") or title, authors=header_names(manifest, "author"),
        editors=header_names(manifest, "editor"), language=root.get(XML_LANG) or "en", version=version,
        date=date, date_display=display_date(date, words.months),
        publisher=found(f".//{tei('publicationStmt')}/{tei('publisher')}"),
        licence=found(f".//{tei('availability')}/{tei('licence')}"),
        rights=found(f".//{tei('availability')}/{tei('p')}"),
        subject=found(f".//{tei('projectDesc')}"),
    )


def display_date(iso: str, months: tuple[str, ...] | None = None) -> str:
    """'2026-03-05' as '5 March 2026' (in the edition's language); what is not such a date, as it stands."""
    months = months or words_for("en").months
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {months[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{months[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return iso


def ordered_documents(edition: Edition) -> tuple[list[Document], list[tuple[Part, list[Document]]]]:
    """Front documents and parts with their texts, in the order the manifest gives (or file order)."""
    if edition.manifest is None:
        texts = [d for d in edition.documents
                 if d.root.find(tei("text")) is not None or d.root.find(tei("sourceDoc")) is not None]
        return [], [(Part("part-1", "", ""), texts)]
    manifest = edition.manifest
    members = corpus_members(manifest)
    if members:  # a teiCorpus with its texts written inside it: a part for each corpus inside it
        return [], [(Part((corpus.get(XML_ID) if corpus is not None else None) or f"part-{number}", str(number),
                          header_title_of(corpus) if corpus is not None else ""), texts)
                    for number, (corpus, texts) in enumerate(members, start=1)]
    by_path = {d.path: d for d in edition.documents}

    def documents_in(element):
        found = []
        for ptr in element.iter(tei("ptr")):
            path = (manifest.path.parent / (ptr.get("target") or "")).resolve()
            if path in by_path:
                found.append(by_path[path])
        return found

    front_element = manifest.root.find(f"{tei('text')}/{tei('front')}")
    front = documents_in(front_element) if front_element is not None else []
    parts = []
    body = manifest.root.find(f"{tei('text')}/{tei('body')}")
    if body is not None:
        for number, div in enumerate(body.findall(tei("div")), start=1):
            head = div.find(tei("head"))
            part = Part(div.get(XML_ID) or f"part-{number}", div.get("n") or str(number),
                        plain_text(head) if head is not None else "")
            parts.append((part, documents_in(div)))
    return front, parts
