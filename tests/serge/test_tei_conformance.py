"""Every TEI file of the edition is valid TEI P5 (tei_all, through jing) and names the edition's schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, TEI, TEI_ALL, shared_path
from edition.check.catalogue import schema_of
from edition.load import edition_files, load_document

EDITION_FILES = edition_files(TEI)
MINI_FILES = edition_files(FIXTURES / "mini")


def jing(files: list[Path]) -> subprocess.CompletedProcess:
    pyjing = Path(sys.executable).with_name("pyjing")
    return subprocess.run([str(pyjing), str(TEI_ALL), *map(str, files)], capture_output=True, text=True)


@pytest.mark.slow
def test_every_edition_file_is_valid_tei_all():
    shared_path("schemas", "tei_all.rng")
    result = jing(EDITION_FILES + MINI_FILES)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


@pytest.mark.slow
def test_jing_does_report_invalid_tei(tmp_path):
    shared_path("schemas", "tei_all.rng")
    bad = tmp_path / "bad.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><persname/></body></text></TEI>')
    assert jing([bad]).returncode != 0


@pytest.mark.parametrize("path", EDITION_FILES, ids=lambda p: str(p.relative_to(TEI)))
def test_file_names_the_edition_schema(path):
    document, diagnostics = load_document(path, TEI)
    assert diagnostics == []
    href, kind = schema_of(document)
    assert kind == "rng" and (path.parent / href).resolve() == (TEI / "schema" / "edition.rng").resolve()


@pytest.mark.slow
def test_edition_schema_is_generated_from_the_customisation():
    tei_all = shared_path("schemas", "tei_all.rng")
    from lxml import etree

    from edition.schemagen import customise

    fresh = customise(tei_all, TEI / "schema" / "customisation.toml")
    committed = etree.parse(str(TEI / "schema" / "edition.rng"))

    def names(tree):
        return sorted(e.get("name") for e in tree.iter("{http://relaxng.org/ns/structure/1.0}element"))

    assert names(fresh) == names(committed), "run `make schema` after editing tei/schema/customisation.toml"
