"""Read the teiHeaders (titles, authors, sources, witnesses, the edition's metadata) and the manifest's order."""

from __future__ import annotations

from .. import XML_ID, XML_LANG, local_name, tei
from ..load import Document, Edition
from .book import Metadata, Part, Witness
from .plain import plain_text

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _title_stmt(document: Document):
    return document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('titleStmt')}")


def _source_desc(document: Document):
    return document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('sourceDesc')}")


def header_title(document: Document, kind: str = "main") -> str:
    stmt = _title_stmt(document)
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
    bibl = source.find(tei("bibl"))
    if bibl is None:
        bibl = source.find(f".//{tei('bibl')}")
    if bibl is not None:
        return plain_text(bibl), bibl.get("n") or ""
    paragraph = source.find(tei("p"))
    return (plain_text(paragraph) if paragraph is not None else ""), ""


def source_bibl(document: Document):
    """The sourceDesc's own bibl, whose words are printed (as model HTML) under the text's title."""
    return document.root.find(f"{tei('teiHeader')}/{tei('fileDesc')}/{tei('sourceDesc')}/{tei('bibl')}")


def collect_witnesses(ordered: list[Document]) -> tuple[list[Witness], dict[str, str]]:
    """The witnesses of the texts in order, and every witness id's siglum."""
    witnesses: list[Witness] = []
    by_id: dict[str, str] = {}
    for document in ordered:
        title = header_title(document)
        source = _source_desc(document)
        if source is None:
            continue
        for bibl in source.findall(tei("bibl")):
            siglum = bibl.get("n") or ""
            if bibl.get(XML_ID):
                by_id[bibl.get(XML_ID)] = siglum
            witnesses.append(Witness(siglum, plain_text(bibl), title))
        for witness in source.iter(tei("witness")):
            siglum = witness.get("n") or witness.get(XML_ID) or ""
            if witness.get(XML_ID):
                by_id[witness.get(XML_ID)] = siglum
            if witness.get("corresp") is None and plain_text(witness):
                witnesses.append(Witness(siglum, plain_text(witness), title))
    return witnesses, by_id


def metadata_of(edition: Edition, documents: list[Document]) -> Metadata:
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
        date=date, date_display=display_date(date),
        publisher=found(f".//{tei('publicationStmt')}/{tei('publisher')}"),
        licence=found(f".//{tei('availability')}/{tei('licence')}"),
        rights=found(f".//{tei('availability')}/{tei('p')}"),
        subject=found(f".//{tei('projectDesc')}"),
    )


def display_date(iso: str) -> str:
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return iso


def ordered_documents(edition: Edition) -> tuple[list[Document], list[tuple[Part, list[Document]]]]:
    """Front documents and parts with their texts, in the order the manifest gives (or file order)."""
    if edition.manifest is None:
        texts = [d for d in edition.documents if d.root.find(tei("text")) is not None]
        return [], [(Part("part-1", "", ""), texts)]
    manifest = edition.manifest
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
