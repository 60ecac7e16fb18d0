"""Every TEI file is checked against the TEI's schemas, offline: catalogue, messages, settings, TEI Lite."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from conftest import TEI
from edition.check.catalogue import PUBLISHED, SchemaChoice, SchemaSettings, published_for
from edition.check.schema import check_document, validate
from edition.load import load_document

TEI_ALL_URL = "http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
HEADER = """<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>"""


def tei_file(tmp_path: Path, body: str, model: str | None = TEI_ALL_URL, name: str = "letter.xml") -> Path:
    pi = f'<?xml-model href="{model}" schematypens="http://relaxng.org/ns/structure/1.0"?>\n' if model else ""
    path = tmp_path / name
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{pi}<TEI xmlns="http://www.tei-c.org/ns/1.0">\n'
                    f"{HEADER}\n<text><body>\n{body}\n</body></text>\n</TEI>\n", encoding="utf-8")
    return path


def diagnostics(run, path: Path) -> list[dict]:
    result = run("validate", "--format", "json", path)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["diagnostics"]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_misspelt_element_in_a_file_naming_tei_all_by_url_is_found_offline(run, tmp_path, no_network):
    path = tei_file(tmp_path, '<p>Written by <persname>Bellini</persname>.</p>')
    found = diagnostics(run, path)
    assert [(d["rule"], d["line"], d["column"]) for d in found] == [("schema", 7, 15)]
    assert "<persname> is not an element of TEI P5 4.11.0 tei_all; did you mean <persName>?" in found[0]["message"]


@pytest.mark.parametrize("url, key", [
    (TEI_ALL_URL, "tei_all"),
    ("https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng", "tei_all"),
    ("https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_lite.rng", "tei_lite"),
    ("http://www.tei-c.org/Vault/P5/4.9.0/xml/tei/custom/schema/relaxng/tei_all.rng", "tei_all"),
    ("https://www.tei-c.org/Vault/P5/current/xml/tei/custom/schema/relaxng/tei_lite.rnc", "tei_lite"),
    ("https://jenkins.tei-c.org/job/TEIP5/lastSuccessfulBuild/artifact/P5/release/xml/tei/custom/schema/relaxng/tei_all.rng", "tei_all"),
    ("https://www.tei-c.org.example.com/release/xml/tei/custom/schema/relaxng/tei_all.rng", None),
    ("https://xmlschema.huygens.knaw.nl/vgodd.rng", None),
    ("https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_speech.rng", None),
])
def test_the_teis_schema_urls_map_to_the_shipped_copies(url, key):
    found = published_for(url)
    assert (found.key if found else None) == key


def test_shipped_schemas_are_package_data():
    for schema in PUBLISHED.values():
        assert schema.path.is_file() and schema.path.parent.name == "schemas"
        assert "edition" in schema.path.parts
    assert (PUBLISHED["tei_all"].path.parent / "LICENCE-TEI.txt").is_file()


def test_a_file_naming_no_schema_is_checked_against_tei_all(run, tmp_path):
    path = tei_file(tmp_path, '<p>Text.</p>\n<listPerson><p>a paragraph</p><person xml:id="a"/></listPerson>', model=None)
    found = [d for d in diagnostics(run, path) if d["rule"].startswith("schema")]
    # a warning, not an error: the file never claimed tei_all, and its project may allow what tei_all does not
    assert [(d["rule"], d["severity"], d["line"], d["column"]) for d in found] == [
        ("schema-unclaimed", "warning", 7, 13)]
    message = found[0]["message"]
    assert message.startswith("<p> is not allowed inside <listPerson>; <listPerson> may contain <head>")
    assert "<person>" in message


def test_an_attribute_value_is_checked_against_its_datatype(run, tmp_path):
    path = tei_file(tmp_path, '<p>On <date when="26/06/1834">26 June</date> and <ref target="a b">here</ref>.</p>')
    found = [d for d in diagnostics(run, path) if d["rule"] == "schema"]
    assert [(d["line"], d["column"]) for d in found] == [(7, 13)]
    assert '@when="26/06/1834" on <date> is not a valid value; it must be a date YYYY-MM-DD' in found[0]["message"]


def test_every_misplaced_sibling_is_reported_not_only_the_first(run, tmp_path):
    body = "<div><p>one</p><item>a</item><p>two</p><item>b</item><p>three</p><item>c</item></div>"
    found = diagnostics(run, tei_file(tmp_path, body))
    assert [(d["line"], d["column"]) for d in found] == [(7, 16), (7, 40), (7, 66)]
    assert all("<item> is not allowed inside <div>" in d["message"] for d in found)


def test_a_missing_required_part_is_reported_at_its_element(run, tmp_path):
    found = [d for d in diagnostics(run, tei_file(tmp_path, "<p><choice><sic>teh</sic></choice></p>")) if d["rule"] == "schema"]
    assert [(d["line"], d["column"]) for d in found] == [(7, 4)]
    assert found[0]["message"].startswith("<choice> is incomplete")


def test_an_unknown_project_schema_url_is_substituted_and_said_once(run, tmp_path, no_network):
    path = tei_file(tmp_path, "<p>One <persname>x</persname>.</p><p>Two <persname>y</persname>.</p>",
                    model="https://example.org/project/odd.rng")
    found = diagnostics(run, path)
    warnings = [d for d in found if d["rule"] == "schema-substituted"]
    assert len(warnings) == 1 and warnings[0]["severity"] == "warning" and warnings[0]["line"] == 2
    assert "checked against TEI P5 4.11.0 tei_all instead" in warnings[0]["message"]
    assert [d["rule"] for d in found].count("schema-unclaimed") == 2
    assert "schema" not in [d["rule"] for d in found]


def test_a_missing_local_copy_of_tei_all_is_the_shipped_one(run, tmp_path):
    path = tei_file(tmp_path, "<p><persname>x</persname></p>", model="schema/tei_all.rnc")
    assert [d["rule"] for d in diagnostics(run, path)] == ["schema"]


def test_settings_choose_the_default_and_the_substitute(tmp_path):
    unnamed = load_document(tei_file(tmp_path, "<p><persname>x</persname></p>", model=None, name="a.xml"), tmp_path)[0]
    foreign = load_document(tei_file(tmp_path, "<p><persname>x</persname></p>", model="https://example.org/x.rng",
                                     name="b.xml"), tmp_path)[0]
    assert [d.rule for d in check_document(unnamed, tmp_path)] == ["schema-unclaimed"]
    assert check_document(unnamed, tmp_path, SchemaSettings(default=None)) == []
    assert check_document(foreign, tmp_path, SchemaSettings(substitute=None)) == []
    lite = check_document(unnamed, tmp_path, SchemaSettings(default="tei_lite"))
    assert "not an element of TEI P5 4.11.0 tei_lite" in lite[0].message


def test_a_file_that_is_not_tei_is_not_checked_by_default(run, tmp_path):
    path = tmp_path / "notes.xml"
    path.write_text("<notes><note>not TEI</note></notes>", encoding="utf-8")
    assert diagnostics(run, path) == []


def test_tei_lite_refuses_what_only_tei_all_allows(run, tmp_path):
    lite = "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_lite.rng"
    fine = tei_file(tmp_path, '<p>By <name type="person">Bellini</name>, <date when="1834">1834</date>.</p>', model=lite,
                    name="fine.xml")
    assert diagnostics(run, fine) == []
    richer = tei_file(tmp_path, '<p>By <persName>Bellini</persName>, <date when-iso="1834">1834</date>.</p>', model=lite,
                      name="richer.xml")
    messages = [d["message"] for d in diagnostics(run, richer)]
    assert any(m.startswith("<persName> is not an element of TEI P5 4.11.0 tei_lite") for m in messages)
    assert any(m.startswith("attribute @when-iso is not allowed on <date>") for m in messages)
    all_ = diagnostics(run, tei_file(tmp_path, '<p>By <persName>Bellini</persName>.</p>', name="all.xml"))
    assert [d["rule"] for d in all_ if d["rule"].startswith("schema")] == []


def test_shipped_tei_lite_is_what_schemagen_derives():
    from lxml import etree

    from edition.schemagen import LITE_ELEMENTS, derive_lite

    fresh = etree.tostring(derive_lite(PUBLISHED["tei_all"].path), method="c14n")
    shipped = etree.parse(str(PUBLISHED["tei_lite"].path), etree.XMLParser(remove_blank_text=True))
    assert fresh == etree.tostring(shipped, method="c14n"), "run python -m edition.schemagen --lite"
    declared = {e.get("name") for e in shipped.iter("{http://relaxng.org/ns/structure/1.0}element")}
    assert declared == set(LITE_ELEMENTS), "an element of TEI Lite became unusable (its content requires a left-out element)"


def test_the_editions_own_schema_stays_stricter_than_tei_all(mini_edition):
    text = mini_edition / "texts" / "one.xml"
    text.write_text(text.read_text(encoding="utf-8").replace("Lenin</persName> spoke", "Lenin</persName> <cb/>spoke"),
                    encoding="utf-8")
    document = load_document(text, mini_edition)[0]
    own = check_document(document, mini_edition)
    assert [(d.rule, d.line) for d in own] == [("schema", 18)]
    assert "is not an element of this edition's schema" in own[0].message
    tei_all = SchemaChoice(PUBLISHED["tei_all"].path, PUBLISHED["tei_all"].title, own=False)
    assert validate(document, tei_all) == []


@pytest.mark.parametrize("path", sorted(TEI.glob("*/*.xml")), ids=lambda p: p.name)
def test_files_naming_the_editions_schema_are_checked_against_it(path):
    from edition.check.catalogue import choose

    if path.parent.name == "schema":
        pytest.skip("not a text")
    choice = choose(load_document(path, TEI)[0], TEI, SchemaSettings())
    assert choice.own and choice.path == TEI / "schema" / "edition.rng"


@pytest.mark.parametrize("content, line, start", [
    ('<text xmlns="http://www.tei-c.org/ns/1.0"><body><p>x</p></body></text>', 1, "<text> cannot be the root element"),
    ('<TEI xmlns="http://www.tei-c.org/ns/1.0"/>', 1,
     "<TEI> is incomplete: it requires <teiHeader> and one of <text>, <facsimile>"),
])
def test_what_libxml2_cannot_name_is_still_reported(run, tmp_path, content, line, start):
    path = tmp_path / "odd.xml"
    path.write_text(content, encoding="utf-8")
    found = diagnostics(run, path)
    assert [(d["rule"], d["line"]) for d in found] == [("schema-unclaimed", line)]
    assert found[0]["message"].startswith(start)


def test_an_empty_list_says_what_it_needs(run, tmp_path):
    found = [d for d in diagnostics(run, tei_file(tmp_path, "<listPerson/>")) if d["rule"] == "schema"]
    assert [(d["line"], d["column"]) for d in found] == [(7, 1)]
    assert found[0]["message"].startswith("<listPerson> is incomplete: it requires one of <org>, <person>")


@pytest.mark.parametrize("schema, reason", [
    ('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><include href="other.rng"/>'
     '<start><ref name="x"/></start></grammar>', "it uses <include>, and other files are not read"),
    ("not a schema", "it is not well-formed XML"),
    ('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="x"/></start></grammar>',
     'it refers to a pattern "x" it does not define'),
])
def test_a_local_schema_that_cannot_be_used_is_said_so(run, tmp_path, schema, reason):
    (tmp_path / "custom.rng").write_text(schema, encoding="utf-8")
    found = diagnostics(run, tei_file(tmp_path, "<p>x</p>", model="custom.rng"))
    assert [(d["rule"], d["line"], d["column"]) for d in found] == [("schema-missing", 2, 1)]
    assert reason in found[0]["message"]


def test_a_local_schema_with_divs_and_combined_defines_is_read(run, tmp_path):
    (tmp_path / "custom.rng").write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0">'
        '<div><start><ref name="tei"/></start></div>'
        '<define name="tei"><element name="TEI"><ref name="part"/></element></define>'
        '<define name="part"><element name="a"><empty/></element></define>'
        '<define name="part" combine="choice"><element name="b"><empty/></element></define></grammar>', encoding="utf-8")
    model = '<?xml-model href="custom.rng" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text(model + '<TEI xmlns="http://www.tei-c.org/ns/1.0"><b/></TEI>\n', encoding="utf-8")
    bad.write_text(model + '<TEI xmlns="http://www.tei-c.org/ns/1.0"><c/></TEI>\n', encoding="utf-8")
    assert diagnostics(run, good) == []
    assert [(d["line"], d["column"]) for d in diagnostics(run, bad)] == [(2, 1), (2, 42)]
