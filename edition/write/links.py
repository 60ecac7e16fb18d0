"""Where a cross-reference of the model leads in a book: a register entry's index entry, a note, a place."""

from __future__ import annotations

from ..model import Book


class LinkTargets:
    def __init__(self, book: Book):
        self.registers = book.register_ids()
        self.notes = {note.id for note in book.notes}

    def is_register(self, target: str) -> bool:
        return target in self.registers

    def destination(self, target: str, notes_are_places: bool) -> str:
        """The id a link to ``target`` (a model id) goes to: a name's entry in the index; a note itself where
        notes are places of their own (the EPUB's asides), else its call (a PDF footnote is no destination)."""
        if target in self.registers:
            return f"idx-{target}"
        if target in self.notes and not notes_are_places:
            return f"call-{target}"
        return target
