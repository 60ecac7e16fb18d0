"""The EPUB: EPUBCheck-clean, notes that pop up, a linked index, the print edition's pages, reproducible."""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree

from conftest import SHARED, build_once, epubcheck_messages, shared_path

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"

pytestmark = pytest.mark.slow


class Epub:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        self.docs = {n.split("/", 1)[1]: etree.fromstring(self.zip.read(n)) for n in self.zip.namelist()
                     if n.endswith(".xhtml")}
        self.opf = etree.fromstring(self.zip.read("EPUB/content.opf"))

    def element(self, href: str, base: str):
        name, _, ident = href.partition("#")
        doc = self.docs[name or base]
        return doc.xpath(f'//*[@id="{ident}"]')[0] if ident else doc


@pytest.fixture(scope="module")
def book(serge_build):
    return Epub(serge_build.outputs["epub"])


def test_epubcheck_reports_nothing(serge_build):
    assert epubcheck_messages(serge_build.outputs["epub"]) == []


def test_two_builds_are_byte_identical(serge_build, tmp_path):
    """Built again, and built alone from the PDF's layout file as `make epub` does: the same bytes."""
    from conftest import TEI
    from edition.build import build_edition
    from edition.config import BuildConfig

    out = serge_build.outputs["epub"].parent
    again = tmp_path / "again"
    again.mkdir()
    (again / "serge-edition.layout.json").write_bytes((out / "serge-edition.layout.json").read_bytes())
    result = build_edition(BuildConfig(sources=(TEI,), out_dir=again, formats=("epub",), quiet=True))
    assert result.outputs["epub"].read_bytes() == serge_build.outputs["epub"].read_bytes()


def test_page_list_covers_every_printed_page_the_epub_carries(book, serge_build):
    """Every page of the PDF in order, front matter in roman, body and back matter, blank pages with the next
    page's marker; left out only the pages whose matter the EPUB does not carry: the half-title (the title page
    repeats it) and the printed contents (the navigation document does its work)."""
    from pypdf import PdfReader

    from conftest import pdf_pages_text

    nav = book.docs["nav.xhtml"]
    entries = nav.xpath('//x:nav[@epub:type="page-list"]//x:a', namespaces=NS)
    labels = PdfReader(str(serge_build.outputs["pdf"])).page_labels
    pages = pdf_pages_text(serge_build.outputs["pdf"])
    title = serge_build.book.metadata.title
    not_carried = {label for label, text in zip(labels, pages, strict=True)
                   if text == title or text.startswith("Contents Introduction")}
    assert not_carried == {s["page"] for s in serge_build.layout.page_starts
                           if s.get("anchor") in ("half-title", "contents")} == {"i", "v"}
    assert [a.text for a in entries] == [label for label in labels if label not in not_carried]
    assert {"ii", "xviii", "1", str(serge_build.layout.body_pages), labels[-1]} <= {a.text for a in entries}
    for anchor in entries:
        marker = book.element(anchor.get("href"), "nav.xhtml")
        assert marker.get(EPUB_TYPE) == "pagebreak" and marker.get("aria-label") == anchor.text
    spine = [i.get("idref") for i in book.opf.xpath("//opf:itemref", namespaces=NS)]
    files = {i.get("id"): i.get("href") for i in book.opf.xpath("//opf:item", namespaces=NS)}
    in_reading_order = [m.get("aria-label") for ref in spine if files[ref] != "nav.xhtml"
                        for m in book.docs[files[ref]].xpath('//x:span[@epub:type="pagebreak"]', namespaces=NS)]
    assert in_reading_order == [a.text for a in entries]
    source = book.opf.xpath('//opf:meta[@property="pageBreakSource"]', namespaces=NS)
    assert source and source[0].text
    assert not [d for d in serge_build.diagnostics if d.rule == "page-unplaced"]


