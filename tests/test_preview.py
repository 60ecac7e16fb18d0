"""The live preview: the EPUB's chapters served on 127.0.0.1, notes and apparatus linked, nothing else served, and
a new version after a save."""

from __future__ import annotations

import http.client
import json
import threading
import urllib.error
import urllib.request

import pytest
from lxml import etree

from edition.config import BuildConfig
from edition.preview import Preview, PreviewServer
from edition.watch import Session, WatchConfig

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture
def served(mini_edition, tmp_path):
    """The mini edition's preview, served on a free port; (session, server)."""
    preview = Preview()
    config = WatchConfig(BuildConfig(sources=(mini_edition,), out_dir=tmp_path / "build", formats=("pdf",)))
    session = Session(config, None, preview)
    session.start()
    server = PreviewServer(preview, 0)
    yield session, server
    server.close()


def fetch(server: PreviewServer, path: str) -> tuple[int, str, bytes]:
    """Status, content type and body of a GET, the path sent as it is (no client tidies a ``..`` away)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.getheader("Content-Type", ""), answer.read()
    finally:
        connection.close()


def status(server: PreviewServer, after: int | None = None) -> dict:
    query = "" if after is None else f"?after={after}"
    with urllib.request.urlopen(f"{server.url}_preview/status{query}", timeout=60) as answer:
        return json.load(answer)


def test_bound_to_the_loopback_only(served):
    _, server = served
    assert server.httpd.server_address[0] == "127.0.0.1" and server.url.startswith("http://127.0.0.1:")


def test_contents_page_links_every_chapter(served):
    _, server = served
    code, kind, body = fetch(server, "/")
    assert code == 200 and kind.startswith("application/xhtml+xml")
    page = etree.fromstring(body)
    hrefs = page.xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces=NS)
    assert "one.xhtml" in hrefs and "two.xhtml" in hrefs
    for href in {h.split("#")[0] for h in hrefs}:
        assert fetch(server, f"/{href}")[0] == 200, href


def test_a_chapter_has_the_epub_stylesheet_the_reload_script_and_linked_notes(served):
    _, server = served
    code, _, body = fetch(server, "/one.xhtml")
    assert code == 200
    page = etree.fromstring(body)
    assert page.xpath("//x:link[@rel='stylesheet']/@href", namespaces=NS) == ["styles/epub.css"]
    assert page.xpath("//x:script/@src", namespaces=NS) == ["/_preview/reload.js"]
    calls = page.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    assert calls
    for call in calls:
        note = page.xpath(f"//x:aside[@id='{call.get('href')[1:]}']", namespaces=NS)
        assert note and note[0].xpath(f".//x:a[@href='#{call.get('id')}']", namespaces=NS)  # and back
    code, kind, css = fetch(server, "/styles/epub.css")
    assert code == 200 and kind.startswith("text/css") and b"{" in css
    code, kind, script = fetch(server, "/_preview/reload.js")
    assert code == 200 and kind.startswith("text/javascript") and b"/_preview/status" in script


def test_the_apparatus_is_linked_both_ways(served):
    _, server = served
    text = etree.fromstring(fetch(server, "/two.xhtml")[2])
    lemma_links = text.xpath("//x:a[@class='to-textual-note']/@href", namespaces=NS)
    assert lemma_links
    name, _, ident = lemma_links[0].partition("#")
    notes = etree.fromstring(fetch(server, f"/{name}")[2])
    entry = notes.xpath(f"//*[@id='{ident}']", namespaces=NS)[0]
    back = entry.xpath(".//x:a/@href", namespaces=NS)[0]
    assert back.startswith("two.xhtml#") and text.xpath(f"//*[@id='{back.split('#')[1]}']", namespaces=NS)


@pytest.mark.parametrize("path", ["/../pyproject.toml", "/styles/../../edition/cli.py", "/%2e%2e/pyproject.toml",
                                  "/styles/%2E%2E/%2E%2E/README.md", "/..%2fpyproject.toml", "/..\\pyproject.toml"])
def test_path_traversal_is_refused(served, path):
    _, server = served
    code, _, body = fetch(server, path)
    assert code == 403 and b"[project]" not in body and b"import" not in body


@pytest.mark.parametrize("path", ["/edition.xml", "/texts/one.xml", "/registers/persons.xml", "/styles/print.css",
                                  "/images/cover.png", "/cover.xhtml"])
def test_nothing_but_the_preview_is_served(served, path):
    _, server = served
    assert fetch(server, path)[0] == 404


def test_a_page_that_names_another_host_is_refused(served):
    _, server = served
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/one.xhtml", headers={"Host": f"attacker.example:{server.port}"})
    answer = connection.getresponse()
    assert answer.status == 403 and b"spoke in" not in answer.read()
    connection.close()


def test_a_source_change_gives_a_new_version_and_the_new_page(served, mini_edition):
    session, server = served
    before = status(server)
    one = mini_edition / "texts" / "one.xml"
    one.write_text(one.read_text(encoding="utf-8").replace("spoke in", "spoke softly in"), encoding="utf-8")
    session.saved([one])
    after = status(server)
    assert after["version"] == before["version"] + 1 and after["serial"] > before["serial"]
    assert b"spoke softly in" in fetch(server, "/one.xhtml")[2]


def test_a_waiting_status_request_answers_when_the_edition_changes(served, mini_edition):
    session, server = served
    before = status(server)
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(status(server, before["serial"])))
    waiting.start()
    one = mini_edition / "texts" / "one.xml"
    one.write_text(one.read_text(encoding="utf-8").replace('ref="#lenin"', 'ref="#lenni"'), encoding="utf-8")
    session.saved([one])
    waiting.join(60)
    assert answers and answers[0]["serial"] > before["serial"]
    assert any("ref-unresolved" in problem for problem in status(server)["problems"])


def test_a_bad_status_query_is_refused(served):
    _, server = served
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server.url}_preview/status?after=soon", timeout=30)
    assert refused.value.code == 400


def test_a_browser_going_away_is_no_error_and_a_fault_is_one_line(served, capsys):
    _, server = served
    for error in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset"), ValueError("bad")):
        try:
            raise error
        except Exception:
            server.httpd.handle_error(None, ("127.0.0.1", 1))
    err = capsys.readouterr().err
    assert err == "edition: internal error in the preview: ValueError: bad\n"


@pytest.mark.slow
def test_every_link_of_the_serge_preview_reaches_a_served_page_and_id(tmp_path):
    from conftest import TEI

    preview = Preview()
    config = WatchConfig(BuildConfig(sources=(TEI,), out_dir=tmp_path / "build", formats=("pdf",)))
    Session(config, None, preview).start()
    server = PreviewServer(preview, 0)
    try:
        pages = {}
        for name in ["nav.xhtml"] + etree.fromstring(fetch(server, "/")[2]).xpath(
                "//x:nav[@epub:type='toc']//x:a/@href", namespaces=NS):
            name = name.split("#")[0]
            if name not in pages:
                code, _, body = fetch(server, f"/{name}")
                assert code == 200, name
                pages[name] = etree.fromstring(body)
        for name, page in list(pages.items()):
            for href in page.xpath("//x:a/@href", namespaces=NS):
                target, _, ident = href.partition("#")
                target = target or name
                if target not in pages:
                    code, _, body = fetch(server, f"/{target}")
                    assert code == 200, f"{href} in {name}"
                    pages[target] = etree.fromstring(body)
                assert not ident or pages[target].xpath(f"//*[@id='{ident}']"), f"{href} in {name}"
        assert len(pages) > 15 and any(page.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)
                                       for page in pages.values())
    finally:
        server.close()


def test_the_print_pages_come_from_the_last_builds_layout(mini_edition, tmp_path):
    from edition.build import book_and_indexes
    from edition.preview import render_pages
    from edition.watch import check_saved
    from edition.write.layout import Layout, write_layout

    checked = check_saved(mini_edition)
    book, _ = book_and_indexes(checked.edition, checked.settings)

    def index_pages() -> set[str]:
        pages = render_pages(checked.edition, checked.settings, tmp_path)
        names = etree.fromstring(pages["index-names.xhtml"])
        return set(names.xpath("//x:a[@epub:type='index-locator']/text()", namespaces=NS))

    assert index_pages() == set()  # no build yet: no pages to cite
    layout = Layout(["1", "2", "3", "4", "5", "6", "7"], 0, 7,
                    locators={occurrence.anchor_id: (6, "7") for occurrence in book.occurrences})
    write_layout(layout, tmp_path / f"{book.metadata.id}.layout.json")
    assert index_pages() == {"7"}
    (tmp_path / f"{book.metadata.id}.layout.json").write_text('{"labels": [', encoding="utf-8")  # being written
    assert index_pages() == set()
