"""A simulated study written as the files `rtwcomp analyze` and the product's importers read."""

from __future__ import annotations

import json
from pathlib import Path

from rtwcomp.interop.csv_output import write_frame
from rtwcomp.simulation.study import SimulatedStudy

FILES = ("responses.csv", "items.csv", "statements.csv", "study.json")


def write_study(study: SimulatedStudy, folder: Path) -> list[Path]:
    """responses.csv (one row per respondent), items.csv (item, group, statement, reverse
    and the simulated extras), statements.csv (what the focus groups said) and study.json
    (the design, the seed and the funnel)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / name for name in FILES]
    write_frame(study.responses_frame(), paths[0])
    write_frame(study.items_frame(), paths[1])
    write_frame(study.statements_frame(), paths[2])
    summary = {
        "seed": study.seed,
        "design": {
            k: v for k, v in vars(study.design).items() if isinstance(v, int | float | tuple)
        },
        "funnel": study.funnel(),
    }
    paths[3].write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return paths
