"""The build's settings, read once from the command line into one frozen value."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildConfig:
    sources: tuple[Path, ...]
    out_dir: Path
    formats: tuple[str, ...]
    strict: bool = False
    quiet: bool = False
    force: bool = False

    def output(self, name: str, suffix: str) -> Path:
        return self.out_dir / f"{name}{suffix}"
