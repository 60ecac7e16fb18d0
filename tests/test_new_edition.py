"""Editions of one's own: `edition new`, settings of trim, face and collation, and the package installed anywhere."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, TEI, build_once

pytestmark = pytest.mark.slow


def test_a_new_edition_validates_and_builds_at_once(run, tmp_path_factory):
    folder = tmp_path_factory.mktemp("new") / "my-edition"
    assert run("new", folder).exit_code == 0
    assert (folder / "schema" / "edition.rng").is_file() and (folder / "edition.toml").is_file()
    validated = run("validate", "--strict", folder)
    assert validated.exit_code == 0, validated.stderr
    result = build_once(tmp_path_factory, "new-built", [folder])
    assert set(result.outputs) == {"pdf", "epub"}
    assert not [d.format() for d in result.diagnostics if d.severity.value == "error"]
    assert run("new", folder).exit_code == 2  # never over an edition that is there


GERMAN_REGISTER = """
<listPerson>
  <person xml:id="zeller"><persName type="reg"><surname>Zeller</surname></persName></person>
  <person xml:id="aepfel"><persName type="reg"><surname>Äpfel</surname></persName></person>
  <person xml:id="abel"><persName type="reg"><surname>Abel</surname></persName></person>
  <person xml:id="strauss"><persName type="reg"><surname>Strauss</surname>, <forename>Anna</forename></persName></person>
  <person xml:id="strasse"><persName type="reg"><surname>Straße</surname>, <forename>Berta</forename></persName></person>
  <person xml:id="strasser"><persName type="reg"><surname>Strasser</surname></persName></person>
  <person xml:id="ofen"><persName type="reg"><surname>Ofen</surname></persName></person>
  <person xml:id="oel"><persName type="reg"><surname>Öl</surname></persName></person>
</listPerson>"""


def test_an_a5_edition_in_german_with_its_own_greek_face(tmp_path_factory):
    import fontpkg_eb_garamond

    folder = tmp_path_factory.mktemp("a5") / "ausgabe"
    (folder / "fonts").mkdir(parents=True)
    for font in (Path(fontpkg_eb_garamond.__file__).parent / "files").glob("*.ttf"):
        shutil.copy(font, folder / "fonts" / font.name)  # a face with Greek, from the edition's own folder
    surnames = {"zeller": "Zeller", "aepfel": "Äpfel", "abel": "Abel", "strauss": "Strauss", "strasse": "Straße",
                "strasser": "Strasser", "ofen": "Ofen", "oel": "Öl"}
    names = " ".join(f'<persName ref="#{key}">{name}</persName>' for key, name in surnames.items())
    (folder / "brief.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="brief" xml:lang="de"><teiHeader><fileDesc><titleStmt>'
        "<title>Ein Brief</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc>"
        f"{GERMAN_REGISTER}</sourceDesc></fileDesc></teiHeader><text><body><p>Er schrieb {names}: "
        "<foreign xml:lang=\"grc\">μῆνιν ἄειδε θεά</foreign>.</p></body></text></TEI>", encoding="utf-8")
    (folder / "edition.toml").write_text('[book]\ntrim = "A5"\nface = "fonts"\n[language]\nmatter = "de"\n',
                                         encoding="utf-8")
    result = build_once(tmp_path_factory, "a5-built", [folder / "brief.xml"])
    assert set(result.outputs) == {"pdf", "epub"}
    assert not [d for d in result.diagnostics if d.rule == "face-missing-characters"]
    from pypdf import PdfReader

    page = PdfReader(str(result.outputs["pdf"])).pages[0]
    assert (round(float(page.mediabox.width) * 25.4 / 72), round(float(page.mediabox.height) * 25.4 / 72)) == (
        148, 210)
    names = json.loads(result.outputs["pdf"].with_suffix(".index.json").read_text(encoding="utf-8"))["index-names"]
    assert names["title"] == "Personenregister"
    headings = [e["heading"] for e in names["entries"]]
    # Ä sorts with A, Ö with O, ß as ss (Strasse before Strasser)
    assert headings == ["Abel", "Äpfel", "Ofen", "Öl", "Straße, Berta", "Strasser", "Strauss, Anna", "Zeller"]
    import zipfile

    pdf_text = " ".join(page.extract_text() for page in PdfReader(str(result.outputs["pdf"])).pages)
    assert "Inhalt" in pdf_text and "Personenregister" in pdf_text and "Contents" not in pdf_text
    with zipfile.ZipFile(result.outputs["epub"]) as book:  # the EPUB's own words are German too
        nav = book.read("EPUB/nav.xhtml").decode("utf-8")
        opf = book.read("EPUB/content.opf").decode("utf-8")
    assert ">Inhalt<" in nav and ">Umschlag<" in nav and ">Titelseite<" in nav and "Contents" not in nav
    assert "Kritische Ausgabe" in opf


def test_installed_outside_the_repository_the_package_builds_both_books(tmp_path):
    """A fresh virtual environment that borrows this one's pip and dependencies, the project installed into it from its
    folder as a wheel (not in editable mode): its styles, templates and schemas travel with it."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    here = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (site / "borrowed.pth").write_text(here + "\n", encoding="utf-8")
    built = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps",
                            "--no-build-isolation", str(ROOT)], capture_output=True, text=True, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    edition = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", edition)
    shutil.copytree(TEI / "schema", edition / "schema")
    done = subprocess.run([str(venv / "bin" / "edition"), "build", str(edition), "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "mini-edition.pdf").stat().st_size > 10_000
    assert (tmp_path / "out" / "mini-edition.epub").stat().st_size > 10_000
    import edition as here_package

    assert not str(here_package.__file__).startswith(str(venv))  # this process used the repository's copy
