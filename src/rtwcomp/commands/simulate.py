"""`rtwcomp simulate`: a simulated competency study, written as files `rtwcomp analyze` reads.

No database: the generator (`rtwcomp.simulation`) runs focus groups over the default item
bank, picks the surveyed items and draws respondents' ratings from a graded response
model calibrated to the 2010 study. numpy is imported inside `run`, so `--help` is quick.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from rtwcomp.commands import UsageError

DESIGN_OPTIONS = (
    # (option, design field, type, help)
    ("--items", "surveyed_items", int, "surveyed items (default 100)"),
    ("--most-cited", "most_cited", int, "of them the most cited (default 88)"),
    ("--respondents", "respondents", int, "survey respondents (default 148)"),
    ("--focus-groups", "focus_groups", int, "focus groups (default 8)"),
    ("--participants", "participants", int, "focus-group participants (default 75)"),
    ("--statements", "statements", int, "expected focus-group statements (default 904)"),
    ("--missing", "missing", float, "probability an answer is missing (default 0.02)"),
    ("--key-share", "key_share", float, "expected share of key items (default 0.83)"),
    ("--group-correlation", "group_correlation", float, "correlation of group factors (0.55)"),
    ("--nurse-shift", "nurse_shift", float, "nurses' shift on medical items, SD (1.0)"),
    ("--country-shift", "country_shift", float, "shift of the second country, SD (0)"),
    ("--citation-skew", "citation_skew", float, "Zipf exponent of citations (1.0)"),
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="simulate a competency study (files `rtwcomp analyze` reads)",
        description="Simulate focus groups and an importance survey calibrated to the 2010 "
        "RTW coordinator study; write responses.csv, items.csv, statements.csv and "
        "study.json into DIR. Analyze them with `rtwcomp analyze DIR/responses.csv "
        "--items DIR/items.csv --subgroups country,nurse --out RESULTS`.",
    )
    add_design_options(parser)
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("-o", "--out", required=True, metavar="DIR", help="folder to write")
    parser.set_defaults(handler=run)


def add_design_options(parser: argparse.ArgumentParser) -> None:
    for option, field, kind, text in DESIGN_OPTIONS:
        parser.add_argument(option, dest=field, type=kind, default=None, help=text)


def design_from(args: argparse.Namespace) -> Any:
    from rtwcomp.simulation.design import StudyDesign

    changes = {
        f: getattr(args, f) for _, f, _, _ in DESIGN_OPTIONS if getattr(args, f, None) is not None
    }
    design = StudyDesign().with_(**changes)
    message = "; ".join(design.problems())
    if message:
        for option, field, _, _ in DESIGN_OPTIONS:  # name the options the user typed
            message = message.replace(field, option)
        raise UsageError(message)
    return design


def _check_folder(out: Path, names: tuple[str, ...]) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {out}: exists and is not a folder")
    if out.is_dir():
        others = sorted(set(os.listdir(out)) - set(names))
        if others:
            raise UsageError(f"-o {out}: the folder holds other files ({', '.join(others[:3])})")


def run(args: argparse.Namespace) -> int:
    from rtwcomp.simulation.files import FILES, write_study
    from rtwcomp.simulation.study import DesignError, simulate_study

    out = Path(args.out)
    _check_folder(out, FILES)
    try:
        study = simulate_study(design_from(args), seed=args.seed)
    except DesignError as error:
        raise UsageError(str(error)) from None
    write_study(study, out)
    funnel = study.funnel()
    print(
        f"{funnel['focus_groups']} focus groups, {funnel['participants']} participants, "
        f"{funnel['statements']} statements, {funnel['unique_items']} unique items; "
        f"{funnel['surveyed_items']} items x {funnel['respondents']} respondents, "
        f"{funnel['key_items']} key items; files in {out}"
    )
    return 0
