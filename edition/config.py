"""The settings of a build and of an edition: the command line's, and ``edition.toml``'s read once into frozen
values, every mistake in the file reported like a TEI error (``edition.toml:7:1: unknown key "trimsize"``)."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .diagnostics import Diagnostic, Severity

SETTINGS_FILE = "edition.toml"


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
class BookSettings:
    """The printed book: trim, margins, faces, size and leading."""

    trim: str = "6x9in"  # A5, A4, royal, demy, crown-quarto, or "WIDTHxHEIGHTunit" (156x234mm)
    margins: str = "0.72in 0.62in 0.85in 0.85in"  # top, outer, bottom, inner
    face: str = "fontpkg-eb-garamond"  # a fontpkg-* package, or font files in the edition's folder
    second_face: str = ""  # for scripts the first face lacks (Hebrew, Arabic, ...); same forms
    size: str = "10.5pt"  # the text's size; every other size follows it
    leading: float = 1.32  # line height, as a multiple of the size


@dataclass(frozen=True)
class LanguageSettings:
    matter: str = "en"  # the language of the edition's own words: headings, "see", "om.", month names
    collation: str = ""  # how the indexes sort (an ICU locale: "de", "el", "ru", "de@collation=phonebook");
    # empty: as the matter's language


@dataclass(frozen=True)
class NoteSeries:
    """Which notes make a series and how their calls are numbered."""

    types: tuple[str, ...] = ()  # note/@type values that belong to the series
    resp: tuple[str, ...] = ()  # note/@resp values that belong to it
    numbering: str = "numbers"  # "numbers", "letters" or "symbols" (* † ‡ § ...)
    restart: str = "text"  # numbered from 1 in each "text" (or across the whole "book")


@dataclass(frozen=True)
class NoteSettings:
    author: NoteSeries = NoteSeries()  # every note no other series takes
    editor: NoteSeries = NoteSeries(types=("editorial",), numbering="letters")


@dataclass(frozen=True)
class IndexSettings:
    registers: tuple[str, ...] = ()  # the registers that get an index, in order; empty: every one the edition has
    titles: tuple[tuple[str, str], ...] = ()  # (register kind, title) where the default title will not do
    max_locators: int = 15  # an entry cited on more pages than this is broken up by text into sub-entries; 0: never

    def title(self, kind: str) -> str | None:
        return dict(self.titles).get(kind)


@dataclass(frozen=True)
class SchemaDefaults:
    default: str = "tei_all"  # the schema of files that name none: "tei_all", "tei_lite" or "none"
    substitute: str = "tei_all"  # of files naming a schema this package does not have; or "none"


@dataclass(frozen=True)
class EditionSettings:
    """Everything ``edition.toml`` may set; the defaults make a book of most editions with no file at all."""

    book: BookSettings = BookSettings()
    language: LanguageSettings = LanguageSettings()
    notes: NoteSettings = NoteSettings()
    indexes: IndexSettings = IndexSettings()
    apparatus: ApparatusSettings = ApparatusSettings()
    schema: SchemaDefaults = SchemaDefaults()
    path: Path | None = None  # the file they were read from


@dataclass(frozen=True)
class BuildConfig:
    sources: tuple[Path, ...]
    out_dir: Path
    formats: tuple[str, ...]
    strict: bool = False
    quiet: bool = False
    force: bool = False
    settings: EditionSettings | None = None  # None: read from the edition's own edition.toml
    processes: int | None = None  # worker processes for the PDF's layout; None: one per core

    def output(self, name: str, suffix: str) -> Path:
        return self.out_dir / f"{name}{suffix}"


# --- reading edition.toml -------------------------------------------------------------------

_SECTIONS = {"book": BookSettings, "language": LanguageSettings, "notes": NoteSettings, "indexes": IndexSettings,
             "apparatus": ApparatusSettings, "schema": SchemaDefaults}
_CHOICES = {
    ("apparatus", "placement"): ("auto", "foot", "back"),
    ("apparatus", "numbering"): ("page", "section"),
    ("notes", "numbering"): ("numbers", "letters", "symbols"),
    ("notes", "restart"): ("text", "book"),
    ("schema", "default"): ("tei_all", "tei_lite", "none"),
    ("schema", "substitute"): ("tei_all", "tei_lite", "none"),
    ("indexes", "registers"): ("person", "work", "place", "org"),
}
TRIMS = {"a4": ("210mm", "297mm"), "a5": ("148mm", "210mm"), "b5": ("176mm", "250mm"),
         "royal": ("156mm", "234mm"), "demy": ("138mm", "216mm"), "crown-quarto": ("189mm", "246mm"),
         "us-trade": ("6in", "9in")}
_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|px)$")


class SettingsReader:
    """Reads one edition.toml, collecting a located diagnostic for each mistake and keeping the defaults there."""

    def __init__(self, path: Path, display: str):
        self.path = path
        self.display = display
        self.source = ""
        self.diagnostics: list[Diagnostic] = []

    def read(self) -> EditionSettings:
        try:
            self.source = self.path.read_text(encoding="utf-8")
            data = tomllib.loads(self.source)
        except UnicodeDecodeError:
            self.error(1, 1, "settings-invalid", "edition.toml is not UTF-8; save it as UTF-8")
            return EditionSettings(path=self.path)
        except tomllib.TOMLDecodeError as error:
            line, column = _position(str(error))
            self.error(line, column, "settings-invalid", f"not valid TOML: {str(error).split(' (at')[0]}")
            return EditionSettings(path=self.path)
        except OSError as error:
            self.error(0, 0, "settings-invalid", f"cannot read edition.toml: {error.strerror or error}")
            return EditionSettings(path=self.path)
        settings = EditionSettings(path=self.path)
        for section, values in data.items():
            if section not in _SECTIONS:
                self.unknown(section, list(_SECTIONS), section=None)
                continue
            if not isinstance(values, dict):
                self.error(*self.where(section, None), "settings-invalid", f"[{section}] must be a table of keys")
                continue
            settings = replace(settings, **{section: self.section(section, values)})
        return settings

    def section(self, name: str, values: dict):
        kind = _SECTIONS[name]
        if name == "notes":
            return self.notes(values)
        known = {f.name: f for f in fields(kind)}
        chosen = {}
        for key, value in values.items():
            if key not in known:
                self.unknown(key, list(known), section=name)
                continue
            if name == "indexes" and key == "titles":
                checked = self.titles(value)
            else:
                checked = self.value(name, key, value, getattr(kind(), key))
            if checked is not None:
                chosen[key] = checked
        return replace(kind(), **chosen)

    def notes(self, values: dict) -> NoteSettings:
        series = {}
        for name, table in values.items():
            if name not in ("author", "editor"):
                self.unknown(name, ["author", "editor"], section="notes")
                continue
            if not isinstance(table, dict):
                self.error(*self.where(name, "notes"), "settings-invalid", f"[notes.{name}] must be a table of keys")
                continue
            known = {f.name for f in fields(NoteSeries)}
            chosen = {}
            for key, value in table.items():
                if key not in known:
                    self.unknown(key, sorted(known), section=f"notes.{name}")
                    continue
                checked = self.value("notes", key, value, getattr(getattr(NoteSettings(), name), key),
                                     table=f"notes.{name}")
                if checked is not None:
                    chosen[key] = checked
            series[name] = replace(getattr(NoteSettings(), name), **chosen)
        return replace(NoteSettings(), **series)

    def titles(self, value) -> tuple[tuple[str, str], ...] | None:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.error(*self.where("titles", "indexes"), "settings-invalid",
                       'titles must map a register to its index\'s title: titles = { place = "Index of Places" }')
            return None
        for kind in value:
            if kind not in _CHOICES[("indexes", "registers")]:
                self.unknown(kind, list(_CHOICES[("indexes", "registers")]), section="indexes")
        return tuple((k, v) for k, v in value.items() if k in _CHOICES[("indexes", "registers")])

    def value(self, section: str, key: str, value, default, table: str | None = None):
        """The value, checked against the type and choices of the default; None (and a diagnostic) if wrong."""
        where = self.where(key, table or section)
        expected = type(default)
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                self.error(*where, "settings-invalid", f"{key} must be a list of strings, e.g. {key} = [\"...\"]")
                return None
            value = tuple(value)
        elif expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            self.error(*where, "settings-invalid", f"{key} must be {_article(expected)}, not {value!r}")
            return None
        choices = _CHOICES.get((section, key))
        for item in value if isinstance(value, tuple) else (value,):
            if choices and item not in choices:
                close = difflib.get_close_matches(str(item), choices, n=1)
                hint = f'; did you mean "{close[0]}"?' if close else f"; one of {', '.join(choices)}"
                self.error(*where, "settings-invalid", f'{key} = "{item}" is not a choice{hint}')
                return None
        if (section, key) == ("book", "trim") and not trim_size(value):
            self.error(*where, "settings-invalid", f'trim = "{value}" is no trim size; one of '
                       f'{", ".join(TRIMS)}, or a width and height such as "156x234mm" or "6x9in"')
            return None
        if (section, key) == ("book", "margins") and not all(_LENGTH.match(p) for p in value.split()) \
                or (section, key) == ("book", "margins") and len(value.split()) != 4:
            self.error(*where, "settings-invalid", f'margins = "{value}" must be four lengths: top, outer, bottom, '
                       'inner, e.g. "0.72in 0.62in 0.85in 0.85in"')
            return None
        if (section, key) == ("book", "size") and not _LENGTH.match(value):
            self.error(*where, "settings-invalid", f'size = "{value}" must be a length such as "10.5pt"')
            return None
        if (section, key) == ("indexes", "max_locators") and value < 0:
            self.error(*where, "settings-invalid", f"max_locators = {value} must be 0 (never break up) or more")
            return None
        return value

    def unknown(self, key: str, known: list[str], section: str | None) -> None:
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else f"; known: {', '.join(sorted(known))}"
        what = f'section "[{key}]"' if section is None else f'key "{key}" in [{section}]'
        self.error(*self.where(key, section), "settings-unknown", f"unknown {what}{hint}")

    def where(self, key: str, section: str | None) -> tuple[int, int]:
        """Line and column of ``key`` in ``section`` (a dotted table name), or of the header of table ``key``."""
        current, fallback = "", None
        for number, line in enumerate(self.source.splitlines(), start=1):
            header = re.match(r"\s*\[\s*([^\]]+?)\s*\]", line)
            if header:
                current = header.group(1)
                if current == (key if section is None else f"{section}.{key}"):
                    return number, line.index("[") + 1
                continue
            if current != (section or ""):
                continue
            assigned = re.match(rf'\s*"?{re.escape(key)}"?\s*=', line)
            if assigned:
                return number, line.index(key) + (0 if line[line.index(key) - 1:line.index(key)] != '"' else -1) + 1
            inside = re.search(rf'\b{re.escape(key)}\s*=', line)  # a key of an inline table
            if inside and fallback is None:
                fallback = (number, inside.start() + 1)
        return fallback or (1, 1)

    def error(self, line: int, column: int, rule: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.display, line, column, Severity.ERROR, rule, message))


def _position(message: str) -> tuple[int, int]:
    found = re.search(r"line (\d+), column (\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (1, 1)


def _article(kind: type) -> str:
    return {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}.get(kind, str(kind))


def trim_size(trim: str) -> tuple[str, str] | None:
    """(width, height) as CSS lengths, from a name ("A5") or from "156x234mm" or "6 x 9 in"."""
    named = TRIMS.get(trim.strip().lower())
    if named:
        return named
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)\s*", trim, re.I)
    return (f"{match.group(1)}{match.group(3).lower()}", f"{match.group(2)}{match.group(3).lower()}") if match else None


def read_settings(folder: Path, display: str) -> tuple[EditionSettings, list[Diagnostic]]:
    """The settings in ``folder``/edition.toml (the defaults where there is none), with what is wrong in it."""
    path = folder / SETTINGS_FILE
    if not path.is_file():
        return EditionSettings(), []
    reader = SettingsReader(path, display)
    settings = reader.read()
    return settings, reader.diagnostics

