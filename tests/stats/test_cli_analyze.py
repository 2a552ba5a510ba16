"""`rtwcomp analyze` end to end: outputs, and one clear message for each kind of bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rtwcomp.cli import main
from rtwcomp.commands.analyze import OUTPUT_FILES, ProgressBar


def write_survey(folder: Path, n: int = 60) -> tuple[Path, Path]:
    rng = np.random.default_rng(11)
    factors = rng.normal(size=(n, 2))
    answers = np.clip(
        np.round(3.5 + factors[:, [0, 0, 0, 1, 1, 1]] + rng.normal(size=(n, 6))), 1, 5
    )
    responses = pd.DataFrame(answers.astype(int), columns=[f"q{j}" for j in range(1, 7)])
    responses.insert(0, "country", rng.choice(["AU", "CA"], n))
    responses.insert(0, "respondent_id", [f"R{i}" for i in range(n)])
    responses.loc[3, "q2"] = None
    items = pd.DataFrame(
        {
            "item": [f"q{j}" for j in range(1, 7)],
            "group": ["care"] * 3 + ["law"] * 3,
            "statement": ["Listens, and explains"] + [""] * 5,
            "reverse": [0] * 6,
        }
    )
    responses_path, items_path = folder / "responses.csv", folder / "items.csv"
    responses.astype({"q2": "Int64"}).to_csv(responses_path, index=False)
    items.to_csv(items_path, index=False)
    return responses_path, items_path


def analyze(responses: Path, items: Path, out: Path, *extra: str) -> int:
    return main(["analyze", str(responses), "--items", str(items), "--out", str(out), *extra])


@pytest.fixture
def survey(tmp_path: Path) -> tuple[Path, Path]:
    return write_survey(tmp_path)


def test_writes_every_output(survey: tuple[Path, Path], tmp_path: Path, capsys) -> None:
    out = tmp_path / "results"
    assert analyze(*survey, out, "--subgroups", "country", "--factors", "2") == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["respondents"] == 60
    assert summary["options"]["subgroups"] == ["country"]
    assert summary["inputs"] == {"responses": "responses.csv", "items": "items.csv"}
    assert {"numpy", "scipy", "pandas", "rtwcomp"} <= set(summary["versions"])
    assert "polychoric" in summary["timings_seconds"]
    items = pd.read_csv(out / "item_stats.csv")
    assert items.loc[0, "statement"] == "Listens, and explains"
    assert items.loc[1, "n_missing"] == 1
    assert len(pd.read_csv(out / "subgroup_tests.csv")) == 8
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert "60 respondents, 6 items" in capsys.readouterr().out


def test_rerun_replaces_earlier_results_but_never_other_files(
    survey: tuple[Path, Path], tmp_path: Path, capsys
) -> None:
    out = tmp_path / "results"
    assert analyze(*survey, out, "--factors", "1") == 0
    assert analyze(*survey, out, "--factors", "2") == 0
    assert json.loads((out / "summary.json").read_text())["factors"]["n"] == 2
    (out / "notes.txt").write_text("mine")
    assert analyze(*survey, out) == 2
    assert "holds other files (notes.txt)" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "mine"


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)


BAD_INPUTS = [
    (
        "non-numeric answer",
        lambda r, i: edit_csv(r, 4, "q3", "often"),
        [],
        "responses.csv, line 6, column 'q3': answer 'often' is not a number",
    ),
    (
        "answer off the scale",
        lambda r, i: edit_csv(r, 0, "q5", "9"),
        [],
        "responses.csv, line 2, column 'q5': answer '9' is not a whole number on the scale 1-5",
    ),
    (
        "duplicate column",
        lambda r, i: r.write_text(r.read_text().replace(",q4,", ",q1,", 1)),
        [],
        "responses.csv: line 1: column 'q1' appears more than once (columns 3 and 6)",
    ),
    (
        "missing column in the items file",
        lambda r, i: pd.read_csv(i).drop(columns="group").to_csv(i, index=False),
        [],
        "items.csv: line 1: required column 'group' is missing",
    ),
    (
        "item without responses",
        lambda r, i: edit_csv(i, 5, "item", "q7"),
        [],
        "items.csv, line 7, column 'item': item 'q7' has no column in the responses",
    ),
    (
        "responses column missing from the items file",
        lambda r, i: pd.read_csv(i).iloc[:5].to_csv(i, index=False),
        [],
        "responses.csv, line 1, column 'q6': column 'q6' looks like an item but is not listed",
    ),
    (
        "item listed twice",
        lambda r, i: edit_csv(i, 4, "item", "q2"),
        [],
        "items.csv, line 6, column 'item': item 'q2' is listed twice (rows 2 and 5)",
    ),
    (
        "bad reverse flag",
        lambda r, i: edit_csv(i, 2, "reverse", "yes please"),
        [],
        "items.csv, line 4, column 'reverse': reverse must be blank, 0 or 1",
    ),
    (
        "empty responses file",
        lambda r, i: r.write_text(""),
        [],
        "responses.csv: line 1: the file is empty",
    ),
    (
        "header only",
        lambda r, i: r.write_text(r.read_text().splitlines()[0] + "\n"),
        [],
        "responses.csv: there is a header but no rows",
    ),
    (
        "ragged row",
        lambda r, i: r.write_text(r.read_text() + "R99,AU,1,2,3,4,5,1,9\n"),
        [],
        "responses.csv: line 62: more values than columns in the header",
    ),
    (
        "duplicate respondent",
        lambda r, i: edit_csv(r, 9, "respondent_id", "R2"),
        [],
        "responses.csv, line 11, column 'respondent_id': respondent 'R2' appears twice",
    ),
    (
        "unknown subgroup column",
        lambda r, i: None,
        ["--subgroups", "region"],
        "there is no column 'region'",
    ),
    ("missing file", lambda r, i: r.unlink(), [], "responses.csv: no such file"),
    (
        "bad factors option",
        lambda r, i: None,
        ["--factors", "many"],
        "--factors must be 'auto' or a number",
    ),
    ("top off the scale", lambda r, i: None, ["--top", "6"], "top (6) must lie on the scale 1-5"),
    (
        "a cell over Python's csv field limit",
        lambda r, i: edit_csv(i, 0, "statement", "x" * 200_000),
        [],
        "items.csv: line 2, column 'statement': longer than 10,000 characters",
    ),
    (
        "a wide cell before a bad answer (the line search once crashed on it)",
        lambda r, i: (edit_csv(r, 0, "country", "A" * 200_000), edit_csv(r, 4, "q3", "often")),
        [],
        "responses.csv: line 2, column 'country': longer than 10,000 characters",
    ),
    (
        "a NUL character",
        lambda r, i: edit_csv(r, 2, "country", "A\x00U"),
        [],
        "responses.csv: line 4, column 'country': holds a NUL character",
    ),
    (
        "not UTF-8",
        lambda r, i: i.write_bytes(i.read_bytes().replace(b"Listens", b"\xe9coute")),
        [],
        "items.csv: line 2: not UTF-8 text",
    ),
]


@pytest.mark.parametrize(
    ("change", "extra", "message"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_input_exits_2_with_one_message_and_writes_nothing(
    survey: tuple[Path, Path], tmp_path: Path, capsys, change, extra, message
) -> None:
    responses, items = survey
    change(responses, items)
    out = tmp_path / "results"
    assert analyze(responses, items, out, *extra) == 2
    err = capsys.readouterr().err
    assert err.startswith("rtwcomp: error: ")
    assert message in err
    assert err.count("\n") == 1
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_degenerate_data_is_analyzed_with_warnings(
    survey: tuple[Path, Path], tmp_path: Path, capsys
) -> None:
    responses, items = survey
    frame = pd.read_csv(responses, dtype=str, keep_default_na=False)
    frame["q6"] = "3"  # no variance
    frame.loc[5, [f"q{j}" for j in range(1, 7)]] = ""  # a respondent with no answers
    frame.loc[:4, "country"] = "NZ"  # 5 respondents, 4 of whom answered q2 (row 3 did not)
    frame.to_csv(responses, index=False)
    out = tmp_path / "results"
    assert analyze(responses, items, out, "--subgroups", "country") == 0
    summary = json.loads((out / "summary.json").read_text())
    assert "q6" in summary["excluded_items"]
    warnings = " ".join(summary["warnings"])
    assert "1 respondent(s) answered no item" in warnings
    tests = pd.read_csv(out / "subgroup_tests.csv").set_index("target")
    assert tests.loc["q2", "suppressed"] and pd.isna(tests.loc["q2", "p"])
    assert tests.loc["q2", "levels"].endswith("; NZ: 4")
    assert pd.isna(tests.loc["q6", "p"])  # every answer ties
    assert not tests.drop(index="q2")["suppressed"].any()
    assert tests.drop(index=["q2", "q6"])["p"].notna().all()
    assert "warning:" in capsys.readouterr().err
    groups = pd.read_csv(out / "group_stats.csv")
    assert groups["alpha"].notna().all()


def test_progress_bar_draws_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    bar = ProgressBar(screen)
    bar("polychoric correlations", 3, 6)
    bar.close()
    assert "polychoric correlations" in screen.getvalue() and "#" * 15 in screen.getvalue()
    pipe = io.StringIO()
    ProgressBar(pipe)("polychoric correlations", 3, 6)
    assert pipe.getvalue() == ""


def test_line_numbers_allow_for_multi_line_statements_and_blank_lines(
    tmp_path: Path, capsys
) -> None:
    items = tmp_path / "items.csv"
    items.write_text('item,group,statement\nq1,g,"Listens,\nthen explains"\n\nq2,,Plans\n')
    responses = tmp_path / "responses.csv"
    responses.write_text("q1,q2\n1,2\n2,1\n")
    assert analyze(responses, items, tmp_path / "out") == 2
    assert "items.csv, line 5, column 'group': item 'q2' has no group" in capsys.readouterr().err


def test_more_rows_than_the_limit_is_refused(
    survey: tuple[Path, Path], tmp_path: Path, capsys, monkeypatch
) -> None:
    from rtwcomp.interop import survey_files
    from rtwcomp.interop.csv_input import Limits

    monkeypatch.setattr(survey_files, "RESPONSES_LIMITS", Limits(max_bytes=10**6, max_rows=59))
    assert analyze(*survey, tmp_path / "out") == 2
    assert "responses.csv: more than 59 rows; the limit is 59" in capsys.readouterr().err
    monkeypatch.setattr(survey_files, "RESPONSES_LIMITS", Limits(max_bytes=1000, max_rows=99))
    assert analyze(*survey, tmp_path / "out") == 2
    assert "responses.csv is 1.2 KB; the limit is 1 KB" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_text_cells_cannot_become_formulas_in_the_outputs(
    survey: tuple[Path, Path], tmp_path: Path
) -> None:
    import csv

    from rtwcomp.interop.csv_output import FORMULA_START, is_plain_number

    responses, items = survey
    edit_csv(items, 0, "statement", '=HYPERLINK("http://example.org","x")')
    edit_csv(items, 1, "statement", "@SUM(A1:A9)")
    edit_csv(items, 2, "statement", "-2+3+cmd|' /C calc'!A0")
    for row in range(3):
        edit_csv(items, row, "group", "+SUM(1,2)")
    out = tmp_path / "results"
    assert analyze(responses, items, out, "--factors", "1") == 0
    with open(out / "item_stats.csv", encoding="utf-8", newline="") as handle:
        stats = list(csv.DictReader(handle))
    assert [r["statement"] for r in stats[:3]] == [
        '\'=HYPERLINK("http://example.org","x")',
        "'@SUM(A1:A9)",
        "'-2+3+cmd|' /C calc'!A0",
    ]
    for name in ("item_stats.csv", "group_stats.csv", "structure.csv", "efa_loadings.csv"):
        with open(out / name, encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    assert is_plain_number(cell) or not cell.startswith(FORMULA_START), (name, cell)
    assert float(stats[0]["mean"]) > 0  # numbers stay numbers
