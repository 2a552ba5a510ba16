"""`rtwcomp power` speed: 1,000 simulated studies of 148 x 100 against one analysis.

    python bench/power.py [--studies 1000]

Times, in the same process, (a) one `analyze_survey` run on one simulated study of 148
respondents x 100 items (what `rtwcomp analyze` computes) and (b) the vectorised power
statistics (key status, Wilson half-widths, flips, subgroup tests under BH) for 1,000
simulated studies of the same size, and reports both and their ratio. The target is
(b) under a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import time

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import numpy as np  # noqa: E402

from rtwcomp.simulation import power  # noqa: E402
from rtwcomp.simulation.study import simulate_study  # noqa: E402
from rtwcomp.stats import SurveyOptions, analyze_survey  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--studies", type=int, default=1000)
    args = parser.parse_args()
    study = simulate_study(seed=1)
    responses = study.responses_frame()
    items = study.items_frame()[["item", "group", "statement", "reverse"]]
    started = time.perf_counter()
    analyze_survey(
        responses, items, SurveyOptions(subgroups=("country", "nurse")), id_column="respondent_id"
    )
    one_analysis = time.perf_counter() - started
    question = power.PowerQuestion(sizes=(148,), studies=args.studies)
    started = time.perf_counter()
    power.respondents_table(study.design, study.surveys.model, question, np.random.default_rng(1))
    simulated = time.perf_counter() - started
    print(f"one analyze_survey run (148 x 100):        {one_analysis:8.2f} s")
    print(f"{args.studies} simulated studies (148 x 100): {simulated:8.2f} s")
    print(f"ratio simulated / one analysis:            {simulated / one_analysis:8.2f}")


if __name__ == "__main__":
    main()
