"""The renderer's handlers, one module per TEI module; importing this package registers them all."""

from . import (  # noqa: F401
    analysis,
    core,
    figures,
    gaiji,
    header,
    linking,
    namesdates,
    textcrit,
    textstructure,
    transcr,
    verse,
)
