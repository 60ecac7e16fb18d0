"""A model document given to WeasyPrint as the tree an HTML5 parser builds from it: the same tree where it is
made directly, and parsed wherever the parser would build another."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import tinyhtml5
from lxml import etree, html

from edition.write.html5 import parsed_tree


def _parsed(source: str) -> bytes:
    return ET.tostring(tinyhtml5.parse("<!DOCTYPE html>" + source, namespace_html_elements=False))


def _tree(source: str):
    """The model tree as written (an HTML parser would already change some of these)."""
    return etree.fromstring(source)


def _made(source: str) -> bytes | None:
    tree = parsed_tree(_tree(source))
    return ET.tostring(tree) if tree is not None else None


PLAIN = [
    # the kinds of document the writers make: a text with notes and links, a witness list, a table, an index
    '<html lang="en"><head><title>T &amp; U</title><meta name="author" content="A &lt;B&gt;"/></head>'
    '<body class="body-matter"><article id="t1" data-part="P"><h1 class="text-title">Title <i>it</i></h1>'
    '<p>Some <span class="persName" data-ref="#p1">Name</span>, a <a href="#n1" class="note-call">1</a>'
    '<span class="fn" id="n1">A note with <em>emphasis</em> and a<br/>break.</span> and more\u00a0text.</p>'
    '<blockquote><p>Quoted</p></blockquote>\n<ul><li>one</li> <li>two <b>bold</b></li></ul>'
    '<dl><dt>A</dt><dd><span class="siglum">A</span> Codex</dd></dl>'
    '<table><caption>Cap</caption><tbody>\n<tr><th>h</th><td>d <i>i</i></td></tr></tbody></table>'
    '<figure><img src="x.png" alt="x"/><figcaption>Fig.</figcaption></figure></article></body></html>',
    # an overlay page: no head (the parser makes an empty one)
    '<html lang="en"><body class="overlay"><div class="overlay-page" style="height: 8px">'
    '<span class="ln" data-baseline="3.5">5</span></div></body></html>',
]

# documents an HTML5 parser builds otherwise than they are written
CHANGED = [
    "<html><head></head><body><p>a <div>block</div> b</p></body></html>",  # a block closes the paragraph
    "<html><head></head><body><p>a <ul><li>x</li></ul></p></body></html>",
    "<html><head></head><body><p>a <table><tbody><tr><td>x</td></tr></tbody></table></p></body></html>",
    "<html><head></head><body><table><tr><td>x</td></tr></table></body></html>",  # the parser adds a tbody
    "<html><head></head><body><table><tbody><tr><td>x</td></tr>text</tbody></table></body></html>",  # moved
    '<html><head></head><body><a href="#a">a <a href="#b">b</a></a></body></html>',  # a link in a link
    "<html><head></head><body><pre>\nline</pre></body></html>",  # its first newline is dropped
    "<html><head></head><body><p><svg><circle r='1'/></svg></p></body></html>",  # in the SVG namespace
    "<html><head></head><body><p>a<!-- c -->b</p></body></html>",
    "<html><head></head><body><p colSpan='2'>a</p></body></html>",  # a name the parser lowercases
]
# documents it builds as written, parsed all the same: the rules are kept simple and on the safe side
PARSED_ALL_THE_SAME = [
    "<html><head></head><body><div><li>x</li></div></body></html>",  # a list item out of a list
    "<html><head></head><body><h2>a <span><h3>b</h3></span></h2></body></html>",
    "<html><head></head><body><p>a&#13;b</p></body></html>",  # a carriage return
    "<html><head></head><body><p>a <select><option>x</option></select></p></body></html>",  # not of the kind
    "<html><head><style>p {}</style></head><body><p>a</p></body></html>",
]


@pytest.mark.parametrize("source", PLAIN)
def test_a_plain_document_is_the_tree_the_parser_builds(source):
    assert _made(source) is not None
    assert _made(source) == _parsed(html.tostring(_tree(source), encoding="unicode"))


@pytest.mark.parametrize("source", CHANGED + PARSED_ALL_THE_SAME)
def test_a_document_the_parser_could_build_otherwise_is_parsed(source):
    assert parsed_tree(_tree(source)) is None


@pytest.mark.parametrize("source", CHANGED)
def test_the_parser_does_build_those_otherwise(source):
    assert _parsed(html.tostring(_tree(source), encoding="unicode")) != ET.tostring(ET.fromstring(source))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["serge", "mini", "Propertius-1-15.xml", "LL1_16.xml",
                                  "pta0013.pta003.pta-grc1.xml", "let695.xml"])
def test_every_document_of_a_book_made_directly_is_the_parsed_tree(name, tmp_path, monkeypatch, request):
    from conftest import shared_path
    from edition.build import build_edition
    from edition.config import BuildConfig
    from edition.write import weasy

    if name == "serge":
        from conftest import TEI as source
    elif name == "mini":
        source = request.getfixturevalue("mini_edition")
    else:
        source = next(shared_path("foreign-tei").glob(f"*/{name}"))
    made = []
    taken = weasy.Renderer.html_document

    def compared(renderer, root):
        tree = parsed_tree(root)
        if tree is not None:
            made.append(ET.tostring(tree) == _parsed(html.tostring(root, encoding="unicode")))
        return taken(renderer, root)

    monkeypatch.setattr(weasy.Renderer, "html_document", compared)
    result = build_edition(BuildConfig(sources=(source,), out_dir=tmp_path / "out", formats=("pdf",), quiet=True,
                                       force=True, processes=1))
    assert "pdf" in result.outputs
    assert len(made) >= 3 and all(made), made  # the front, each text or part, the back, the overlays
