"""Check an edition: the schema first, then the edition-wide rules; return diagnostics, never print."""

from __future__ import annotations

from ..diagnostics import Diagnostic
from ..load import Edition
from . import apparatus, content, references, schema


def check_edition(edition: Edition, schema_settings: schema.SchemaSettings | None = None) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    diagnostics += schema.check(edition, schema_settings or schema.DEFAULT_SETTINGS)
    table = references.IdTable(edition)
    diagnostics += table.duplicates()
    diagnostics += references.check(edition, table)
    diagnostics += apparatus.check(edition, table)
    diagnostics += content.check(edition)
    if edition.focus is not None:
        shown = {d.display for d in edition.documents if edition.in_focus(d)}
        diagnostics = [d for d in diagnostics if d.path in shown]
    return diagnostics
