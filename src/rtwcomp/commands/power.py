"""`rtwcomp power`: sample sizes for a competency study, by simulation.

Respondents needed for a target interval half-width on the share of answers 4-5 or a
target chance of an item's key status flipping, power to detect a subgroup difference
under Benjamini-Hochberg control, and focus groups needed for saturation. Writes
power.csv, saturation.csv, needed.json, power.svg and power.png. No database.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rtwcomp.commands import UsageError
from rtwcomp.commands.simulate import add_design_options, design_from


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "power",
        help="sample sizes by simulation (respondents, subgroups, focus groups)",
        description="Simulate many studies of the design to find the respondents and "
        "focus groups a study needs; a table on screen, CSV, JSON and a plot in DIR.",
    )
    add_design_options(parser)
    parser.add_argument(
        "--sizes",
        default="50,75,100,148,200,300",
        metavar="N,N,...",
        help="respondent numbers to simulate",
    )
    parser.add_argument("--studies", type=int, default=1000, help="simulated studies per size")
    parser.add_argument("--effect", type=float, default=0.5, help="subgroup difference, SD")
    parser.add_argument(
        "--subgroup-share",
        type=float,
        default=0.25,
        help="share of respondents in the subgroup (default 0.25)",
    )
    parser.add_argument("--alpha", type=float, default=0.05, help="BH q threshold")
    parser.add_argument("--half-width", type=float, default=0.10, help="target half-width")
    parser.add_argument("--flip", type=float, default=0.05, help="target key-flip chance")
    parser.add_argument("--max-groups", type=int, default=16, help="focus groups to simulate")
    parser.add_argument(
        "--saturation",
        type=float,
        default=0.90,
        help="target share of the item bank said at least once",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("-o", "--out", required=True, metavar="DIR", help="folder to write")
    parser.set_defaults(handler=run)


def question_from(args: argparse.Namespace) -> Any:
    from rtwcomp.simulation.power import PowerQuestion

    try:
        sizes = tuple(sorted({int(s) for s in args.sizes.split(",") if s.strip()}))
    except ValueError:
        raise UsageError(
            f"--sizes must be whole numbers separated by commas, not '{args.sizes}'"
        ) from None
    problems = []
    if not sizes or min(sizes) < 2:
        problems.append("--sizes must list numbers of at least 2")
    if not 1 <= args.studies <= 100_000:
        problems.append("--studies must be between 1 and 100000")
    if not 0 < args.subgroup_share < 1 or not 0 < args.alpha < 1:
        problems.append("--subgroup-share and --alpha must be between 0 and 1")
    if not 1 <= args.max_groups <= 200:
        problems.append("--max-groups must be between 1 and 200")
    if problems:
        raise UsageError("; ".join(problems))
    return PowerQuestion(
        sizes,
        args.studies,
        args.effect,
        args.subgroup_share,
        args.alpha,
        args.half_width,
        args.flip,
        args.max_groups,
        args.saturation,
    )


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from rtwcomp.interop.csv_output import write_frame
    from rtwcomp.simulation import plot, power
    from rtwcomp.simulation.bank import load_bank
    from rtwcomp.simulation.study import DesignError, simulate_study

    design, question, out = design_from(args), question_from(args), Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {out}: exists and is not a folder")
    bank = load_bank()
    try:
        study = simulate_study(design, seed=args.seed, bank=bank)
    except DesignError as error:
        raise UsageError(str(error)) from None
    rng = np.random.default_rng([args.seed, 1])
    table = power.respondents_table(design, study.surveys.model, question, rng)
    curve = power.saturation_curve(design, len(bank), question, rng)
    needed = power.answers_needed(table, curve, question)
    out.mkdir(parents=True, exist_ok=True)
    write_frame(table.round(4), out / "power.csv")
    write_frame(curve.round(4), out / "saturation.csv")
    (out / "needed.json").write_text(json.dumps(needed, indent=2) + "\n", encoding="utf-8")
    plot.power_figure(table, curve, question, out)
    print(table.round(3).to_string(index=False))
    for name, value in needed.items():
        print(f"{name}: {value if value is not None else 'more than simulated'}")
    return 0
