"""The decision for every TEI element the renderer meets: a handler, a generic rendering, or omission.

A handler registers for its element by Clark name together with its display (block or inline), so each
element has exactly one decision, and an element nobody registered is a decision too: the walk renders it
generically and warns once per element name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from .. import tei


class Display(Enum):
    BLOCK = "block"  # stands as a block where one may stand (a paragraph, a division, a verse line)
    INLINE = "inline"  # a phrase in the running line
    OMITTED = "omitted"  # printed nowhere: metadata, links between places, a facsimile


Handler = Callable[..., None]  # (walk, source, parent): converts source into parent


@dataclass(frozen=True)
class Decision:
    display: Display
    handler: Handler | None = None  # None: the generic rendering, as a span or (where one may stand) a div


REGISTRY: dict[str, Decision] = {}


def _register(names: tuple[str, ...], decision: Decision) -> None:
    for name in names:
        clark = name if name.startswith("{") else tei(name)
        if clark in REGISTRY:
            raise RuntimeError(f"<{name}> has two rendering decisions")
        REGISTRY[clark] = decision


def handles(*names: str, display: Display):
    """Register the decorated function as the handler of these TEI elements."""

    def register(function: Handler) -> Handler:
        _register(names, Decision(display, function))
        return function

    return register


def generic(*names: str, display: Display) -> None:
    """These TEI elements are printed by the generic rendering, without a warning."""
    _register(names, Decision(display))


def omitted(*names: str) -> None:
    """These TEI elements are printed nowhere (what they hold is not reading text)."""
    _register(names, Decision(Display.OMITTED))


def decision_for(clark: str) -> Decision | None:
    return REGISTRY.get(clark)


def is_block(clark: str) -> bool:
    decision = REGISTRY.get(clark)
    return decision is not None and decision.display is Display.BLOCK
