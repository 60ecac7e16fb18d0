"""What the writers report about the books they make is documented: each rule the PDF, EPUB and build code can
emit has its row (severity, meaning, what to do) in the README, and the README lists no rule the code lacks."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def emitted() -> dict[str, set[str]]:
    """Each rule the writers and the build emit, with the severities they give it, read from their source."""
    found: dict[str, set[str]] = {}
    for path in [*sorted((ROOT / "edition" / "write").rglob("*.py")), ROOT / "edition" / "build.py"]:
        for severity, rule in re.findall(r'Severity\.(WARNING|ERROR), "([a-z-]+)"', path.read_text(encoding="utf-8")):
            found.setdefault(rule, set()).add(severity.lower())
    return found


def test_every_report_of_the_books_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("### What the build reports about the books")
    section = readme[start:readme.index("\n## ", start)]
    rows = {rule: set(severity.split(" / "))
            for rule, severity in re.findall(r"^\| `([a-z-]+)` \| ([a-z /]+) \| .+ \| .+ \|$", section, flags=re.M)}
    code = emitted()
    assert len(code) > 10
    assert rows == code
