"""The offline tei_all check agrees with jing on the whole of tei_all, error for error, on real files.

Each side's findings are reduced to (line of the element's start tag, kind): jing reports an
element at the end of its start tag, or at its end tag when it is incomplete; we report the start
tag, or the attribute. The differences that remain are the ones explained in EXPLAINED below
(and in README.md, "Validation").
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.parsers.expat
from collections import Counter
from pathlib import Path

import pytest

from conftest import TEI, TEI_ALL, shared_path
from edition.check.catalogue import PUBLISHED, SchemaChoice
from edition.check.schema import validate
from edition.load import load_document

TEI_ALL_CHOICE = SchemaChoice(PUBLISHED["tei_all"].path, PUBLISHED["tei_all"].title, own=False)
SERGE = sorted(TEI.glob("texts/*.xml")) + sorted(TEI.glob("front/*.xml")) + sorted(TEI.glob("registers/*.xml")) \
    + [TEI / "edition.xml"]
FOREIGN = ["dll/Propertius-1-15.xml", "evt/LL1_16.xml", "pta/pta0013.pta003.pta-grc1.xml", "teipublisher/let695.xml"]

pytestmark = pytest.mark.slow  # starts Java (jing)

# Where jing and we part ways, by design; each is checked to happen only where it should.
EXPLAINED = {
    "inside-refused": "jing goes on checking an element it refused, its attributes and the TEI "
                      "elements inside it (the <idno>, <author>, <p> and <note> inside let695's "
                      "<vg:letDesc>); we report the refused element once, not what it carries or holds",
    "id": "jing checks that xml:id values are unique (RELAX NG DTD compatibility); we leave that to "
          "the id-duplicate rule, which also sees the other files of the edition",
}
# A broken copy of a Serge text, so that agreement is shown on errors too, not only on silence.
BREAKAGES = [
    (r"<persName (ref=[^>]*)>([^<]*)</persName>", r"<persname \1>\2</persname>", 2),
    (r'<p xml:id="', '<p rendd="x" xml:id="', 3),
    (r"<body>", '<body><date when="1918-02-30">x</date><list><p>not an item</p></list>', 1),
    (r"</teiHeader>", "</teiHeader><lb/>", 1),
]


def jing_findings(paths: list[Path]) -> dict[Path, list[tuple[int, int, str]]]:
    pyjing = Path(sys.executable).with_name("pyjing")
    result = subprocess.run([str(pyjing), str(TEI_ALL), *map(str, paths)], capture_output=True, text=True, timeout=300)
    assert "fatal" not in result.stdout + result.stderr, result.stdout + result.stderr
    found: dict[Path, list[tuple[int, int, str]]] = {p: [] for p in paths}
    for line in result.stdout.splitlines():
        match = re.match(r"(.+?):(\d+):(\d+): error: (.*)", line)
        assert match, line
        found[Path(match.group(1))].append((int(match.group(2)), int(match.group(3)), match.group(4)))
    return found


def element_spans(path: Path) -> list[tuple[int, int, int, str]]:
    """(start-tag line, line where the start tag ends, end-tag line, local name) of every element, in order."""
    source = path.read_bytes()
    lines = source.split(b"\n")
    spans: list[list] = []
    stack: list[int] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")

    def start(name, attributes):
        line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber
        rest = b"\n".join(lines[line - 1:])[column:]
        closing = re.search(rb"/?>", rest)
        tag_end = line + rest[:closing.start()].count(b"\n") if closing else line
        stack.append(len(spans))
        spans.append([line, tag_end, 0, name.rsplit("}", 1)[-1]])

    def end(name):
        spans[stack.pop()][2] = parser.CurrentLineNumber

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.UseForeignDTD(False)
    parser.Parse(source, True)
    return [tuple(s) for s in spans]


def jing_kind(message: str) -> str:
    if message.startswith(("ID ", "first occurrence of ID")):
        return "id"
    if message.startswith(("attribute ", "value of attribute")) or "missing required attribute" in message:
        return "attribute"
    if " not allowed " in message and not message.startswith("text"):
        return "misplaced"
    if "incomplete" in message or "missing required element" in message:
        return "incomplete"
    if message.startswith("text not allowed"):
        return "text"
    return "misplaced"


def our_kind(message: str) -> str:
    if message.startswith(("attribute @", "@")) or "lacks an attribute" in message:
        return "attribute"
    if " is incomplete" in message:
        return "incomplete"
    if "may not contain text" in message:
        return "text"
    return "misplaced"


def start_line(spans, line: int, kind: str, message: str = "") -> int:
    """The start-tag line of the element a finding at ``line`` is about."""
    if kind == "incomplete" and message:
        name = re.search(r'element "([^"]+)"', message).group(1).split(":")[-1]
        return next(s[0] for s in spans if s[2] == line and s[3] == name)
    return next((s[0] for s in spans if s[0] <= line <= s[1]), line)


def compare(path: Path, shown_to_jing: Path, jing: list[tuple[int, int, str]]) -> None:
    document, problems = load_document(path, path.parent)
    assert document is not None, problems
    ours = [d for d in validate(document, TEI_ALL_CHOICE)]
    spans = element_spans(shown_to_jing)
    theirs = Counter()
    explained = Counter()
    for line, _, message in jing:
        kind = jing_kind(message)
        if kind == "id":
            explained["id"] += 1
            continue
        theirs[(start_line(spans, line, kind, message), kind)] += 1
    mine = Counter((start_line(spans, d.line, our_kind(d.message)), our_kind(d.message)) for d in ours)
    refused = {line for (line, kind) in mine if kind == "misplaced"}
    for (line, kind), count in list((theirs - mine).items()):
        inside = [s for s in spans if s[0] == line]
        outer = [s for s in spans if s[0] in refused and (s[0] < line <= s[2] or (s[0] == line and kind == "attribute"))]
        if inside and outer:
            explained["inside-refused"] += count
            del theirs[(line, kind)]
    assert set(explained) <= set(EXPLAINED)
    assert theirs == mine, f"jing only: {theirs - mine}; ours only: {mine - theirs}"


@pytest.fixture(scope="module")
def foreign_copies(tmp_path_factory) -> dict[str, Path]:
    """The foreign files as jing can read them: the loader blanks a DOCTYPE (its DTD is never read);
    jing would try to read evt's missing tei_all.dtd and stop, so its copy is blanked the same way."""
    folder = tmp_path_factory.mktemp("foreign")
    copies = {}
    for name in FOREIGN:
        source = shared_path("foreign-tei", name).read_bytes()
        doctype = re.search(rb"<!DOCTYPE[^>\[]*>", source)
        if doctype:
            source = source[:doctype.start()] + re.sub(rb"[^\n]", b" ", doctype.group()) + source[doctype.end():]
        copies[name] = folder / Path(name).name
        copies[name].write_bytes(source)
    return copies


