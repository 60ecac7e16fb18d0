"""``python -m edition``."""

from .cli import main

main()
