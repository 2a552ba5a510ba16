"""`rtwcomp simulate` writes files `rtwcomp analyze` reads; `rtwcomp power` its table and plot."""

from __future__ import annotations

import json

import pandas as pd

from rtwcomp.cli import main


def test_simulate_then_analyze_agree_on_the_key_items(tmp_path, capsys):
    sim, out = tmp_path / "sim", tmp_path / "out"
    assert main(["simulate", "--seed", "3", "-o", str(sim)]) == 0
    funnel = json.loads((sim / "study.json").read_text())["funnel"]
    code = main(
        [
            "analyze",
            str(sim / "responses.csv"),
            "--items",
            str(sim / "items.csv"),
            "--subgroups",
            "country,nurse",
            "--out",
            str(out),
            "--factors",
            "2",
        ]
    )
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["key_items"] == funnel["key_items"]
    assert summary["counts"]["respondents"] == 148
    assert summary["counts"]["items"] == 100
    tests = pd.read_csv(out / "subgroup_tests.csv")
    assert set(tests["variable"]) == {"country", "nurse"}


def test_simulate_options_change_the_files(tmp_path):
    sim = tmp_path / "sim"
    assert (
        main(
            [
                "simulate",
                "--items",
                "40",
                "--most-cited",
                "30",
                "--respondents",
                "60",
                "--missing",
                "0.1",
                "-o",
                str(sim),
            ]
        )
        == 0
    )
    responses = pd.read_csv(sim / "responses.csv")
    items = pd.read_csv(sim / "items.csv")
    assert len(responses) == 60 and len(items) == 40
    assert responses[items["item"]].isna().to_numpy().mean() > 0.05


def test_simulate_refuses_bad_input_with_status_2(tmp_path, capsys):
    assert main(["simulate", "--missing", "2", "-o", str(tmp_path / "a")]) == 2
    assert "--missing must be at least 0" in capsys.readouterr().err
    assert main(["simulate", "--items", "40", "-o", str(tmp_path / "c")]) == 2
    assert "--most-cited <= --items" in capsys.readouterr().err
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "mine.txt").write_text("x")
    assert main(["simulate", "-o", str(tmp_path / "b")]) == 2


def test_power_writes_table_plot_and_needed(tmp_path, capsys):
    out = tmp_path / "power"
    code = main(
        ["power", "--studies", "40", "--sizes", "50,148", "--max-groups", "6", "-o", str(out)]
    )
    assert code == 0
    table = pd.read_csv(out / "power.csv")
    assert list(table["respondents"]) == [50, 148]
    assert table["half_width"].iloc[0] > table["half_width"].iloc[1]
    curve = pd.read_csv(out / "saturation.csv")
    assert curve["share_said"].is_monotonic_increasing and len(curve) == 6
    assert (out / "power.svg").read_text().lstrip().startswith("<?xml")
    assert (out / "power.png").read_bytes()[:4] == b"\x89PNG"
    assert set(json.loads((out / "needed.json").read_text())) >= {"focus_groups_for_saturation"}
    assert main(["power", "--sizes", "a", "-o", str(out)]) == 2


def test_help_of_simulate_power_and_demo_needs_no_numpy_or_django(capsys):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from rtwcomp.cli import main\n"
        "for name in ('simulate', 'power', 'demo'):\n"
        "    try:\n"
        "        main([name, '--help'])\n"
        "    except SystemExit as e:\n"
        "        assert e.code == 0\n"
        "assert 'numpy' not in sys.modules and 'django' not in sys.modules, 'heavy import'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("usage: rtwcomp") == 3
