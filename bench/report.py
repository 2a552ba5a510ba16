"""Benchmark the study report: the PDF of a 148 x 100 survey against its analysis.

Generates the survey of `bench/analysis.py` (148 respondents x 100 items in eight groups,
country and profession attributes), then, in this one process, times

- the analysis alone (`analyze_survey`, two subgroup variables): the baseline;
- the PDF (`render_pdf`: tables, charts, WeasyPrint layout), and the HTML.

Each is run `--repeat` times after one warm-up (imports, font discovery, caches of the
first render are not counted; the warm-up's own times are printed too) and the best time
is kept. Times are CPU seconds of this process ("work"; `--wall` for wall-clock seconds,
which other processes on a shared machine inflate). It prints seconds and the ratio
PDF / analysis. Example:

    python bench/report.py                # 148x100, best of 3
    python bench/report.py --size 300x60 --repeat 1
    python bench/report.py --profile      # cProfile of one PDF render, top 25 by cumulative time
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # as `rtwcomp analyze` does

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis import generate  # noqa: E402
from rtwcomp.reports import ReportData, render_html, render_pdf  # noqa: E402
from rtwcomp.stats import SurveyOptions, analyze_survey  # noqa: E402

CLOCK = time.process_time


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(first run's seconds, best later run's seconds, last result)."""
    start = CLOCK()
    result = work()
    first = CLOCK() - start
    best = first if repeat < 1 else float("inf")
    for _ in range(repeat):
        start = CLOCK()
        result = work()
        best = min(best, CLOCK() - start)
    return first, best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="148x100", help="respondents x items")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after the warm-up")
    parser.add_argument("--profile", action="store_true", help="cProfile one PDF render")
    parser.add_argument("--wall", action="store_true", help="wall-clock instead of CPU time")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.perf_counter if args.wall else time.process_time
    rows, cols = (int(v) for v in args.size.lower().split("x"))
    responses, items = generate(rows, cols, seed=12)
    answers = responses.drop(columns=["respondent_id"])
    options = SurveyOptions(subgroups=("country", "profession"))

    def analysis() -> Any:
        return analyze_survey(answers, items, options)

    first_a, best_a, result = best_of(args.repeat, analysis)
    data = ReportData(
        title=f"Benchmark {rows} x {cols}",
        date=dt.date(2024, 5, 1),
        analysis=result,
        options=options,
        respondents=responses[["country", "profession"]],
        source="bench/report.py",
    )
    if args.profile:
        render_pdf(data)  # warm-up
        profiler = cProfile.Profile()
        profiler.enable()
        render_pdf(data)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return 0
    first_p, best_p, pdf = best_of(args.repeat, lambda: render_pdf(data))
    first_h, best_h, html = best_of(args.repeat, lambda: render_html(data))
    kind = "wall-clock" if args.wall else "CPU"
    print(
        f"survey {rows} x {cols}; {kind} seconds, best of {args.repeat} after a warm-up "
        "(warm-up in brackets)"
    )
    print(f"analysis alone : {best_a:7.3f} s  ({first_a:.3f})")
    print(f"PDF report     : {best_p:7.3f} s  ({first_p:.3f})  {len(pdf) / 1024:.0f} KiB")
    print(f"HTML report    : {best_h:7.3f} s  ({first_h:.3f})  {len(html) / 1024:.0f} KiB")
    print(f"ratio PDF / analysis: {best_p / best_a:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
