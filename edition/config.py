"""The build's settings, read once from the command line into one frozen value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class BuildConfig:
    sources: tuple[Path, ...]
    out_dir: Path
    formats: tuple[str, ...]
    strict: bool = False
    quiet: bool = False
    force: bool = False
    apparatus: ApparatusSettings = field(default_factory=lambda: ApparatusSettings())
    index: IndexSettings = field(default_factory=lambda: IndexSettings())

    def output(self, name: str, suffix: str) -> Path:
        return self.out_dir / f"{name}{suffix}"


@dataclass(frozen=True)
class ApparatusSettings:
    """How the critical apparatus and line numbers are printed."""

    placement: str = "auto"  # "foot", "back", or "auto": foot for verse or manuscript witnesses, else back
    numbering: str = "page"  # prose lines counted on each "page", or within each numbered "section"
    interval: int = 5  # a line number in the margin every so many lines; 0 for none
    first_line: bool = False  # also number the first line of each poem or section
    series: tuple[str, ...] = ("critical",)  # apparatus series in the order their blocks are printed
    separator: str = "|"  # between entries of the apparatus
    lemma_words: int = 4  # a longer lemma is printed as its first and last word


@dataclass(frozen=True)
class IndexSettings:
    """How the indexes are printed."""

    max_locators: int = 15  # an entry cited on more pages than this is broken up by text into sub-entries; 0: never