def test_page_markers_stand_where_the_printed_page_begins(book, serge_build):
    """The words after each marker are the first words of that page in the PDF, in every part of the book."""
    from pypdf import PdfReader

    from conftest import pdf_pages_text

    pages = pdf_pages_text(serge_build.outputs["pdf"])
    labels = PdfReader(str(serge_build.outputs["pdf"])).page_labels
    hits, missed, where = 0, [], set()
    for doc in book.docs.values():
        for marker in doc.xpath('//x:span[@epub:type="pagebreak"]', namespaces=NS):
            following = " ".join("".join(marker.xpath("following::text()[position() < 40]")).split())[:40]
            page = pages[labels.index(marker.get("aria-label"))]
            if not following.strip() or not page.strip():
                continue  # a blank page's marker stands with the next page's
            words = [w.strip("“”‘’\"'([.,") for w in following.split()[:3]]
            # a page may begin inside a hyphenated word: its marker stands before the whole word
            if page.startswith(words[0][:6]) or any(w[:6] and w[:6] in page[:120] for w in words[1:]):
                hits += 1
                where.add("front" if not marker.get("aria-label").isdigit() else
                          "body" if int(marker.get("aria-label")) <= serge_build.layout.body_pages else "back")
            else:
                missed.append((marker.get("aria-label"), following, page[:40]))
    assert where == {"front", "body", "back"}
    assert hits > 150 and len(missed) / (hits + len(missed)) < 0.03, missed


def test_notes_are_footnotes_with_back_links(book, serge_build):
    refs = [a for doc in book.docs.values() for a in doc.xpath('//x:a[@epub:type="noteref"]', namespaces=NS)]
    assert len(refs) == len(serge_build.book.notes)
    for name, doc in book.docs.items():
        for ref in doc.xpath('//x:a[@epub:type="noteref"]', namespaces=NS):
            aside = book.element(ref.get("href"), name)
            assert aside.tag == f"{{{NS['x']}}}aside" and aside.get(EPUB_TYPE) == "footnote"
            assert aside.get("role") == "doc-footnote" and ref.get("role") == "doc-noteref"
            back = aside.xpath('.//x:a[@role="doc-backlink"]', namespaces=NS)[0]
            assert book.element(back.get("href"), name) is ref
    editorial = [r for r in refs if "editor" in r.get("class")]
    assert editorial and all(re.fullmatch(r"[a-z]+", r.text) for r in editorial)


def test_index_locators_link_to_an_occurrence_of_the_name(book):
    checked = 0
    for name in ("index-names.xhtml", "index-works.xhtml"):
        doc = book.docs[name]
        assert doc.xpath('//*[@epub:type="index"]', namespaces=NS)
        for entry in doc.xpath('//x:li[@epub:type="index-entry"]', namespaces=NS):
            term = entry.xpath('x:span[@epub:type="index-term"]', namespaces=NS)[0]
            for locator in entry.xpath('x:a[@epub:type="index-locator"]', namespaces=NS):
                target = book.element(locator.get("href"), name)
                assert target.get("data-ref") and re.fullmatch(r"\d+n?(–\d+)?|[ivxlc]+n?", locator.text)
                words = " ".join(target.itertext())
                assert words.strip(), (term.text, locator.get("href"))
                checked += 1
    assert checked > 500


def test_long_runs_of_locators_are_broken_up_by_text(book):
    """Stalin, Trotsky, Lenin (over 40 locators each) as sub-entries, one per text naming them; no entry of any
    index prints a longer run of locators than the threshold."""
    from edition.config import IndexSettings

    most = IndexSettings().max_locators
    doc = book.docs["index-names.xhtml"]
    for ident in ("stalin", "trotsky", "lenin"):
        entry = doc.xpath(f'//x:li[@id="idx-{ident}"]', namespaces=NS)[0]
        assert not entry.xpath('x:a[@epub:type="index-locator"]', namespaces=NS)
        subentries = entry.xpath('x:ul[@epub:type="index-entry-list"]/x:li[@epub:type="index-entry"]', namespaces=NS)
        terms = [s.xpath('x:span[@epub:type="index-term"]', namespaces=NS)[0].text for s in subentries]
        assert len(terms) > 3 and all(t.startswith("in ") for t in terms), terms
        assert sum(len(s.xpath('x:a[@epub:type="index-locator"]', namespaces=NS)) for s in subentries) > most
    indexes = [name for name in book.docs if name.startswith("index-")]
    assert len(indexes) == 4  # names, works, places, organisations
    for name in indexes:
        for entry in book.docs[name].xpath('//x:li[@epub:type="index-entry"]', namespaces=NS):
            assert len(entry.xpath('x:a[@epub:type="index-locator"]', namespaces=NS)) <= most, entry.get("id")


