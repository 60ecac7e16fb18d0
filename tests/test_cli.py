"""The command line: output format, ordering, exit codes, and the error boundary."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import FIXTURES
from edition import __version__
from edition.cli import cli, main

RULES = FIXTURES / "rules"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): .+ \[(?P<rule>[\w-]+)\]$")


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


@pytest.mark.parametrize("command", [[]] + [[name] for name in cli.commands])
def test_help_on_every_command(run, command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.stdout


def test_every_command_has_help_text():
    for name, command in cli.commands.items():
        assert command.help, f"`edition {name}` has no help"


def test_diagnostics_are_clickable_sorted_and_summarised(run, tmp_path):
    for name in ("ref-unresolved.xml", "date-not-iso.xml"):
        shutil.copy(RULES / name, tmp_path / name)
    result = run("validate", tmp_path)
    lines = result.stderr.splitlines()
    *diagnostics, summary = lines
    parsed = [LINE.match(line) for line in diagnostics]
    assert all(parsed), diagnostics
    keys = [(m["path"], int(m["line"]), int(m["col"])) for m in parsed]
    assert keys == sorted(keys)
    assert {m["path"].rsplit("/", 1)[-1] for m in parsed} == {"ref-unresolved.xml", "date-not-iso.xml"}
    # date-not-iso.xml names no schema: tei_all's view of its dates comes as three warnings (schema-unclaimed)
    assert summary == f"{len(diagnostics) - 3} errors, 3 warnings in 2 files"
    assert result.exit_code == 1


def test_json_output_matches_text_output(run):
    text = run("validate", RULES / "note-empty.xml")
    data = json.loads(run("validate", "--format", "json", RULES / "note-empty.xml").stdout)
    assert data["summary"] == {"errors": 1, "warnings": 0, "files": 1}
    only = data["diagnostics"][0]
    assert f'{only["path"]}:{only["line"]}:{only["column"]}: error: {only["message"]} [note-empty]' in text.stderr


def test_warnings_pass_unless_strict(run):
    path = RULES / "name-unlinked.xml"
    assert run("validate", path).exit_code == 0
    strict = run("validate", "--strict", path)
    assert strict.exit_code == 1
    assert "error:" in strict.stderr and "warning:" not in strict.stderr


def test_usage_errors_exit_2(run, tmp_path):
    assert run("validate", tmp_path / "nothing-here.xml").exit_code == 2
    assert run("validate", "--format", "yaml", RULES / "note-empty.xml").exit_code == 2


def test_internal_error_is_one_line_without_traceback(monkeypatch, capsys, tmp_path):
    import edition.cli

    def broken(edition, settings=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(edition.cli, "check_edition", broken)
    with pytest.raises(SystemExit) as stop:
        main(["validate", str(RULES / "note-empty.xml")])
    err = capsys.readouterr().err
    assert stop.value.code == 3
    assert "Traceback" not in err and err.strip().count("\n") == 0
    assert "internal error: RuntimeError: boom" in err
    with pytest.raises(SystemExit):
        main(["--debug", "validate", str(RULES / "note-empty.xml")])
    assert "Traceback" in capsys.readouterr().err


def test_internal_error_with_a_long_many_line_message_stays_one_short_line(monkeypatch, capsys):
    import edition.cli

    def broken(edition, *settings):
        raise OSError(36, "File name too long", "/tmp/" + "a" * 5000 + ".rng\nsecond line")

    monkeypatch.setattr(edition.cli, "check_edition", broken)
    with pytest.raises(SystemExit) as stop:
        main(["validate", str(RULES / "note-empty.xml")])
    err = capsys.readouterr().err
    assert stop.value.code == 3
    assert err.strip().count("\n") == 0 and len(err) < 500 and "characters)" in err
