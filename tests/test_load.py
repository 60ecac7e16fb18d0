"""The hardened loader: hostile and broken input becomes a located diagnostic, never a traceback or a fetch."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, SHARED, TEI, shared_path


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def only_diagnostic(run, path: Path) -> dict:
    result = run("validate", "--format", "json", path)
    found = json.loads(result.stdout)["diagnostics"]
    assert result.exit_code == 1
    assert len(found) == 1, found
    return found[0]


BOMB = """<?xml version="1.0"?>
<!DOCTYPE TEI [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&f;</p></body></text></TEI>
"""


def test_entity_bomb_is_refused_with_its_location(run, tmp_path):
    diagnostic = only_diagnostic(run, write(tmp_path, "bomb.xml", BOMB))
    assert (diagnostic["rule"], diagnostic["line"], diagnostic["column"]) == ("xml-entity", 3, 2)


def test_external_entity_is_refused_and_nothing_is_read(run, tmp_path):
    secret = write(tmp_path, "secret.txt", "TOP SECRET")
    path = write(
        tmp_path,
        "xxe.xml",
        f'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&x;</p></body></text></TEI>\n',
    )
    result = run("validate", path)
    assert "TOP SECRET" not in result.stdout + result.stderr
    assert "[xml-entity]" in result.stderr


def test_network_dtd_is_not_fetched(run, tmp_path, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the loader tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    path = write(
        tmp_path,
        "net.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "http://example.org/tei_all.dtd">\n'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>'
        '<text><body><p>x</p></body></text></TEI>\n',
    )
    assert run("validate", path).exit_code == 0


def test_missing_dtd_does_not_stop_loading(run):
    path = shared_path("foreign-tei", "evt", "LL1_16.xml")
    result = run("validate", "--format", "json", path)
    rules = {d["rule"] for d in json.loads(result.stdout)["diagnostics"]}
    assert not rules & {"xml-malformed", "xml-entity", "file-unreadable"}


@pytest.mark.parametrize(
    "content, rule, line",
    [
        (b"", "xml-empty", 1),
        (b"   \n", "xml-empty", 1),
        (b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <p>open\n</TEI>\n', "xml-malformed", 4),
        (b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p>caf\xe9</p></TEI>\n', "xml-encoding", 3),
        (b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>&nbsp;</p></TEI>\n', "xml-malformed", 2),
    ],
    ids=["empty", "blank", "unclosed", "latin-1-bytes", "undeclared-entity"],
)
def test_broken_file_gives_one_located_diagnostic(run, tmp_path, content, rule, line):
    diagnostic = only_diagnostic(run, write(tmp_path, "broken.xml", content))
    assert (diagnostic["rule"], diagnostic["line"]) == (rule, line)
    assert diagnostic["column"] >= 1


def test_declared_latin1_file_is_fine(run, tmp_path):
    path = write(
        tmp_path,
        "latin.xml",
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>'
        '<text><body><p>café</p></body></text></TEI>\n'.encode("latin-1"),
    )
    assert run("validate", path).exit_code == 0


def test_xinclude_inside_the_folder_is_expanded(tmp_path):
    from edition.load import load_edition

    write(tmp_path, "part.xml", '<p xmlns="http://www.tei-c.org/ns/1.0" xml:id="inc">Included <persName>x</persName></p>')
    main = write(
        tmp_path,
        "main.xml",
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"><text><body>\n'
        '<xi:include href="part.xml"/></body></text></TEI>\n',
    )
    edition, diagnostics = load_edition([main])
    assert diagnostics == []
    document = edition.documents[0]
    paragraph = document.root.find(".//{http://www.tei-c.org/ns/1.0}p")
    assert paragraph.text == "Included "
    path, line, column = document.locate(paragraph.find("{http://www.tei-c.org/ns/1.0}persName"))
    assert path.endswith("part.xml") and (line, column) == (1, 62)


def test_editors_files_are_never_modified(run, mini_edition):
    before = {p: p.read_bytes() for p in mini_edition.rglob("*.xml")}
    run("validate", mini_edition)
    assert before == {p: p.read_bytes() for p in mini_edition.rglob("*.xml")}


def test_a_file_larger_than_the_loader_reads_is_refused(run, tmp_path, monkeypatch):
    from edition import load

    monkeypatch.setattr(load, "MAX_FILE_BYTES", 100)
    diagnostic = only_diagnostic(run, write(tmp_path, "big.xml", "<TEI>" + "x" * 200 + "</TEI>"))
    assert diagnostic["rule"] == "xml-too-large" and "limit is 100" in diagnostic["message"]


def test_a_file_that_cannot_be_read_is_reported(run, tmp_path):
    (tmp_path / "folder.xml").mkdir()
    result = run("validate", "--format", "json", tmp_path)
    assert [d["rule"] for d in json.loads(result.stdout)["diagnostics"]] == ["file-unreadable"]


# --- bad input found by the mutation run of issue 11, each reduced to its essence -----------------

TEI_OPEN = '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'


HEADER = ("<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt><p>P</p></publicationStmt>"
          "<sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>")


def tei_file(tmp_path: Path, body: str, name: str = "text.xml") -> Path:
    """A valid TEI document (on line 2) whose body starts on line 3."""
    return write(tmp_path, name, f'<?xml version="1.0"?>\n{TEI_OPEN}{HEADER}<text><body>\n{body}\n</body></text></TEI>\n')


def without_schema(found: list[dict]) -> list[dict]:
    """The findings of the loader and the edition's rules: tei_all's view of the same fault set aside."""
    return [d for d in found if d["rule"] not in ("schema", "schema-unclaimed")]


def diagnostics_of(run, path: Path) -> tuple[int, list[dict], str]:
    result = run("validate", "--format", "json", path)
    text = run("validate", path)
    assert "Traceback" not in text.stderr and "internal error" not in text.stderr
    for line in text.stderr.splitlines()[:-1]:
        assert re.match(r"^[^\n]+:\d+(:\d+)?: (error|warning): .* \[[\w-]+\]$", line), line
    return result.exit_code, json.loads(result.stdout)["diagnostics"], text.stderr


def test_xinclude_that_replaces_the_root_element_is_refused_where_it_stands(run, tmp_path):
    write(tmp_path, "part.xml", '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>x</p></body></text></TEI>')
    path = write(tmp_path, "main.xml", '<?xml version="1.0"?>\n'
                 '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="part.xml"/>\n')
    code, found, _ = diagnostics_of(run, path)
    assert code == 1
    assert [(d["rule"], d["line"], d["column"]) for d in found] == [("xinclude-refused", 2, 56)]
    assert "root element" in found[0]["message"]


@pytest.mark.parametrize(
    "href, reason",
    [
        ("registers/persons.xml", "names a file that is not there"),
        ("afolder", "names a folder"),
        (".", "names a folder"),
        ("a" * 300 + ".xml", "longer than a file name may be"),
        ("x%00y.xml", "NUL"),
        ("binary.txt\" parse=\"text", "XML does not allow"),
        ("plain.txt\" parse=\"text\" encoding=\"bogus-8", "cannot be read as text"),
        ("plain.txt\" parse=\"bogus", "neither"),
    ],
    ids=["missing", "folder", "dot", "name-too-long", "nul", "binary-text", "bad-encoding", "bad-parse"],
)
def test_xinclude_that_cannot_be_followed_is_reported_at_the_include(run, tmp_path, href, reason):
    (tmp_path / "afolder").mkdir()
    write(tmp_path, "binary.txt", bytes(range(32)))
    write(tmp_path, "plain.txt", "plain")
    path = tei_file(tmp_path, f'<p>Before.</p>\n  <p><xi:include href="{href}"/></p>')
    code, found, _ = diagnostics_of(run, path)
    found = without_schema(found)  # the xi:include left in place is not TEI
    assert code == 1
    assert [(d["path"].rsplit("/", 1)[-1], d["rule"], d["line"]) for d in found] == [("text.xml", "xinclude-refused", 4)]
    assert found[0]["column"] > 0 and reason in found[0]["message"]
    assert len(found[0]["message"]) < 300


def test_over_long_attribute_value_is_said_in_the_editors_words(run, tmp_path):
    path = tei_file(tmp_path, '<p>One.</p>\n<p rend="' + "x" * 11_000_000 + '">Two.</p>')
    code, found, stderr = diagnostics_of(run, path)
    assert code == 1 and len(found) == 1
    assert (found[0]["rule"], found[0]["line"], found[0]["column"]) == ("xml-too-large", 4, 4)
    assert found[0]["message"] == ("an attribute value of 11 MB at line 4 is longer than the 10 MB this tool reads; "
                                   "move the data out of the attribute")
    assert "XML_PARSE_HUGE" not in stderr


@pytest.mark.parametrize(
    "body, what",
    [
        ("<p>" + "word " * 2_200_000 + "</p>", "a stretch of text without markup of 11 MB"),
        ("<!--" + "x" * 11_000_000 + "-->", "a comment of 11 MB"),
    ],
    ids=["text", "comment"],
)
def test_over_long_text_is_said_in_the_editors_words(run, tmp_path, body, what):
    code, found, stderr = diagnostics_of(run, tei_file(tmp_path, body))
    assert code == 1 and [d["rule"] for d in found] == ["xml-too-large"]
    assert found[0]["message"].startswith(what) and "XML_PARSE_HUGE" not in stderr


@pytest.mark.parametrize("character", [b"\x00", b"\x01", b"&#0;"], ids=["nul", "control", "character-reference"])
def test_character_xml_does_not_allow_is_named_on_one_line(run, tmp_path, character):
    path = write(tmp_path, "text.xml", b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>a'
                 + character + b"b</p></TEI>\n")
    code, found, _ = diagnostics_of(run, path)
    assert code == 1 and [(d["rule"], d["line"]) for d in found] == [("xml-malformed", 2)]
    assert "is not allowed in XML" in found[0]["message"]


@pytest.mark.parametrize(
    "opening, closing, depth, message",
    [
        ("<seg>", "</seg>", 70, "nested 65 deep"),
        ("<note>n ", "</note>", 10, "inside 8 other notes"),
        ("<hi>", "</hi>", 300, "more than 256 deep"),
    ],
    ids=["elements", "notes", "beyond-libxml2"],
)
def test_nesting_deeper_than_a_book_can_be_laid_out_is_refused_when_read(run, tmp_path, opening, closing, depth, message):
    path = tei_file(tmp_path, "<p>" + opening * depth + "deep" + closing * depth + "</p>")
    code, found, _ = diagnostics_of(run, path)
    assert code == 1 and [d["rule"] for d in found] == ["xml-too-deep"]
    assert found[0]["line"] == 3 and found[0]["column"] > 0 and message in found[0]["message"]


def test_real_tei_is_far_from_the_nesting_limit():
    from edition.load import MAX_DEPTH, MAX_NOTE_DEPTH, edition_files

    files = edition_files(TEI) + edition_files(FIXTURES / "mini") + sorted(SHARED.glob("foreign-tei/*/*.xml"))
    deepest = notes = 0
    for path in files:
        root = etree.parse(str(path)).getroot()
        for element in root.iter(etree.Element):
            ancestors = list(element.iterancestors())
            deepest = max(deepest, len(ancestors) + 1)
            notes = max(notes, sum(etree.QName(a).localname == "note" for a in [element, *ancestors]))
    assert deepest * 4 <= MAX_DEPTH and notes * 4 <= MAX_NOTE_DEPTH


def test_attribute_after_an_xinclude_and_on_a_long_start_tag_has_a_column(run, tmp_path):
    write(tmp_path, "part.xml", '<p xmlns="http://www.tei-c.org/ns/1.0"><hi>a</hi><hi>b</hi><hi>c</hi><hi>d</hi></p>')
    path = tei_file(tmp_path, '<xi:include href="part.xml"/>\n<p>On <date when="June 26">June 26</date>.</p>\n'
                              '<p>On <date\n  type="sent"\n  rend="x"\n  cert="high"\n  when="Juin 26">Juin 26</date>.</p>')
    code, found, _ = diagnostics_of(run, path)
    assert [(d["rule"], d["line"], d["column"]) for d in without_schema(found)] == [("date-not-iso", 4, 13),
                                                                                    ("date-not-iso", 9, 3)]


def test_start_tags_with_names_outside_ascii_are_located(run, tmp_path):
    path = tei_file(tmp_path, '<élément xmlns="urn:x"/><p>On <date when="1918-13-01">then</date>.</p>')
    code, found, _ = diagnostics_of(run, path)
    assert [(d["rule"], d["line"], d["column"]) for d in without_schema(found)] == [("date-not-iso", 3, 37)]


# --- manifests, by content --------------------------------------------------------------------------

VERSE = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>Verse</title></titleStmt><publicationStmt><p>x</p></publicationStmt>
  <sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
  <text><body><div><lg><l>Arma virumque cano, Troiae qui primus ab oris</l>
  <l>Italiam fato profugus <ptr target="aeneid-2.xml"/></l></lg></div></body></text>
</TEI>
"""

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader><fileDesc><titleStmt><title>An edition</title></titleStmt><publicationStmt><p>x</p></publicationStmt>
  <sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>
  <text><body>
    <div><head>Part one</head><list><item><ptr target="{target}"/></item></list></div>
  </body></text>
</TEI>
"""


def test_a_verse_text_named_edition_xml_is_read_as_a_text(run, tmp_path):
    from edition.load import load_edition

    path = write(tmp_path, "edition.xml", VERSE)
    edition, _ = load_edition([path])
    assert edition.manifest is None and [d.path.name for d in edition.documents] == ["edition.xml"]
    edition, _ = load_edition([tmp_path])
    assert edition.manifest is None
    code, found, _ = diagnostics_of(run, path)
    assert [d["rule"] for d in found] == ["ref-outside"]


def test_a_manifest_is_found_by_its_content_whatever_its_name(run, tmp_path):
    from edition.load import load_edition

    write(tmp_path, "contents.xml", MANIFEST.format(target="texts/one.xml"))
    (tmp_path / "texts").mkdir()
    one = write(tmp_path / "texts", "one.xml", VERSE.replace('<ptr target="aeneid-2.xml"/>', ""))
    edition, _ = load_edition([one])
    assert edition.manifest is not None and edition.manifest.path.name == "contents.xml"
    assert edition.focus == {one.resolve()}
    assert run("validate", tmp_path).exit_code == 0


def test_the_serge_manifest_is_still_the_manifest():
    from edition.load import load_edition

    edition, _ = load_edition([TEI])
    assert edition.manifest is not None and edition.manifest.path == (TEI / "edition.xml").resolve()


@pytest.mark.parametrize("target", ["texts/missing.xml", "../elsewhere/one.xml"], ids=["inside", "outside"])
def test_a_manifest_that_places_no_text_is_an_error(run, tmp_path, target):
    path = write(tmp_path, "contents.xml", MANIFEST.format(target=target))
    code, found, _ = diagnostics_of(run, path)
    assert code == 1
    assert sorted(d["rule"] for d in found) == ["edition-empty", "ref-unresolved"]


def test_a_tei_corpus_is_a_manifest(tmp_path):
    from edition.load import is_manifest

    corpus = etree.fromstring('<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><TEI/></teiCorpus>')
    assert is_manifest(corpus)
    assert not is_manifest(etree.fromstring(VERSE.encode()))
    assert is_manifest(etree.fromstring(MANIFEST.format(target="a.xml").encode()))
    assert not is_manifest(etree.fromstring(MANIFEST.format(target="#a").encode()))


def test_tei_without_its_namespace_is_read_as_tei_and_said_once(tmp_path):
    from edition.load import load_document

    path = tmp_path / "plain.xml"
    path.write_text("<TEI><teiHeader/>\n<text><body><p>Still words.</p></body></text></TEI>", encoding="utf-8")
    document, found = load_document(path, tmp_path)
    assert [(d.rule, d.severity.value, d.line, d.column) for d in found] == [("tei-namespace-missing", "warning", 1, 1)]
    assert all(e.tag.startswith("{http://www.tei-c.org/ns/1.0}") for e in document.root.iter(etree.Element))
    assert path.read_text(encoding="utf-8").startswith("<TEI><teiHeader/>")  # the source is never changed
    paragraph = document.root.find(".//{http://www.tei-c.org/ns/1.0}p")
    assert document.locate(paragraph)[1:] == (2, 13)  # located as written, without a namespace prefix
