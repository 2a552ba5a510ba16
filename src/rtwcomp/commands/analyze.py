"""`rtwcomp analyze`: analyze an importance survey from CSV files, without a database.

Reads RESPONSES.csv (one row per respondent, one column per item) and ITEMS.csv (item,
group, optional statement and reverse), runs `rtwcomp.stats.analyze_survey`, and writes
item_stats.csv, group_stats.csv, subgroup_tests.csv, polychoric.csv, efa_loadings.csv,
structure.csv and summary.json into the output folder (with --report also report.html
and report.pdf, see docs/reports.md). The files are written to a
temporary folder next to it and moved into place only when all are complete; bad input
stops the command with one message naming file, line and column, and nothing is written.

numpy, pandas and scipy are imported inside `run`, so `--help` answers at once.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rtwcomp.commands import UsageError

OUTPUT_FILES = (
    "item_stats.csv",
    "group_stats.csv",
    "subgroup_tests.csv",
    "polychoric.csv",
    "efa_loadings.csv",
    "structure.csv",
    "summary.json",
)
REPORT_FILES = ("report.html", "report.pdf")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="analyze an importance survey (CSV in, CSV out)",
        description="Item statistics, key items, reliability, subgroup tests, polychoric "
        "correlations and factor structure of an importance survey. No database needed.",
    )
    parser.add_argument("responses", metavar="RESPONSES.csv", help="one row per respondent")
    parser.add_argument(
        "--items",
        required=True,
        metavar="ITEMS.csv",
        help="columns item, group[, statement, reverse], as `rtwcomp study export "
        "--format items.csv` writes them",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the results")
    parser.add_argument("--scale-min", type=int, default=1, help="lowest answer (default 1)")
    parser.add_argument("--scale-max", type=int, default=5, help="highest answer (default 5)")
    parser.add_argument(
        "--top", type=int, default=4, help="answers >= TOP count as important (default 4)"
    )
    parser.add_argument(
        "--key-share",
        type=float,
        default=0.5,
        help="an item is key when its share of important answers exceeds this (default 0.5)",
    )
    parser.add_argument(
        "--subgroups", default="", metavar="COL,COL", help="respondent columns to compare"
    )
    parser.add_argument(
        "--id-column",
        default=None,
        metavar="COL",
        help="column of unique respondent ids (default: respondent_id, if present)",
    )
    parser.add_argument(
        "--factors", default="auto", metavar="auto|N", help="number of factors (default auto)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed for parallel analysis")
    parser.add_argument(
        "--report", action="store_true", help="also write report.html and report.pdf"
    )
    parser.set_defaults(handler=run)


class ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    WIDTH = 30

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.last = ""

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        filled = int(self.WIDTH * done / total) if total else 0
        line = f"\r{step:<26} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}"
        if line != self.last:
            self.stream.write(line)
            self.stream.flush()
            self.last = line

    def close(self) -> None:
        if self.enabled and self.last:
            self.stream.write("\r" + " " * (len(self.last) + 2) + "\r")
            self.stream.flush()


def _options(args: argparse.Namespace) -> Any:
    from rtwcomp.stats import SurveyOptions

    factors: int | None = None
    if args.factors != "auto":
        try:
            factors = int(args.factors)
        except ValueError:
            raise UsageError(
                f"--factors must be 'auto' or a number, not '{args.factors}'"
            ) from None
    subgroups = tuple(s.strip() for s in args.subgroups.split(",") if s.strip())
    try:
        return SurveyOptions(
            scale_min=args.scale_min,
            scale_max=args.scale_max,
            top=args.top,
            key_share=args.key_share,
            subgroups=subgroups,
            factors=factors,
            seed=args.seed,
        )
    except ValueError as error:
        raise UsageError(str(error)) from None


def _read(path: Path, which: str) -> Any:
    """A responses or items CSV read through the product's CSV reader (its limits in
    `rtwcomp.interop.survey_files`); any problem ends the command with its first message."""
    from rtwcomp.interop import survey_files
    from rtwcomp.interop.errors import InputError

    if which == "items":
        limits, required = survey_files.ITEMS_LIMITS, ("item", "group")
    else:
        limits, required = survey_files.RESPONSES_LIMITS, ()
    try:
        return survey_files.read_survey_csv(path, path.name, limits, required)
    except InputError as error:
        hint = ""
        if which == "items" and "'item'" in error.problems[0]:
            hint = (
                "; write an items file with `rtwcomp study export SLUG --format items.csv` "
                "or `rtwcomp framework export SLUG --format items`"
            )
        raise UsageError(_one_message(error.problems) + hint) from None


def _one_message(problems: list[str]) -> str:
    more = len(problems) - 1
    return problems[0] + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")


def _frame(table: Any, text_columns: list[str] | None) -> Any:
    from rtwcomp.interop.errors import InputError

    try:
        return table.frame(text_columns)
    except InputError as error:
        raise UsageError(_one_message(error.problems)) from None


def _located(error: Any, responses: Any, items: Any) -> str:
    """A SurveyDataError as 'FILE, line L, column 'C': message'."""
    table = items if error.table == "items" else responses
    where = [table.name]
    if error.row is not None:
        where.append(f"line {table.lines[error.row]}")
    elif error.column is not None:
        where.append("line 1")
    if error.column is not None:
        where.append(f"column '{error.column}'")
    return f"{', '.join(where)}: {error.message}"


def check_out_folder(out: Path) -> None:
    """Refuse an output folder that holds anything but the results of an earlier run."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    if out.is_dir():
        others = sorted(set(os.listdir(out)) - set(OUTPUT_FILES) - set(REPORT_FILES))
        if others:
            raise UsageError(
                f"--out {out}: the folder holds other files ({', '.join(others[:3])}); "
                "choose a new or empty folder"
            )


