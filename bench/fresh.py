"""What the benchmarks share: a measurement in a fresh process (so no cache of an earlier one helps it), and
the medians of several."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys


def in_fresh_process(script: str, *args: str) -> dict:
    """Run ``script`` with ``args`` in a new interpreter; its last line of output is the measurement, as JSON."""
    output = subprocess.run([sys.executable, script, *args], capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def medians(runs: list[dict], *keys: str) -> list[float]:
    """The median of each key over the runs."""
    return [statistics.median(run[key] for run in runs) for key in keys]
