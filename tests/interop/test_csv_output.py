"""The one CSV writer: no text cell opens as a formula, and everything reads back."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rtwcomp.commands.analyze import write_outputs
from rtwcomp.interop import csv_output, survey_files
from rtwcomp.interop.csv_output import (
    FORMULA_START,
    defuse,
    is_plain_number,
    needs_defusing,
    undefuse,
)
from rtwcomp.interop.framework_csv import (
    CompetencyRow,
    FrameworkRows,
    GroupRow,
    write_framework_csv,
)
from rtwcomp.interop.survey_files import Variable

# Any text a cell can hold in a UTF-8 file, with the dangerous starts made likely.
texts = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.builds(
        lambda start, rest: start + rest,
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "''=", "'-", " =", "-1"]),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    ),
    st.sampled_from(["-0.5", "-3", "1e-05", "-1E+20", "+1", "-", "=1+1", "-2+3", "@SUM(A1)"]),
)
numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
)


def spreadsheet_safe(cell: str) -> bool:
    """What a spreadsheet program would take from the cell is not a formula."""
    return is_plain_number(cell) or not cell.startswith(FORMULA_START)


def read_back(path_or_text: Path | str) -> list[list[str]]:
    if isinstance(path_or_text, Path):
        with path_or_text.open(encoding="utf-8", newline="") as handle:
            path_or_text = handle.read()
    return list(csv.reader(io.StringIO(path_or_text, newline="")))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://example.org","x")', '\'=HYPERLINK("http://example.org","x")'),
        ("+SUM(1,2)", "'+SUM(1,2)"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("+1", "'+1"),
        ("-0.5", "-0.5"),
        ("-3", "-3"),
        ("-1e-05", "-1e-05"),
        ("'=1+1", "''=1+1"),
        ("'plain", "'plain"),
        ("plain = fine", "plain = fine"),
        ("", ""),
        (-0.5, -0.5),
        (3, 3),
        (None, None),
    ],
)
def test_defuse(value, written):
    assert defuse(value) == written
    if isinstance(value, str):
        assert undefuse(written) == value
        assert needs_defusing(value) == (written != value)


def write_every_way(cells: list[str], numbers_: list[float]) -> dict[str, list[list[str]]]:
    """Every writer of the product, fed the same text cells; what each file reads back as."""
    n = len(cells)
    numbers_ = (numbers_ * n)[:n] if numbers_ else [0.0] * n
    out: dict[str, list[list[str]]] = {}
    header = [*cells, "number"]
    out["rows_to_text"] = read_back(
        csv_output.rows_to_text(header, [[*cells, x] for x in numbers_])
    )
    out["dicts_to_text"] = read_back(
        csv_output.dicts_to_text(
            ["a", "n"], [{"a": c, "n": x} for c, x in zip(cells, numbers_, strict=True)]
        )
    )
    text = io.StringIO()
    write_framework_csv(
        FrameworkRows(
            groups=[GroupRow(key=c, description=c) for c in dict.fromkeys(cells)],
            competencies=[
                CompetencyRow(
                    code=c,
                    group=c,
                    ksab_type="skill",
                    statement=c,
                    notes=c,
                    translations={"fr": {"statement": c}},
                )
                for c in cells
            ],
        ),
        text,
    )
    out["framework"] = read_back(text.getvalue())
    frame = pd.DataFrame({"text": cells, "number": numbers_})
    variables = [Variable("text", "Text"), Variable("number", "Number", numeric=True)]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        survey_files.write_csv(frame, variables, base / "codes.csv")
        out["survey csv"] = read_back(base / "codes.csv")
        labelled = [Variable("text", "Text", values={c: c for c in cells}), variables[1]]
        survey_files.write_labelled_csv(frame, labelled, base / "labels.csv")
        out["survey labels.csv"] = read_back(base / "labels.csv")
        survey_files.write_codebook(
            [Variable(f"v{i}", c, values={"1": c}) for i, c in enumerate(cells)],
            base / "codebook.csv",
        )
        out["survey codebook.csv"] = read_back(base / "codebook.csv")
        table = pd.DataFrame({"item": cells, "statement": cells, "mean": numbers_})
        result = SimpleNamespace(
            items=table,
            groups=table,
            subgroup_tests=table,
            polychoric=pd.DataFrame({"x": numbers_}, index=pd.Index(cells)),
            loadings=table,
            structure=table,
        )
        write_outputs(result, {}, base / "results")
        for name in ("item_stats.csv", "polychoric.csv", "structure.csv"):
            out[f"analyze {name}"] = read_back(base / "results" / name)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=5), st.lists(numbers, max_size=5))
def test_every_writer_defuses_text_and_keeps_numbers(cells, numbers_):
    for writer, rows in write_every_way(cells, numbers_).items():
        for row in rows:
            for cell in row:
                assert spreadsheet_safe(cell), (writer, cell)
        written = {undefuse(cell) for row in rows for cell in row}
        missing = [c for c in cells if c not in written]
        assert not missing, (writer, missing)
    every = write_every_way(cells, numbers_)
    rows = every["rows_to_text"]
    assert [undefuse(c) for c in rows[0][:-1]] == cells
    expected = (numbers_ * len(cells))[: len(cells)] if numbers_ else [0.0] * len(cells)
    assert [float(row[-1]) for row in rows[1:]] == expected
    survey = every["survey csv"]
    assert [undefuse(row[0]) for row in survey[1:]] == cells
    assert [float(row[1]) for row in survey[1:]] == expected


def test_numbers_stay_numbers_in_frames(tmp_path):
    frame = pd.DataFrame({"n": [-0.5, 1e-20, -3.0], "k": [-1, 2, 3], "t": ["-0.5", "-x", "@"]})
    csv_output.write_frame(frame, tmp_path / "f.csv")
    assert (tmp_path / "f.csv").read_text(encoding="utf-8").splitlines() == [
        "n,k,t",
        "-0.5,-1,-0.5",
        "1e-20,2,'-x",
        "-3.0,3,'@",
    ]
    csv_output.write_frame(frame.iloc[:1], tmp_path / "bom.csv", bom=True)
    assert (tmp_path / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbfn,k,t\n")
