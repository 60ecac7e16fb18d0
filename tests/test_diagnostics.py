"""Diagnostics as editors' tools read them: one line each, values cut short, a flood summed up."""

from __future__ import annotations

import json

from edition.diagnostics import FLOOD_PER_FILE, Diagnostic, Severity, collapse_floods, shorten, sort_diagnostics


def test_a_message_is_one_line_whatever_it_quotes():
    diagnostic = Diagnostic("a.xml", 3, 4, Severity.ERROR, "xml-malformed",
                            "Char 0x0 out of allowed range\n, then \x1b[31m red\r\nand a\ttab")
    line = diagnostic.format()
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert line == r"a.xml:3:4: error: Char 0x0 out of allowed range , then \x1b[31m red and a tab [xml-malformed]"


def test_values_quoted_in_messages_are_cut_and_their_length_said():
    assert shorten("#short") == "#short"
    cut = shorten("#" + "a" * 3_000_000)
    assert len(cut) < 100 and cut.endswith("(3,000,001 characters)")
    long = Diagnostic("a.xml", 1, 1, Severity.ERROR, "schema", "x" * 100_000)
    assert len(long.message) <= 600


def test_a_flood_on_one_line_is_a_few_findings_and_a_count():
    flood = [Diagnostic("a.xml", 7, column, Severity.ERROR, "schema", f"attribute @a{column} is not allowed")
             for column in range(1, 20_001)]
    other = Diagnostic("a.xml", 8, 1, Severity.WARNING, "name-unlinked", "a name")
    shown = collapse_floods(sort_diagnostics(flood + [other]))
    assert len(shown) == 12
    assert shown[10].message == "and 19,990 more [schema] findings on this line, not shown one by one"
    assert shown[-1] == other


def test_a_flood_over_many_lines_of_one_file_is_summed_up_too():
    flood = [Diagnostic("a.xml", line, 1, Severity.ERROR, "ref-unresolved", "nothing there")
             for line in range(1, 5001)]
    shown = collapse_floods(flood)
    assert len(shown) == FLOOD_PER_FILE + 1 and "4,800 more" in shown[-1].message


def test_20000_attributes_on_one_element_give_a_small_report(run, mini_edition):
    text = mini_edition / "texts" / "one.xml"
    attributes = " ".join(f'a{i}="1"' for i in range(20_000))
    text.write_text(text.read_text(encoding="utf-8").replace('<p xml:id="one-p2">', f'<p xml:id="one-p2" {attributes}>'),
                    encoding="utf-8")
    result = run("validate", text)
    lines = result.stderr.splitlines()
    assert result.exit_code == 1 and len(lines) < 20
    assert lines[-1] == "20000 errors, 0 warnings in 1 file"
    assert any("19,990 more [schema] findings on this line" in line for line in lines)
    data = run("validate", "--format", "json", text).stdout
    assert len(data) < 20_000 and json.loads(data)["summary"]["errors"] == 20_000
