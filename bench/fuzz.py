"""Longer fuzzing of the readers and parsers, run on demand (not part of the test suite).

    python bench/fuzz.py [--examples 2000] [--targets textdump html dates feed warc jsonl] [--seed 0]

Runs the targets of tests/fuzzing.py (the ones test_robustness.py runs briefly) on many more
generated inputs. A failure is any exception other than a PresswatchError, a result of the wrong
shape, or one input taking longer than --slow seconds of CPU; failures are counted and the first few
kept (with their input), rather than stopping at the first as a test does. Prints JSON: inputs run,
refusals (PresswatchError, a valid answer), failures and the slowest input's CPU time per target.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzzing import TARGETS, WARMUP

from presswatch.errors import PresswatchError

KEPT_FAILURES = 5


def fuzz(name: str, examples: int, seed_value: int, slow: float) -> dict:
    target, strategy = TARGETS[name]
    counts = {"inputs": 0, "refused": 0, "failures": 0, "slow": 0, "slowest_cpu_s": 0.0}
    kept: list[dict] = []

    def fail(value, why: str) -> None:
        counts["failures"] += 1
        if len(kept) < KEPT_FAILURES:
            kept.append({"input": repr(value)[:300], "error": why[:300]})

    try:
        target(WARMUP[name])  # models and lazy imports loaded before any input is timed
    except PresswatchError:
        pass

    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value):
        counts["inputs"] += 1
        start = time.process_time()
        try:
            target(value)
        except PresswatchError:
            counts["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - counted, not raised, so the run goes on
            fail(value, f"{type(exc).__name__}: {exc}")
        took = time.process_time() - start
        counts["slowest_cpu_s"] = round(max(counts["slowest_cpu_s"], took), 3)
        if took > slow:
            counts["slow"] += 1
            fail(value, f"took {took:.1f} s of CPU")

    run()
    return {**counts, "first_failures": kept}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs per target")
    parser.add_argument("--targets", nargs="+", choices=sorted(TARGETS), default=list(TARGETS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=5.0, help="CPU seconds past which one input is a failure")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report = {name: fuzz(name, args.examples, args.seed, args.slow) for name in args.targets}
    total = {key: sum(r[key] for r in report.values()) for key in ("inputs", "refused", "failures")}
    print(json.dumps({"targets": report, "total": total, "seconds": round(time.perf_counter() - started, 1)},
                     indent=2, ensure_ascii=False))
    return 1 if total["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
