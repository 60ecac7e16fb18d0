"""The renderer's handlers, one module per TEI module; importing this package registers them all."""

from . import (  # noqa: F401
    analysis,
    core,
    dictionaries,
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
