"""Characters outside Unicode: a <g> prints what it holds, else the character its declaration maps it to, else a
placeholder that is reported."""

from __future__ import annotations

from conftest import body_html, model_of

DECLARATIONS = (
    '<encodingDesc><charDecl>'
    '<glyph xml:id="et"><localProp name="Name" value="TIRONIAN SIGN ET"/><mapping type="standard">und</mapping>'
    '</glyph>'
    '<char xml:id="r-rot"><mapping type="Unicode">ꝛ</mapping><mapping type="normalized">r</mapping></char>'
    '<char xml:id="private"><mapping type="PUA">\ue000</mapping><mapping>x</mapping></char>'
    '<glyph xml:id="flourish"><localProp name="Name" value="FLOURISH"/></glyph>'
    '</charDecl></encodingDesc>'
)


def test_an_empty_g_prints_the_mapping_its_declaration_prefers(tmp_path):
    book = model_of(tmp_path, '<p>a <g ref="#et"/> b <g ref="#r-rot"/> c <g ref="#private"/> d <g>ſ</g></p>',
                    header=DECLARATIONS)
    assert body_html(book) == (
        '<p class="p">a <span class="g" data-ref="#et">und</span> b <span class="g" data-ref="#r-rot">r</span> '
        'c <span class="g" data-ref="#private">x</span> d <span class="g">ſ</span></p>')
    assert book.warnings == []


def test_a_g_nothing_maps_is_a_placeholder_reported_once_per_reference(tmp_path):
    book = model_of(tmp_path, '<p><g ref="#flourish"/> <g ref="#flourish"/> <g ref="#nowhere"/></p>',
                    header=DECLARATIONS)
    assert " ".join("".join(book.texts[0].section.itertext()).split()) == "[FLOURISH] [FLOURISH] [?]"
    source = (tmp_path / "t.xml").read_text(encoding="utf-8")
    assert [(w.rule, w.column) for w in book.warnings] == [
        ("render-placeholder", source.index('<g ref="#flourish"') + 1),
        ("render-placeholder", source.index('<g ref="#nowhere"') + 1)]
    assert "maps it to no character" in book.warnings[0].message
    assert "nothing declares it" in book.warnings[1].message
