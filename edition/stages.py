"""The stages of a build, as values, and the progress line that names them on a terminal."""

from __future__ import annotations

import sys
import time
from enum import Enum

import click


class Stage(Enum):
    LOAD = "loading and checking the TEI"
    MODEL = "building the model"
    BODY = "laying out the body"
    BODY_AGAIN = "laying out the body again"
    FRONT = "laying out the front matter"
    BACK = "laying out the back matter"
    WRITE_PDF = "writing the PDF"
    WRITE_EPUB = "writing the EPUB"


PDF_STAGES = (Stage.BODY, Stage.FRONT, Stage.BACK, Stage.WRITE_PDF)
REPEATS = {Stage.BODY_AGAIN}  # a stage done again: shown, not counted as a step


class Progress:
    """Which stage the build is in and how far along, on a terminal; silent otherwise or with -q."""

    def __init__(self, quiet: bool, total: int = 0):
        self.enabled = not quiet and sys.stderr.isatty()
        self.start = time.perf_counter()
        self.step = 0
        self.total = total

    def __call__(self, stage: Stage, detail: str = "") -> None:
        if stage not in REPEATS:
            self.step += 1
        if self.enabled:
            shown = min(self.step, self.total)
            words = f"{stage.value}: {detail}" if detail else stage.value
            click.echo(f"[{shown}/{self.total} {time.perf_counter() - self.start:5.1f}s] {words}…", err=True)
