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