def test_textual_notes_link_both_ways_and_carry_the_print_keys(book, serge_build):
    for name in ("emendations.xhtml", "textual-notes.xhtml"):
        doc = book.docs[name]
        entries = doc.xpath('//x:p[@class="entry"]', namespaces=NS)
        assert len(entries) > 30
        for entry in entries:
            lemma = entry.xpath('.//x:a[@class="app-lemma"]', namespaces=NS)[0]
            target = book.element(lemma.get("href"), name)
            # inside the lemma, or (a lemma holding links of its own) the sign right after it
            forward = target.xpath('.//x:a[@class="to-textual-note"] | following-sibling::*[1]', namespaces=NS)[0]
            assert forward.get("href").endswith("#" + entry.get("id"))
            key = entry.xpath('.//x:b[@class="app-key"]', namespaces=NS)[0].text
            assert key == serge_build.layout.keys.get(entry.get("id").removeprefix("tn-"), key)
            assert re.fullmatch(r"[ivxl]+|\d+\.\d+(–\d+)?( n\. [a-z0-9]+)?|\d+ n\. [a-z0-9]+", key), key


def test_accessibility_metadata(book):
    props = {m.get("property"): m.text for m in book.opf.xpath("//opf:meta[@property]", namespaces=NS)}
    for required in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                     "schema:accessibilityHazard", "schema:accessibilitySummary"):
        assert required in props
    features = {m.text for m in book.opf.xpath('//opf:meta[@property="schema:accessibilityFeature"]', namespaces=NS)}
    assert {"tableOfContents", "index", "printPageNumbers", "pageNavigation"} <= features
    cover = book.docs["cover.xhtml"].xpath("//x:img", namespaces=NS)[0]
    assert cover.get("alt", "").startswith("Cover:")


# --- what Ace by DAISY found (it cannot run in CI): each finding, checked here on the built EPUB ------------

XHTML_BLOCKS = {"p", "li", "dd", "dt", "div", "blockquote", "section", "aside", "header", "footer", "nav", "body",
                "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption"}
NOT_COLOUR = ("font-size", "font-style", "font-weight", "vertical-align")


class Stylesheet:
    """The declarations of a CSS file that apply to an element: a small cascade (specificity, then order)."""

    def __init__(self, css: str):
        import cssselect2
        import tinycss2

        self.matcher = cssselect2.Matcher()
        for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
            if rule.type != "qualified-rule":
                continue
            declarations = {d.lower_name: tinycss2.serialize(d.value).strip()
                            for d in tinycss2.parse_declaration_list(rule.content, True, True)
                            if d.type == "declaration"}
            for selector in cssselect2.compile_selector_list(rule.prelude):
                if selector.pseudo_element is None:
                    self.matcher.add_selector(selector, declarations)

    def declared(self, wrapper) -> dict[str, str]:
        found: dict[str, str] = {}
        for _, _, _, declarations in sorted(self.matcher.match(wrapper) or [], key=lambda m: (m[0], m[1])):
            found.update(declarations)
        return found

    def inherited(self, wrapper, name: str) -> str:
        while wrapper is not None:
            value = self.declared(wrapper).get(name)
            if value is not None:
                return value
            wrapper = wrapper.parent
        return "initial"


def non_colour_cue(sheet: Stylesheet, link, block) -> str | None:
    """What sets a link apart from its block other than colour (WCAG 1.4.1), as axe's link-in-text-block reads it."""
    own = sheet.declared(link)
    decoration = own.get("text-decoration-line", own.get("text-decoration", "none"))
    if decoration.split()[0] not in ("none", "initial"):
        return f"text-decoration: {decoration}"
    border = own.get("border-bottom-style", own.get("border-bottom", "none"))
    if any(style in border.split() for style in ("solid", "dotted", "dashed", "double")):
        return f"border-bottom: {border}"
    for name in NOT_COLOUR:
        if sheet.inherited(link, name) != sheet.inherited(block, name):
            return f"{name}: {sheet.inherited(link, name)}"
    return None


