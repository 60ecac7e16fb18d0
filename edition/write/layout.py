"""Where the PDF put things: page labels, each id's page, the first words of every page; and its JSON form.

The PDF writer produces a Layout; the EPUB writer reads one (from the PDF build in the same run, or from
the ``.layout.json`` file a separate run wrote), to take the print edition's page numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EditionError


@dataclass(frozen=True)
class Layout:
    labels: list[str]  # label of every physical page of the whole book
    body_offset: int  # physical index of body page 1 in the whole book
    body_pages: int
    page_starts: list[dict] = field(default_factory=list)  # per page of the book: {"page", "anchor", "words"}
    call_ends: dict[str, str] = field(default_factory=dict)  # note call id -> body page where its word ends
    locators: dict[str, tuple[int, str]] = field(default_factory=dict)  # index occurrence -> (order, label)
    anchors: dict[str, str] = field(default_factory=dict)  # id in the body -> page label
    keys: dict[str, str] = field(default_factory=dict)  # apparatus entry (its lemma's id) -> its printed key

    def as_json(self) -> dict:
        return {"labels": self.labels, "body_offset": self.body_offset, "body_pages": self.body_pages,
                "page_starts": self.page_starts, "call_ends": self.call_ends,
                "locators": {k: list(v) for k, v in self.locators.items()}, "anchors": self.anchors,
                "keys": self.keys}

    @classmethod
    def from_json(cls, data: dict) -> Layout:
        return cls(data["labels"], data["body_offset"], data["body_pages"], data["page_starts"],
                   data.get("call_ends", {}), {k: (v[0], v[1]) for k, v in data.get("locators", {}).items()},
                   data["anchors"], data.get("keys", {}))


def write_layout(layout: Layout, path: Path) -> None:
    write_json(layout.as_json(), path)


def write_json(data, path: Path) -> None:
    """``data`` as JSON at ``path``, written beside it and moved into place: a reader (the preview, the EPUB
    build) never finds it half-written, and a build stopped meanwhile leaves the last whole file."""
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    temporary.replace(path)


def read_layout(path: Path) -> Layout:
    if not path.exists():
        raise EditionError(f"{path} is missing: build the PDF first (the EPUB takes its page numbers from it)")
    return Layout.from_json(json.loads(path.read_text(encoding="utf-8")))
