"""The renderer's handlers, one module per TEI module; importing this package registers them all."""

from . import analysis, core, figures, header, linking, namesdates, textcrit, textstructure, transcr, verse  # noqa: F401
