"""Every mention of a registered person in the witnesses' words is tagged (persName or rs)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import TEI

T = "{http://www.tei-c.org/ns/1.0}"
# inside these a person's name is tagged already, or names something else (a work, an organisation,
# a place: "the Bonnot gang", "Trotsky's History" stay parts of their names)
TAGGED = {f"{T}{n}" for n in ("persName", "rs", "title", "orgName", "placeName", "sic", "orig", "rdg", "gap")}
TEXTS = sorted((TEI / "texts").glob("*.xml"))


def words(element) -> str:
    return " ".join("".join(element.itertext()).split())


def register_forms() -> dict[str, str]:
    """Surnames, full names and variant forms from the persons register (four letters or more)."""
    forms: dict[str, set[str]] = {}
    for person in etree.parse(str(TEI / "registers" / "persons.xml")).iter(f"{T}person"):
        ident = person.get("{http://www.w3.org/XML/1998/namespace}id")
        for name in person.findall(f"{T}persName"):
            surname = name.find(f"{T}surname")
            form = words(surname) if surname is not None else words(name)
            for candidate in {form, words(name)} if name.get("type") != "reg" else {form}:
                if len(candidate) >= 4 and candidate[0].isupper():
                    forms.setdefault(candidate, set()).add(ident)
    return {form: sorted(ids)[0] for form, ids in forms.items()}


def untagged(path: Path, forms: dict[str, str]) -> list[str]:
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True))) + r")(?![\w-])")
    found = []

    def walk(node):
        if node.tag in TAGGED or (node.tag == f"{T}note" and node.get("type") == "editorial"):
            return
        for text in [node.text] + [child.tail for child in node]:
            for match in pattern.finditer(text or ""):
                found.append(f"{path.name}: {match.group(1)!r} in “{(text or '')[max(0, match.start() - 30):match.end() + 20].strip()}”")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)

    walk(etree.parse(str(path)).getroot().find(f"{T}text"))
    return found


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_no_registered_name_is_left_untagged(path):
    assert untagged(path, register_forms()) == []


def test_the_check_finds_an_untagged_name(tmp_path):
    source = (TEI / "texts" / "filtzer-review-1998.xml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text(source.replace('<persName ref="#trotsky">Trotsky</persName>’s views', "Trotsky’s views", 1), encoding="utf-8")
    assert any("'Trotsky'" in line for line in untagged(broken, register_forms()))
