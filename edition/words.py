"""The edition's own words (headings, 'see', 'Edited by', month names) in the language of its matter, read from
``words.toml``: a table a language, every language with every key."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("words.toml")
DEFAULT = "en"


@dataclass(frozen=True)
class Words:
    contents: str
    part: str
    edited_by: str
    published_by: str
    version: str
    of_date: str
    sources: str
    sources_note: str
    witnesses: str
    witnesses_note: str
    textual_notes: str
    textual_notes_note: str
    emendations: str
    emendations_note: str
    apparatus: str
    notes: str
    editorial_notes: str
    translator_note: str
    see: str
    in_text: str  # the heading of a sub-entry for one text, "{title}" standing for its author and title
    in_front: str  # the same for the editors' own matter (introduction, principles)
    index_titles: tuple[tuple[str, str], ...]
    months: tuple[str, ...]
    copyright: str
    title_page: str
    start_of_texts: str
    print_pages: str
    note_back: str  # "{label}" stands for the note's call
    editorial_note_back: str
    subject: str
    textual_notes_epub: str
    emendations_epub: str
    cover: str
    by: str
    landmarks: str
    figure: str  # names a figure whose image cannot be shown: "[Figure: a map of the city]"

    def index_title(self, kind: str) -> str:
        return dict(self.index_titles)[kind]


@lru_cache(maxsize=1)
def languages() -> dict[str, Words]:
    """Every language's words, each table checked to have exactly the keys of ``Words``."""
    with WORDS_FILE.open("rb") as handle:
        tables = tomllib.load(handle)
    names = {f.name for f in fields(Words)}
    found = {}
    for tag, table in tables.items():
        if set(table) != names:
            raise ValueError(f"{WORDS_FILE.name} [{tag}]: missing {sorted(names - set(table))}, "
                             f"unknown {sorted(set(table) - names)}")
        found[tag] = Words(**{**table, "index_titles": tuple(table["index_titles"].items()),
                              "months": tuple(table["months"])})
    return found


@lru_cache(maxsize=8)
def words_for(language: str) -> Words:
    """The words of a language by its tag ("de", "de-AT"); English where the edition's language has none."""
    known = languages()
    return known.get(language.split("-")[0].split("_")[0].lower(), known[DEFAULT])
