"""Synthetic TEI for measurements and tests: prose with a variant on about every printed line."""

from __future__ import annotations

import random

WORDS = ("arma uirumque cano Troiae qui primus ab oris Italiam fato profugus Lauiniaque uenit litora multum ille et "
         "terris iactatus et alto ui superum saeuae memorem Iunonis ob iram multa quoque et bello passus dum "
         "conderet urbem inferretque deos Latio genus unde Latinum Albanique patres atque altae moenia Romae").split()


def every_line_text(paragraphs: int = 30, words: int = 90, every: int = 8, seed: int = 9) -> str:
    """A TEI text of prose with a variant every ``every`` words (about one on every printed line), read by three
    manuscript witnesses, so its apparatus is printed at the foot."""
    chance = random.Random(seed)
    body = []
    for _ in range(paragraphs):
        parts = []
        for number in range(words):
            word = chance.choice(WORDS)
            if number % every == every // 2:
                other = chance.choice(WORDS)
                parts.append(f'<app><lem wit="#A">{word}</lem><rdg wit="#B">{other}</rdg><rdg wit="#C"/></app>')
            else:
                parts.append(word)
        body.append(f"<p>{' '.join(parts)}.</p>")
    witnesses = "".join(f'<witness xml:id="{s}" n="{s}">Codex {s}, <origDate>s. X</origDate></witness>' for s in "ABC")
    return ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Every line</title>'
            "</titleStmt><publicationStmt><p>Made for measurements.</p></publicationStmt><sourceDesc><listWit>"
            f"{witnesses}</listWit></sourceDesc></fileDesc></teiHeader><text><body><div>{''.join(body)}</div>"
            "</body></text></TEI>")


PROSE = ("the delegates returned to the question of the unions and the press while the letters from the provinces "
         "spoke of hunger and of trains that did not come and of meetings held in cold rooms late at night where "
         "every word was weighed against the next and nobody trusted the minutes").split()


def edition_of_pages(folder, pages: int, pages_per_text: int = 25, seed: int = 4) -> None:
    """A synthetic edition of about ``pages`` printed pages in ``folder``: texts of prose of about
    ``pages_per_text`` pages each, a name every 40 words or so (into a register of persons), a note every third
    paragraph, and an apparatus entry every few lines read by two printed witnesses."""
    from pathlib import Path

    folder = Path(folder)
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    chance = random.Random(seed)
    people = [f"person{number}" for number in range(60)]
    paragraphs_per_page = 3  # of 110 words, with notes and apparatus
    texts = max(1, round(pages / pages_per_text))
    for number in range(texts):
        name = f"text{number:03d}"
        body = []
        for paragraph in range(pages_per_text * paragraphs_per_page):
            parts = []
            for word in range(110):
                if word % 40 == 17:
                    who = chance.choice(people)
                    parts.append(f'<persName ref="../registers.xml#{who}">{who.title()}</persName>')
                elif word % 30 == 9:
                    parts.append(f'<app><lem wit="#{name}-a">{chance.choice(PROSE)}</lem>'
                                 f'<rdg wit="#{name}-b">{chance.choice(PROSE)}</rdg></app>')
                else:
                    parts.append(chance.choice(PROSE))
            note = f"<note>A note on paragraph {paragraph} of text {number}.</note>" if paragraph % 3 == 0 else ""
            body.append(f"<p>{' '.join(parts)}.{note}</p>")
        witnesses = "".join(f'<witness xml:id="{name}-{s}" n="{s.upper()}">A printing, {1930 + number}.</witness>'
                            for s in "ab")
        (folder / "texts" / f"{name}.xml").write_text(
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{name}" xml:lang="en"><teiHeader><fileDesc><titleStmt>'
            f"<title>Text {number + 1}</title></titleStmt><publicationStmt><p>Made for measurements.</p>"
            f"</publicationStmt><sourceDesc><listWit>{witnesses}</listWit></sourceDesc></fileDesc></teiHeader>"
            f"<text><body><div><head>Text {number + 1}</head>{''.join(body)}</div></body></text></TEI>",
            encoding="utf-8")
    persons = "".join(f'<person xml:id="{who}"><persName>{who.title()}</persName></person>' for who in people)
    (folder / "registers.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="registers"><teiHeader><fileDesc><titleStmt><title>Persons'
        "</title></titleStmt><publicationStmt><p>Made for measurements.</p></publicationStmt><sourceDesc><p>None.</p>"
        f"</sourceDesc></fileDesc></teiHeader><text><body><listPerson>{persons}</listPerson></body></text></TEI>",
        encoding="utf-8")
    items = "".join(f'<item><ptr target="texts/text{number:03d}.xml"/></item>' for number in range(texts))
    (folder / "edition.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="scale" xml:lang="en"><teiHeader><fileDesc><titleStmt>'
        f"<title>A synthetic edition of {pages} pages</title><editor>The benchmarks</editor></titleStmt>"
        "<publicationStmt><p>Made for measurements.</p></publicationStmt><sourceDesc><p>None.</p></sourceDesc>"
        f'</fileDesc></teiHeader><text><body><div type="part"><list type="texts">{items}</list></div></body>'
        "</text></TEI>", encoding="utf-8")
