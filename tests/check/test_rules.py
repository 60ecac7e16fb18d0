"""Each validation rule fires on its broken fixture, at the lines the fixture marks, and nowhere else."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from edition.check.rules import RULES

RULE_FIXTURES = sorted((FIXTURES / "rules").glob("*.xml"))
_EXPECT = re.compile(r"<!-- expect: ([\w-]+) -->")


def expected(path: Path) -> list[tuple[str, int]]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        found += [(rule, number) for rule in _EXPECT.findall(line)]
    return sorted(found)


def diagnostics_of(run, *paths) -> list[dict]:
    result = run("validate", "--format", "json", *paths)
    return json.loads(result.stdout)["diagnostics"]


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=lambda p: p.stem)
def test_rule_fires_on_its_fixture_and_only_there(run, fixture):
    assert fixture.stem in RULES, f"{fixture.name} is named after no rule"
    found = sorted({(d["rule"], d["line"]) for d in diagnostics_of(run, fixture)})
    assert found == sorted(set(expected(fixture)))
    assert all(d["column"] > 0 for d in diagnostics_of(run, fixture))


# Rules that need more than one broken file to show (a whole file that does not parse, an edition folder):
# the test that shows each, which must name the rule.
COVERED_BY_TEST = {
    "xml-malformed": "test_load.py::test_broken_file_gives_one_located_diagnostic",
    "xml-encoding": "test_load.py::test_broken_file_gives_one_located_diagnostic",
    "xml-empty": "test_load.py::test_broken_file_gives_one_located_diagnostic",
    "xml-entity": "test_load.py::test_entity_bomb_is_refused_with_its_location",
    "xml-too-large": "test_load.py::test_a_file_larger_than_the_loader_reads_is_refused",
    "file-unreadable": "test_load.py::test_a_file_that_cannot_be_read_is_reported",
    "schema": "check/test_rules.py::test_schema_catches_misspelt_element_and_attribute",
    "schema-missing": "check/test_rules.py::test_schema_outside_the_edition_is_refused",
    "manifest-missing-text": "check/test_rules.py::test_text_left_out_of_the_manifest_is_reported",
    "settings-unknown": "test_config.py::test_a_misspelt_key_is_reported_at_its_place_with_a_suggestion",
    "settings-invalid": "test_config.py::test_wrong_values_are_reported_and_leave_the_defaults",
    "face-missing-characters": "test_config.py::test_characters_no_face_has_are_reported_once",
    "render-generic": "model/test_registry.py::test_an_element_without_a_decision_is_printed_and_reported_once",
    "render-placeholder": "model/test_figures.py::test_an_image_not_in_the_edition_is_a_placeholder_and_a_warning",
    "text-empty": "model/test_header.py::test_a_text_that_prints_no_words_is_reported",
}


def test_every_rule_has_a_fixture_or_a_test_that_shows_it():
    import ast

    with_fixture = {p.stem for p in RULE_FIXTURES}
    assert set(RULES) - with_fixture == set(COVERED_BY_TEST)
    tests = Path(__file__).resolve().parents[1]
    for rule, where in COVERED_BY_TEST.items():
        file, name = where.split("::")
        text = (tests / file).read_text(encoding="utf-8")
        function = next((n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name == name), None)
        assert function is not None, f"{where} does not exist"
        first = min([function.lineno] + [d.lineno for d in function.decorator_list])
        source = "\n".join(text.splitlines()[first - 1:function.end_lineno])
        assert f'"{rule}"' in source or f"[{rule}]" in source, f"{where} does not show {rule}"


def test_rule_severities_match_the_catalogue(run):
    for fixture in RULE_FIXTURES:
        for diagnostic in diagnostics_of(run, fixture):
            assert diagnostic["severity"] == RULES[diagnostic["rule"]].severity.value


def test_mini_edition_is_clean(run, mini_edition):
    result = run("validate", "--strict", mini_edition)
    assert result.exit_code == 0, result.stderr
    assert "0 errors, 0 warnings in 4 files" in result.stderr


def test_schema_catches_misspelt_element_and_attribute(run, mini_edition):
    text = mini_edition / "texts" / "one.xml"
    source = text.read_text(encoding="utf-8")
    source = source.replace('<persName ref="#lenin">Lenin</persName>', '<persname ref="#lenin">Lenin</persname>')
    source = source.replace('<p xml:id="one-p2">', '<p xml:id="one-p2" rendd="x">')
    text.write_text(source, encoding="utf-8")
    found = diagnostics_of(run, text)
    schema = [d for d in found if d["rule"] == "schema"]
    lines = {d["line"] for d in schema}
    assert 18 in lines and 20 in lines, schema
    messages = " ".join(d["message"] for d in schema)
    assert "did you mean <persName>?" in messages
    assert "@rendd" in messages


def test_schema_refuses_tei_elements_the_edition_does_not_use(run, mini_edition):
    text = mini_edition / "texts" / "one.xml"
    source = text.read_text(encoding="utf-8").replace("Lenin</persName> spoke", "Lenin</persName> <cb/>spoke")
    text.write_text(source, encoding="utf-8")
    assert any(d["rule"] == "schema" and d["line"] == 18 for d in diagnostics_of(run, text))


def test_schema_outside_the_edition_is_refused(run, mini_edition):
    text = mini_edition / "texts" / "one.xml"
    source = text.read_text(encoding="utf-8").replace("../schema/edition.rng", "../../../../etc/x.rng")
    text.write_text(source, encoding="utf-8")
    assert [d["rule"] for d in diagnostics_of(run, text)] == ["schema-missing"]


def test_duplicate_id_across_files_is_reported_at_the_second(run, mini_edition):
    two = mini_edition / "texts" / "two.xml"
    two.write_text(two.read_text(encoding="utf-8").replace('xml:id="two-p1"', 'xml:id="one-p1"'), encoding="utf-8")
    found = [d for d in diagnostics_of(run, mini_edition) if d["rule"] == "id-duplicate"]
    assert len(found) == 1 and found[0]["path"].endswith("two.xml")
    assert "one.xml:" in found[0]["message"]


def test_pointer_into_another_file_resolves(run, mini_edition):
    one = mini_edition / "texts" / "one.xml"
    one.write_text(one.read_text(encoding="utf-8").replace('target="#two-p1"', 'target="two.xml#two-p1"'), encoding="utf-8")
    assert diagnostics_of(run, mini_edition) == []
    one.write_text(one.read_text(encoding="utf-8").replace('two.xml#two-p1', 'two.xml#two-p9'), encoding="utf-8")
    assert [d["rule"] for d in diagnostics_of(run, mini_edition)] == ["ref-unresolved"]


def test_text_left_out_of_the_manifest_is_reported(run, mini_edition):
    shutil.copy(mini_edition / "texts" / "two.xml", mini_edition / "texts" / "three.xml")
    three = mini_edition / "texts" / "three.xml"
    three.write_text(three.read_text(encoding="utf-8").replace('"two', '"three').replace("#two", "#three"), encoding="utf-8")
    rules = [d["rule"] for d in diagnostics_of(run, mini_edition)]
    assert "manifest-missing-text" in rules


def test_file_inside_an_edition_resolves_against_the_whole_edition(run, mini_edition):
    result = run("validate", mini_edition / "texts" / "one.xml")
    assert result.exit_code == 0, result.stderr
    assert "in 1 file" in result.stderr


def test_a_broken_file_does_not_cascade_into_other_files(run, mini_edition):
    two = mini_edition / "texts" / "two.xml"
    two.write_text(two.read_text(encoding="utf-8").replace("</head>", "</hed>", 1), encoding="utf-8")
    rules = [(d["rule"], d["path"].rsplit("/", 1)[-1]) for d in diagnostics_of(run, mini_edition)]
    assert rules == [("xml-malformed", "two.xml")]


# --- pointers out of the edition, and pointers too odd to follow -----------------------------------


def test_pointers_into_absent_files_are_one_warning_per_file(run, tmp_path):
    letter = tmp_path / "let695.xml"
    shutil.copy(FIXTURES / "rules" / "ref-outside.xml", letter)
    result = run("validate", letter)
    assert result.exit_code == 0, result.stderr
    found = [d for d in diagnostics_of(run, letter)]
    assert [d["rule"] for d in found] == ["ref-outside"] * 4
    assert "1 more pointer into it" in found[0]["message"]


def test_a_broken_pointer_inside_an_edition_stays_an_error(run, mini_edition):
    one = mini_edition / "texts" / "one.xml"
    source = one.read_text(encoding="utf-8")
    for broken in ('target="#two-p9"', 'target="two.xml#two-p9"', 'target="tow.xml#two-p1"'):
        one.write_text(source.replace('target="#two-p1"', broken), encoding="utf-8")
        found = diagnostics_of(run, one)
        assert [d["rule"] for d in found] == ["ref-unresolved"], broken
        assert run("validate", one).exit_code == 1


def test_a_text_the_manifest_places_outside_the_edition_is_an_error(run, mini_edition):
    manifest = mini_edition / "edition.xml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('target="texts/two.xml"', 'target="../two.xml"'),
                        encoding="utf-8")
    found = {(d["rule"], d["path"].rsplit("/", 1)[-1]) for d in diagnostics_of(run, mini_edition)}
    assert ("ref-unresolved", "edition.xml") in found


@pytest.mark.parametrize(
    "token",
    ["a" * 5000 + ".xml#x", "x%00.xml#y", "http://[::1", "%", "#" + "a" * 3000, "x.xml#" + "y" * 3000, "a/" * 2000 + "b.xml"],
    ids=["name-too-long", "nul", "bad-url", "lone-percent", "long-id", "long-fragment", "deep-path"],
)
def test_pointers_of_odd_shapes_are_reported_not_crashed_on(run, tmp_path, token):
    path = tmp_path / "odd.xml"
    path.write_text((FIXTURES / "rules" / "ref-unresolved.xml").read_text(encoding="utf-8")
                    .replace('target="#nowhere"', f'target="{token}"'), encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code in (0, 1) and "internal error" not in result.stderr
    for line in result.stderr.splitlines():
        assert len(line) < 700, line[:100]


def test_a_megabyte_pointer_is_neither_compared_whole_nor_quoted_whole(run, tmp_path, monkeypatch):
    import difflib

    compared = []
    real = difflib.get_close_matches
    monkeypatch.setattr(difflib, "get_close_matches", lambda word, *a, **k: compared.append(len(word)) or real(word, *a, **k))
    path = tmp_path / "big.xml"
    path.write_text((FIXTURES / "rules" / "ref-unresolved.xml").read_text(encoding="utf-8")
                    .replace('target="#nowhere"', 'target="#' + "a" * 1_000_000 + '"'), encoding="utf-8")
    found = diagnostics_of(run, path)
    assert all(length <= 64 for length in compared)
    long = [d for d in found if "1,000,001 characters" in d["message"]]
    assert len(long) == 1 and len(long[0]["message"]) < 200


def test_many_unresolved_pointers_in_one_attribute_are_counted(run, tmp_path):
    path = tmp_path / "many.xml"
    tokens = " ".join(f"#n{i}" for i in range(5000))
    path.write_text((FIXTURES / "rules" / "ref-unresolved.xml").read_text(encoding="utf-8")
                    .replace('target="#nowhere"', f'target="{tokens}"'), encoding="utf-8")
    found = [d for d in diagnostics_of(run, path) if d["line"] == 14 and d["column"] == 16]
    assert len(found) == 11
    assert "4,990 more pointers" in found[-1]["message"] or any("4,990 more" in d["message"] for d in found)


# --- severities and their reasons --------------------------------------------------------------------


def _rules_section(readme: str) -> str:
    """The README's section for editors, which holds the table of the sources' rules (the books' own
    reports have a table of their own, tested in tests/write/test_reports.py)."""
    start = readme.index("## Day to day, for editors")
    return readme[start:readme.index("\n## ", start + 1)]


def test_the_readme_table_gives_every_rule_its_severity_and_reason():
    readme = _rules_section((FIXTURES.parents[1] / "README.md").read_text(encoding="utf-8"))
    rows = dict(re.findall(r"^\| `([\w-]+)` \| (error|warning) \| .+ \|$", readme, re.M))
    assert rows == {rule.id: rule.severity.value for rule in RULES.values()}
    for rule in RULES.values():
        assert rule.why and rule.why in readme, rule.id


def test_the_readmes_table_of_rules_is_the_catalogue():
    readme = _rules_section((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8"))
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", readme, flags=re.M))
    assert rows == {rule.id: rule.severity.value for rule in RULES.values()}