@pytest.fixture(scope="module")
def broken_serge(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("broken") / "weissman-1988.xml"
    source = (TEI / "texts" / "weissman-1988.xml").read_text(encoding="utf-8")
    for pattern, replacement, count in BREAKAGES:
        source, done = re.subn(pattern, replacement, source, count=count)
        assert done == count, pattern
    path.write_text(source, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def jing_run(foreign_copies, broken_serge):
    shared_path("schemas", "tei_all.rng")
    return jing_findings(list(foreign_copies.values()) + SERGE + [broken_serge])


@pytest.mark.parametrize("name", FOREIGN)
def test_foreign_file_agrees_with_jing(name, foreign_copies, jing_run):
    original = shared_path("foreign-tei", name)
    compare(original, foreign_copies[name], jing_run[foreign_copies[name]])


@pytest.mark.parametrize("path", SERGE, ids=lambda p: str(p.relative_to(TEI)))
def test_serge_text_agrees_with_jing(path, jing_run):
    assert jing_run[path] == []
    compare(path, path, jing_run[path])


def test_broken_serge_text_agrees_with_jing_error_for_error(broken_serge, jing_run):
    assert len(jing_run[broken_serge]) >= 6
    compare(broken_serge, broken_serge, jing_run[broken_serge])


def test_shipped_tei_all_is_the_shared_one():
    assert PUBLISHED["tei_all"].path.read_bytes() == shared_path("schemas", "tei_all.rng").read_bytes()