def is_block(sheet: Stylesheet, wrapper) -> bool:
    return wrapper.local_name in XHTML_BLOCKS or sheet.declared(wrapper).get("display") == "block"


def inline_text(sheet: Stylesheet, block, link) -> str:
    """The text of ``block`` on the lines the link stands in: without the link, without nested blocks."""
    text = block.etree_element.text or ""
    for child in block.iter_children():
        if child.etree_element is not link.etree_element and not is_block(sheet, child):
            text += inline_text(sheet, child, link)
        text += child.etree_element.tail or ""
    return text


def links_told_apart_by_colour_only(css: str, docs: dict) -> list[tuple[str, str, str]]:
    """(document, href, text) of each link whose block holds other text and that nothing but colour sets apart."""
    import cssselect2

    sheet = Stylesheet(css)
    found = []
    for name, doc in docs.items():
        for wrapper in cssselect2.ElementWrapper.from_xml_root(doc).iter_subtree():
            element = wrapper.etree_element
            if element.tag != f"{{{NS['x']}}}a" or not element.get("href") or not "".join(element.itertext()).strip():
                continue
            block = wrapper.parent
            while block is not None and not is_block(sheet, block):
                block = block.parent
            if inline_text(sheet, block, wrapper).strip() and non_colour_cue(sheet, wrapper, block) is None:
                found.append((name, element.get("href"), "".join(element.itertext())))
    return found


def test_links_in_text_are_told_apart_by_more_than_colour(book):
    """Ace (axe's link-in-text-block, WCAG 1.4.1): every link whose block holds other text is underlined, bordered
    or set in another size or style; the reader's colours alone would not show it."""
    css = book.zip.read("EPUB/styles/epub.css").decode("utf-8")
    found = links_told_apart_by_colour_only(css, book.docs)
    assert found == [], (len(found), found[:5])


def test_link_check_finds_a_link_told_apart_by_colour_only():
    page = etree.fromstring(f'<html xmlns="{NS["x"]}"><body><p>See <a href="#x" class="xref">there</a> and '
                            '<a href="#y" class="noteref">1</a>.</p><ul><li><a href="#z">alone</a></li></ul>'
                            "</body></html>")
    css = "a { text-decoration: none; } a.noteref { font-size: 0.75em; }"
    assert links_told_apart_by_colour_only(css, {"t.xhtml": page}) == [("t.xhtml", "#x", "there")]
    assert links_told_apart_by_colour_only(css + " a.xref { border-bottom: 1px dotted; }", {"t.xhtml": page}) == []


def test_the_package_declares_its_language(book):
    """Ace (epub-lang): xml:lang on the OPF's package, the book's language."""
    language = book.opf.xpath("//dc:language", namespaces={"dc": "http://purl.org/dc/elements/1.1/"})[0].text
    assert language and book.opf.get("{http://www.w3.org/XML/1998/namespace}lang") == language


def test_foreign_passages_carry_their_language(book):
    langs = {e.get("lang") for doc in book.docs.values() for e in doc.iter() if isinstance(e.tag, str) and e.get("lang")}
    assert {"en", "fr"} <= langs


FOREIGN = sorted(SHARED.glob("foreign-tei/*/*.xml")) if SHARED.exists() else []


@pytest.mark.parametrize("source", FOREIGN, ids=lambda p: p.parent.name)
def test_foreign_tei_builds_and_passes_epubcheck(tmp_path_factory, source):
    shared_path("foreign-tei")
    result = build_once(tmp_path_factory, source.parent.name, [source], force=True)
    assert set(result.outputs) == {"pdf", "epub"}
    assert epubcheck_messages(result.outputs["epub"]) == []
    assert not [d for d in result.diagnostics if d.rule == "note-displaced"]


def test_foreign_tei_present_or_skipped_visibly():
    if not FOREIGN:
        pytest.skip("../shared/foreign-tei is absent: the foreign TEI builds were not tried")
    assert len(FOREIGN) == 4
