"""Writers: one per output format, each a thin shell over the shared model."""