def write_outputs(
    result: Any, summary: dict[str, Any], out: Path, extra: Callable[[Path], Any] | None = None
) -> None:
    """Write every file to a temporary folder, then move it into place as a whole.

    `extra(folder)` writes more files (the report) into the same temporary folder, so
    they too appear all together or not at all.
    """
    from rtwcomp.interop.csv_output import write_frame

    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    try:
        write_frame(result.items, staging / "item_stats.csv")
        write_frame(result.groups, staging / "group_stats.csv")
        write_frame(result.subgroup_tests, staging / "subgroup_tests.csv")
        write_frame(result.polychoric, staging / "polychoric.csv", index=True, index_label="item")
        write_frame(result.loadings, staging / "efa_loadings.csv")
        write_frame(result.structure, staging / "structure.csv")
        with (staging / "summary.json").open("w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=2, allow_nan=False)
            handle.write("\n")
        if extra is not None:
            extra(staging)
        staging.chmod(0o755)
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=parent))
            os.replace(out, retired / out.name)
            os.replace(staging, out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _single_threaded_blas() -> None:
    """Ask BLAS for one thread unless the user chose otherwise.

    The analysis makes many small matrix operations (100 x 100 eigen-decompositions in the
    factor analysis) for which starting and synchronising threads costs more than it
    saves, badly so when other processes share the cores. It only takes effect before
    numpy is first imported, which in this command happens just below.
    """
    if "numpy" not in sys.modules:
        for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(variable, "1")


def _report_writer(
    args: argparse.Namespace,
    result: Any,
    options: Any,
    responses: Any,
    items: Any,
    id_column: str | None,
    bar: ProgressBar,
) -> Callable[[Path], Any] | None:
    """With --report: a function writing report.html and report.pdf into a folder.

    The characteristics section shows the respondent columns that are not items and not
    the id; the report date is SOURCE_DATE_EPOCH or else the inputs' modification date.
    """
    if not args.report:
        return None
    import datetime as dt

    from rtwcomp.reports import ReportData, report_date, write_report

    item_ids = {str(i).strip() for i in items["item"]}
    attributes = [c for c in responses.columns if c not in item_ids and c != id_column]
    paths = (Path(args.responses), Path(args.items))
    changed = max(dt.datetime.fromtimestamp(p.stat().st_mtime, tz=dt.UTC) for p in paths)
    try:
        date = report_date(changed.date())
    except ValueError as error:
        raise UsageError(str(error)) from None
    data = ReportData(
        title=Path(args.responses).stem,
        date=date,
        analysis=result,
        options=options,
        respondents=responses[attributes] if attributes else None,
        source=f"{paths[0].name}, {paths[1].name}",
    )

    def write(folder: Path) -> None:
        bar("report", 0, 1)
        write_report(data, folder)
        bar("report", 1, 1)

    return write


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    _single_threaded_blas()
    from rtwcomp.stats import SurveyDataError, analyze_survey

    options = _options(args)
    responses_path, items_path, out = Path(args.responses), Path(args.items), Path(args.out)
    check_out_folder(out)
    bar = ProgressBar()
    bar("reading", 0, 2)
    items_csv = _read(items_path, "items")
    responses_csv = _read(responses_path, "responses")
    items = _frame(items_csv, None)
    header = responses_csv.header
    id_column = args.id_column
    if id_column is None and "respondent_id" in header:
        id_column = "respondent_id"
    text_columns = [*options.subgroups, *([id_column] if id_column else [])]
    if id_column and id_column not in header:
        raise UsageError(f"{responses_path.name}, line 1: there is no column '{id_column}'")
    responses = _frame(responses_csv, text_columns)
    bar("reading", 2, 2)
    read_seconds = time.perf_counter() - started
    try:
        result = analyze_survey(responses, items, options, id_column=id_column, progress=bar)
    except SurveyDataError as error:
        bar.close()
        raise UsageError(_located(error, responses_csv, items_csv)) from None
    summary = dict(result.summary)
    summary["inputs"] = {"responses": responses_path.name, "items": items_path.name}
    timings = dict(summary["timings_seconds"])
    timings["read"] = round(read_seconds, 4)
    timings["total_before_writing"] = round(time.perf_counter() - started, 4)
    summary["timings_seconds"] = timings
    bar("writing", 0, 1)
    report = _report_writer(args, result, options, responses, items, id_column, bar)
    write_outputs(result, summary, out, report)
    bar.close()
    counts = summary["counts"]
    factors = summary["factors"]["n"]
    print(
        f"{counts['respondents']} respondents, {counts['items']} items: "
        f"{summary['key_items']} key items, {factors} factor{'' if factors == 1 else 's'}; "
        f"results in {out}"
    )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
