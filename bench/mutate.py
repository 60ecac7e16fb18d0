"""Mutation run: N mutated copies of real TEI through `edition validate` (and a sample through build).

    python bench/mutate.py [N] [--seed S] [--builds K] [--timeout SECONDS]

Each case is one file of the Serge edition, the test fixtures or ../shared/foreign-tei/ changed by
one to three seeded mutations (tests/mutations.py), run in a fresh copy of its edition in a worker
process; a case that outlives the timeout kills the worker. Prints the cases, the exit codes, the
slowest runs and every breach of the contract (traceback, exit 3, a diagnostic not on one located
line, a slow run, a write outside the output folder, a network attempt).
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from mutations import describe, in_process, make_case, real_sources, run_case  # noqa: E402

SHARED = ROOT.parent / "shared"


def worker(connection, seed: int, scratch_root: str) -> None:
    sources = real_sources(ROOT, SHARED)
    invoke = in_process()
    while True:
        job = connection.recv()
        if job is None:
            return
        number, command = job
        case = make_case(number, seed, sources)
        case.command = command
        scratch = Path(scratch_root) / f"case-{number}"
        scratch.mkdir()
        os.chdir(scratch)
        try:
            # a build of the whole Serge edition takes about a minute: its limit only catches a hang
            outcome = run_case(case, scratch, invoke, limit_seconds=5.0 if command == "validate" else 300.0)
            connection.send((outcome.exit_code, outcome.seconds, outcome.problems, outcome.output[-600:]))
        finally:
            os.chdir(scratch_root)
            shutil.rmtree(scratch, ignore_errors=True)


class Worker:
    def __init__(self, seed: int, scratch_root: str):
        self.seed, self.scratch_root = seed, scratch_root
        self.start()

    def start(self) -> None:
        self.connection, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=worker, args=(child, self.seed, self.scratch_root), daemon=True)
        self.process.start()

    def run(self, number: int, command: str, timeout: float):
        self.connection.send((number, command))
        if self.connection.poll(timeout):
            return self.connection.recv()
        self.process.kill()
        self.process.join()
        self.start()
        return None

    def stop(self) -> None:
        self.connection.send(None)
        self.process.join(5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="?", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--builds", type=int, default=20, help="how many of the cases also run a build (--force)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a case counts as a hang")
    options = parser.parse_args()

    sources = real_sources(ROOT, SHARED)
    if not (SHARED / "foreign-tei").is_dir():
        print(f"note: {SHARED / 'foreign-tei'} is absent; running on the Serge edition and the fixtures only")
    build_every = max(1, options.cases // options.builds) if options.builds else 0
    exit_codes: collections.Counter = collections.Counter()
    build_codes: collections.Counter = collections.Counter()
    kinds: collections.Counter = collections.Counter()
    failures: list[str] = []
    slowest: list[tuple[float, str]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="edition-mutate-") as scratch_root:
        runner = Worker(options.seed, scratch_root)
        for number in range(options.cases):
            case = make_case(number, options.seed, sources)
            kinds.update(case.mutations)
            commands = ["validate"] + (["build"] if build_every and number % build_every == 0 else [])
            for command in commands:
                result = runner.run(number, command, options.timeout)
                label = f"{describe(case)} [{command}]"
                if result is None:
                    failures.append(f"{label}: no answer in {options.timeout:.0f} s")
                    (build_codes if command == "build" else exit_codes)["timeout"] += 1
                    continue
                code, seconds, problems, tail = result
                (build_codes if command == "build" else exit_codes)[code] += 1
                slowest = sorted(slowest + [(seconds, label)], reverse=True)[:5]
                if problems:
                    failures.append(f"{label}: {'; '.join(p[:300] for p in problems)}\n    ...{tail[-300:]!r}")
            if number and number % 500 == 0:
                print(f"  {number} cases, {len(failures)} failures, {time.perf_counter() - started:.0f} s", flush=True)
        runner.stop()
    elapsed = time.perf_counter() - started
    print(f"cases: {options.cases} (seed {options.seed}), {sum(build_codes.values())} builds, "
          f"{len(sources)} source editions, {elapsed:.0f} s")
    print("validate exit codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(exit_codes.items(), key=str)))
    if build_codes:
        print("build exit codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(build_codes.items(), key=str)))
    print("mutations applied: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    print("slowest runs: " + "; ".join(f"{s:.1f} s {label}" for s, label in slowest))
    print(f"failures: {len(failures)}")
    for failure in failures:
        print("  " + failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
