"""`rtwcomp analyze --report`: both files, next to the CSVs, all or nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from rtwcomp.cli import main
from rtwcomp.commands.analyze import OUTPUT_FILES, REPORT_FILES
from tests.reports.conftest import EPOCH, make_survey, pdftotext
from tests.reports.parse import tables


def write_inputs(folder: Path) -> tuple[Path, Path]:
    responses, items = make_survey()
    responses.insert(0, "respondent_id", [f"R{i:02d}" for i in range(len(responses))])
    responses["years"] = [1 + (i * 7) % 23 for i in range(len(responses))]
    responses_path, items_path = folder / "responses.csv", folder / "items.csv"
    responses.astype({c: "Int64" for c in items["item"]}).to_csv(responses_path, index=False)
    items.to_csv(items_path, index=False)
    return responses_path, items_path


def analyze(responses: Path, items: Path, out: Path, *extra: str) -> int:
    return main(["analyze", str(responses), "--items", str(items), "--out", str(out), *extra])


@pytest.fixture(scope="module")
def report_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("cli")
    responses, items = write_inputs(folder)
    out = folder / "results"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        code = analyze(responses, items, out, "--subgroups", "country,profession", "--report")
    assert code == 0
    return responses, items, out


def test_report_is_written_beside_the_csv_files(report_run: tuple[Path, Path, Path]) -> None:
    _, _, out = report_run
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES + REPORT_FILES)
    summary = json.loads((out / "summary.json").read_text())
    items = pd.read_csv(out / "item_stats.csv")
    text = pdftotext(out / "report.pdf", "-layout")
    assert f"Key items {summary['key_items']}" in " ".join(text.split())
    for _, item in items.iterrows():
        assert item["item"] in text
        assert f"{item['share_top'] * 100:.1f}%" in text
    groups = pd.read_csv(out / "group_stats.csv")
    for _, group in groups.iterrows():
        assert group["group"] in " ".join(text.split())
        assert f"{group['alpha']:.2f}" in text
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 7  # funnel, four dot plots, two heat maps
    assert "<link" not in html and "<script" not in html


def test_characteristics_come_from_the_attribute_columns(
    report_run: tuple[Path, Path, Path],
) -> None:
    _, _, out = report_run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<caption>country</caption>" in html
    assert "<caption>profession</caption>" in html
    assert "respondent_id" not in html  # the id column is not a characteristic
    # 'years' has more than ten values: a summary, not a list of every answer
    assert "<strong>years</strong>: Median" in html
    funnel = tables(html)["tab-funnel"]
    assert [r.cells[0] for r in funnel.rows[1:]] == ["items surveyed", "respondents", "key items"]


def test_an_earlier_run_with_a_report_may_be_replaced(
    report_run: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    responses, items, out = report_run
    copy = tmp_path / "results"
    copy.mkdir()
    for name in OUTPUT_FILES + REPORT_FILES:
        (copy / name).write_bytes((out / name).read_bytes())
    assert analyze(responses, items, copy) == 0
    assert sorted(p.name for p in copy.iterdir()) == sorted(OUTPUT_FILES)


def test_a_failing_report_leaves_the_earlier_results_alone(
    report_run: tuple[Path, Path, Path], tmp_path: Path, monkeypatch
) -> None:
    responses, items, _ = report_run
    out = tmp_path / "results"
    assert analyze(responses, items, out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(data, folder):
        (folder / "report.html").write_text("half")
        raise RuntimeError("renderer failed")

    monkeypatch.setattr("rtwcomp.reports.write_report", broken)
    with pytest.raises(RuntimeError):
        analyze(responses, items, out, "--report")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results"]  # no staging left


def test_a_bad_source_date_epoch_is_a_usage_error(
    report_run: tuple[Path, Path, Path], tmp_path: Path, monkeypatch, capsys
) -> None:
    responses, items, _ = report_run
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert analyze(responses, items, tmp_path / "out", "--report") == 2
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_help_imports_no_report_machinery() -> None:
    code = (
        "import sys; from rtwcomp.commands import analyze; import argparse; "
        "p = argparse.ArgumentParser(); analyze.register(p.add_subparsers()); "
        "print(sorted(m for m in ('matplotlib', 'weasyprint', 'jinja2', 'pandas', "
        "'rtwcomp.reports') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert result.stdout.strip() == "[]"
