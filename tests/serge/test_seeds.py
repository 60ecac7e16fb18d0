"""No paragraph of a witness is lost: every seed line a text comes from is found in its encoding.

The comparison reads the encoding as the witness: the rejected reading of each emendation (sic, orig),
the lemma of each apparatus entry, notes the witness prints inline, and the authorial notes'
texts; editorial notes and gaps are the editors' and are left out. Note calls ("police.1", "(5)")
and all white space are ignored on both sides.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import TEI, shared_path

SEEDMAPS = sorted((Path(__file__).parent / "seedmap").glob("*.json"))
T = "{http://www.tei-c.org/ns/1.0}"
DROP = {f"{T}corr", f"{T}reg", f"{T}expan", f"{T}rdg", f"{T}gap", f"{T}rdgGrp", f"{T}witDetail"}
# a note call: "(5)", or digits glued to a word or to its closing punctuation ("police.1"), or "*"
_CALL = re.compile(
    r"\(\d{1,3}\)"
    r"|(?:(?<=[^\W\d_])|(?<=[.;:!?”’\")])|(?<=[^\W\d_],))\d{1,3}(?=[\s”’\"]|$)"
    r"|(?<=\S)\*(?=\s|$)"
)
_NOTE_PREFIX = re.compile(r"^(back to text\s*-\s*|-\s+|\d{1,3}\.\s+|\*\s+)")


def witness_text(path: Path) -> str:
    """The encoded text read as the witness: running text, then the authorial notes' texts."""
    root = etree.parse(str(path)).getroot()
    body = root.find(f"{T}text")
    running: list[str] = []
    notes: list[str] = []

    def walk(node, out):
        if node.tag in DROP:
            return
        if node.tag == f"{T}note":
            if node.get("type") == "editorial":
                return
            if node.get("place") != "inline":
                inner: list[str] = []
                walk_children(node, inner)
                notes.append("".join(inner))
                return
        walk_children(node, out)

    def walk_children(node, out):
        if node.text:
            out.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child, out)
            if child.tail:
                out.append(child.tail)

    walk_children(body, running)
    header_notes = root.findall(f".//{T}notesStmt//{T}note")
    return "".join(running) + "\n" + "\n".join(notes) + "\n" + "\n".join("".join(n.itertext()) for n in header_notes)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u00a0", " "))


@pytest.mark.parametrize("seedmap", SEEDMAPS, ids=lambda p: p.stem)
def test_every_seed_line_is_in_the_encoding(seedmap):
    spec = json.loads(seedmap.read_text(encoding="utf-8"))
    seed = shared_path("seeds", spec["seed"])
    lines = seed.read_text(encoding="utf-8").splitlines()
    encoded = squeeze(witness_text(TEI / "texts" / f"{seedmap.stem}.xml"))
    excluded = {int(k) for k in spec.get("excluded_lines", {})}
    missing = []
    checked = 0
    for number in range(spec["first_line"], spec["last_line"] + 1):
        line = lines[number - 1].strip()
        if not line or number in excluded:
            continue
        checked += 1
        candidates = {line, _NOTE_PREFIX.sub("", line)}
        candidates |= {_CALL.sub("", c) for c in list(candidates)}
        if not any(squeeze(c) in encoded for c in candidates):
            missing.append(f"{seed.name}:{number}: {line[:90]}")
    assert checked > 3
    assert missing == [], "\n".join(missing[:15])


def test_every_text_has_a_seedmap():
    texts = {p.stem for p in (TEI / "texts").glob("*.xml")}
    assert texts == {p.stem for p in SEEDMAPS}


def test_the_check_does_fail_on_a_lost_paragraph(tmp_path):
    """The comparison is not vacuous: dropping a paragraph from an encoding is caught."""
    source = TEI / "texts" / "filtzer-review-1998.xml"
    spec = json.loads((Path(__file__).parent / "seedmap" / "filtzer-review-1998.json").read_text(encoding="utf-8"))
    tree = etree.parse(str(source))
    paragraph = tree.find(f".//{T}body//{T}p[@{{http://www.w3.org/XML/1998/namespace}}id='fil98-p5']")
    paragraph.getparent().remove(paragraph)
    broken = tmp_path / "broken.xml"
    tree.write(str(broken))
    seed = shared_path("seeds", spec["seed"])
    lines = seed.read_text(encoding="utf-8").splitlines()
    encoded = squeeze(witness_text(broken))
    found = [squeeze(_CALL.sub("", lines[n - 1].strip())) in encoded
             for n in range(spec["first_line"], spec["last_line"] + 1) if lines[n - 1].strip()]
    assert not all(found)
