"""Shared test helpers: project paths, the shared folder (skipped visibly when absent), the CLI runner."""

from __future__ import annotations

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
