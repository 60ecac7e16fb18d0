"""The Serge edition as a whole: strictly valid, and as full as the edition promises."""

from __future__ import annotations

import json

from conftest import TEI


def test_edition_is_strictly_valid(run):
    result = run("validate", "--strict", TEI)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().endswith("0 errors, 0 warnings in 18 files")


def test_counts_meet_the_editions_bar(run):
    counts = json.loads(run("stats", TEI, "--format", "json").stdout)
    assert counts["texts"] == 13  # eleven texts, the introduction and the editorial principles
    assert counts["editorial notes"] >= 80
    assert counts["cross-references"] >= 25
    assert counts["apparatus entries"] >= 20
    assert counts["emendations"] >= 50
    assert counts["persons"] >= 150 and counts["works"] >= 80
    assert counts["organisations"] >= 50 and counts["places"] >= 50
    assert counts["person mentions"] >= 1000 and counts["work mentions"] >= 150
