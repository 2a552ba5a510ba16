"""The documented CLI chain closes: a study's (or a framework's) items file is what
`rtwcomp analyze --items` reads."""

from __future__ import annotations

import csv
import json

import pytest

from rtwcomp.cli import main
from rtwcomp.surveys.models import Study
from tests.surveys import simulate

pytestmark = pytest.mark.django_db(transaction=True)


def test_study_export_pair_feeds_analyze(tmp_path, capsys):
    main(["framework", "load-default"])
    capsys.readouterr()
    assert main(["study", "create", "--name", "Chain", "--framework", "rtw-coordinator",
                 "--items", "RTWC-001,RTWC-002,RTWC-003,RTWC-041,RTWC-042,RTWC-043",
                 "--open"]) == 0  # fmt: skip
    slug = capsys.readouterr().out.splitlines()[0]
    simulate.simulate(Study.objects.get(slug=slug), 30, seed=3)
    responses, items = tmp_path / "responses.csv", tmp_path / "items.csv"
    assert main(["study", "export", slug, "--format", "csv", "-o", str(responses)]) == 0
    assert main(["study", "export", slug, "--format", "items.csv", "-o", str(items)]) == 0
    with items.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["item"] for r in rows] == ["RTWC-001", "RTWC-002", "RTWC-003",
                                         "RTWC-041", "RTWC-042", "RTWC-043"]  # fmt: skip
    groups = {r["group"] for r in rows}
    assert len(groups) >= 2
    out = tmp_path / "out"
    assert main(["analyze", str(responses), "--items", str(items), "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["respondents"] == 30 and summary["counts"]["items"] == 6
    with (out / "group_stats.csv").open(encoding="utf-8") as handle:
        assert {r["group"] for r in csv.DictReader(handle)} == groups


def test_framework_items_file_is_read_by_analyze(tmp_path, capsys):
    main(["framework", "load-default"])
    items = tmp_path / "items.csv"
    assert main(["framework", "export", "rtw-coordinator", "--format", "items",
                 "-o", str(items)]) == 0  # fmt: skip
    with items.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 156 and list(rows[0]) == ["item", "group", "statement"]
    assert len({r["group"] for r in rows}) == 8
    codes = [r["item"] for r in rows[:5]]
    responses = tmp_path / "responses.csv"
    lines = [",".join(codes)] + [",".join(str(1 + (i * 7 + j) % 5) for j in range(5))
                                 for i in range(12)]  # fmt: skip
    responses.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sub = tmp_path / "sub-items.csv"
    sub.write_text("\n".join(items.read_text(encoding="utf-8").splitlines()[:6]) + "\n")
    capsys.readouterr()
    assert main(["analyze", str(responses), "--items", str(sub), "--out",
                 str(tmp_path / "out")]) == 0  # fmt: skip


def test_analyze_points_a_framework_csv_to_the_items_export(tmp_path, capsys):
    main(["framework", "load-default"])
    framework_csv = tmp_path / "framework.csv"
    assert main(["framework", "export", "rtw-coordinator", "-o", str(framework_csv)]) == 0
    responses = tmp_path / "responses.csv"
    responses.write_text("RTWC-001\n3\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["analyze", str(responses), "--items", str(framework_csv), "--out",
                 str(tmp_path / "out")]) == 2  # fmt: skip
    assert "--format items" in capsys.readouterr().err
