"""The hardened loader: hostile and broken input becomes a located diagnostic, never a traceback or a fetch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import shared_path


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
