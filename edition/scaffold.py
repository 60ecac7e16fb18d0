"""New editions: ``edition new`` writes a minimal edition that validates and builds at once, and ``edition schema``
derives an edition's own schema (TEI P5 restricted to the elements it lists) from the TEI shipped here."""

from __future__ import annotations

import shutil
from pathlib import Path

from .errors import EditionError
from .schemagen import customise, serialise

PACKAGE = Path(__file__).resolve().parent
TEMPLATE = PACKAGE / "templates" / "new"
TEI_ALL = PACKAGE / "schemas" / "tei_all.rng"


def new_edition(folder: Path) -> list[Path]:
    """Copy the template edition into ``folder`` (which must be new or empty) and derive its schema."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise EditionError(f"{folder} already exists and is not an empty folder; name a new folder")
    shutil.copytree(TEMPLATE, folder, dirs_exist_ok=True)
    write_schema(folder)
    return sorted(p for p in folder.rglob("*") if p.is_file())


def write_schema(folder: Path) -> Path:
    """schema/edition.rng from schema/customisation.toml, in an edition folder."""
    customisation = folder / "schema" / "customisation.toml"
    if not customisation.is_file():
        raise EditionError(f"{customisation} is missing: it lists the elements the edition's schema allows")
    try:
        tree = customise(TEI_ALL, customisation)
    except SystemExit as refused:  # the element list names something that is no TEI element
        raise EditionError(f"{customisation}: {refused}") from None
    out = folder / "schema" / "edition.rng"
    out.write_bytes(serialise(tree))
    return out
