"""edition.toml: read once into frozen settings, every mistake reported at its line like a TEI error."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import model_of
from edition.config import EditionSettings, read_settings, trim_size


def settings_diagnostics(run, folder: Path) -> list[dict]:
    return [d for d in json.loads(run("validate", "--format", "json", folder).stdout)["diagnostics"]
            if d["path"].endswith("edition.toml")]


def test_no_file_gives_the_defaults(tmp_path):
    assert read_settings(tmp_path, "edition.toml") == (EditionSettings(), [])


def test_a_misspelt_key_is_reported_at_its_place_with_a_suggestion(run, mini_edition):
    (mini_edition / "edition.toml").write_text('# the book\n[book]\n\ntrimsize = "A5"\n', encoding="utf-8")
    [found] = settings_diagnostics(run, mini_edition)
    assert (found["line"], found["column"], found["rule"]) == (4, 1, "settings-unknown")
    assert found["message"] == 'unknown key "trimsize" in [book]; did you mean "trim"?'


def test_wrong_values_are_reported_and_leave_the_defaults(tmp_path):
    (tmp_path / "edition.toml").write_text(
        '[book]\ntrim = "A7"\nsize = 11\nmargins = "1in 1in"\n[apparatus]\nplacement = "fot"\ninterval = "5"\n'
        '[notes.editor]\nnumbering = "leters"\n[indexes]\nregisters = ["person", "plac"]\n[fonts]\nface = "x"\n'
        "[language\n", encoding="utf-8")
    settings, found = read_settings(tmp_path, "edition.toml")
    assert [(d.line, d.rule) for d in found] == [(14, "settings-invalid")]  # not TOML: one error, at its line
    (tmp_path / "edition.toml").write_text(
        '[book]\ntrim = "A7"\nsize = 11\nmargins = "1in 1in"\n[apparatus]\nplacement = "fot"\ninterval = "5"\n'
        '[notes.editor]\nnumbering = "leters"\n[indexes]\nregisters = ["person", "plac"]\n[fonts]\nface = "x"\n',
        encoding="utf-8")
    settings, found = read_settings(tmp_path, "edition.toml")
    assert [(d.line, d.column, d.rule) for d in found] == [
        (2, 1, "settings-invalid"), (3, 1, "settings-invalid"), (4, 1, "settings-invalid"),
        (6, 1, "settings-invalid"), (7, 1, "settings-invalid"), (9, 1, "settings-invalid"),
        (11, 1, "settings-invalid"), (12, 1, "settings-unknown")]
    assert 'did you mean "foot"?' in found[3].message and 'did you mean "letters"?' in found[5].message
    assert settings.book == EditionSettings().book and settings.apparatus == EditionSettings().apparatus


def test_trim_sizes_by_name_and_by_dimensions():
    assert trim_size("A5") == ("148mm", "210mm")
    assert trim_size("6x9in") == ("6in", "9in") and trim_size("156 x 234 mm") == ("156mm", "234mm")
    assert trim_size("A7") is None


def test_characters_no_face_has_are_reported_once(tmp_path):
    from edition.build import missing_faces

    book = model_of(tmp_path, "<p>Saepe ego, שָׁלוֹם, Ἀμφιλοχίου</p>")
    [warning] = missing_faces(book, EditionSettings(), tmp_path)
    assert warning.rule == "face-missing-characters" and "ש" in warning.message and "Ἀ" not in warning.message


def test_the_index_threshold_is_read_and_checked(tmp_path):
    (tmp_path / "edition.toml").write_text("[indexes]\nmax_locators = 30\n", encoding="utf-8")
    settings, found = read_settings(tmp_path, "edition.toml")
    assert found == [] and settings.indexes.max_locators == 30
    assert EditionSettings().indexes.max_locators == 15
    for wrong in ('"many"', "-1"):
        (tmp_path / "edition.toml").write_text(f"[indexes]\nmax_locators = {wrong}\n", encoding="utf-8")
        settings, found = read_settings(tmp_path, "edition.toml")
        assert [(d.line, d.rule) for d in found] == [(2, "settings-invalid")]
        assert settings.indexes.max_locators == 15
