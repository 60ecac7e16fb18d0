"""The critical apparatus: the lemma is printed in the text; the entry (readings, sigla, notes) is collected."""

from __future__ import annotations

from ... import XML_ID, local_name, tei
from ..book import TextualEntry
from ..html import WORD_JOINER, add_element
from ..plain import plain_text
from ..registry import Display, generic, handles, omitted

generic("lem", "rdg", "rdgGrp", display=Display.INLINE)
omitted("witDetail", "listWit")


@handles("app", display=Display.INLINE)
def app(walk, source, parent):
    lemma = source.find(tei("lem"))
    anchor = source.get(XML_ID) or walk.new_id("a")
    element = add_element(parent, "span", "lemma")
    element.set("id", anchor)
    if lemma is not None:
        walk.children(lemma, element)
    if not (element.text or len(element)):
        element.set("data-empty", "true")
        element.text = WORD_JOINER
    readings = []
    for reading in source.iter(tei("rdg")):
        sigla = " ".join(walk.state.siglum_of(w) for w in (reading.get("wit") or "").split())
        readings.append((plain_text(reading) or "om.", sigla))
    lemma_sigla = ""
    if lemma is not None and lemma.get("wit"):
        lemma_sigla = " ".join(walk.state.siglum_of(w) for w in lemma.get("wit").split())
    entry = TextualEntry("variant", anchor, walk.text_id, plain_text(lemma) if lemma is not None else "",
                         readings, lemma_sigla)
    walk.state.textual.append(entry)
    comments = [plain_text(n, skip=()) for n in source.iter(tei("note"))
                if not any(local_name(a) == "lem" for a in n.iterancestors())]
    entry.comment = " ".join(c for c in comments if c)
