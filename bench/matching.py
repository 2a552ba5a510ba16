"""How fast the mentor matching is at a programme's size, against a named baseline.

200 mentees x 40 mentors (capacity 5 each, 200 places) over the default framework's 156
competencies, random needs and levels from a fixed seed. The baseline, run in the same
process, is the one matrix product of the same size that the coverage needs
(mentees x competencies by competencies x mentors); the matching must finish in under a
second. Prints the median of each, the ratio, and the need covered.

    OPENBLAS_NUM_THREADS=1 python bench/matching.py [--repeat 20]

(One BLAS thread keeps the baseline steady; with BLAS threads competing for a busy
machine's cores the matrix product varies a hundredfold.)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rtwcomp.mentoring import matching  # noqa: E402

MENTEES, MENTORS, COMPETENCIES, CAPACITY = 200, 40, 156, 5
LIMIT = 1.0  # seconds


def instance(seed: int = 2010):
    """The matching's own input: mentee -> competency -> need, mentor -> competency -> level."""
    rng = np.random.default_rng(seed)
    gaps = rng.integers(0, 3, size=(MENTEES, COMPETENCIES)) * rng.random((MENTEES, COMPETENCIES))
    levels = rng.integers(0, 5, size=(MENTORS, COMPETENCIES)).astype(float)
    needs = {f"e{i}": {c: float(gaps[i, c]) for c in range(COMPETENCIES)} for i in range(MENTEES)}
    strengths = {f"m{j}": {c: levels[j, c] for c in range(COMPETENCIES)} for j in range(MENTORS)}
    return needs, strengths, {f"m{j}": CAPACITY for j in range(MENTORS)}, gaps, levels


def median_time(call, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    needs, strengths, capacity, gaps, levels = instance()
    strong = (levels >= matching.STRONG_LEVEL).astype(float)
    baseline, _ = median_time(lambda: gaps @ strong.T, args.repeat)
    took, pairs = median_time(lambda: matching.match(needs, strengths, capacity), args.repeat)
    covered = sum(p.covered for p in pairs)
    print(f"baseline: one {MENTEES}x{COMPETENCIES} by {COMPETENCIES}x{MENTORS} matrix product")
    print(f"  median {baseline * 1000:9.3f} ms")
    print(f"matching {MENTEES} mentees to {MENTORS} mentors (capacity {CAPACITY} each)")
    print(f"  median {took * 1000:9.3f} ms, {took / baseline:,.0f}x the baseline")
    print(f"  {len(pairs)} pairs, need covered {covered:.1f}")
    if took >= LIMIT:
        print(f"FAIL: over {LIMIT:.0f} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
