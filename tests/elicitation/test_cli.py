"""`rtwcomp elicit import|suggest|export`, called as the console script would."""

import csv

import pytest

from rtwcomp.cli import main
from rtwcomp.elicitation.models import Statement

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "statement_id,session,participant,text\n"
    "a1,AU-1,P01,Keeping medical information confidential\n"
    "a2,AU-1,P02,Negotiating modified duties with the supervisor\n"
    ",CA-1,P07,Confidential medical information must stay private\n"
    "c2,CA-1,P08,Negotiate modified duties with supervisors\n"
)


def read(path):
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_import_suggest_and_export(tmp_path, capsys):
    source = tmp_path / "fg.csv"
    source.write_text(CSV, encoding="utf-8")
    assert main(["elicit", "import", str(source), "--project", "Pilot"]) == 0
    assert "Imported 4 statements into project 'Pilot'" in capsys.readouterr().out
    out = tmp_path / "clusters.csv"
    assert (
        main(["elicit", "suggest", "--project", "Pilot", "--threshold", "0.2", "-o", str(out)]) == 0
    )
    rows = read(out)
    assert list(rows[0]) == ["statement_id", "cluster"]
    cluster = {r["statement_id"]: r["cluster"] for r in rows}
    assert cluster["a1"] == cluster["S0001"] != cluster["a2"] == cluster["c2"]
    exported = tmp_path / "export.csv"
    assert main(["elicit", "export", "--project", "Pilot", "-o", str(exported)]) == 0
    rows = read(exported)
    assert [r["statement_id"] for r in rows] == ["a1", "a2", "S0001", "c2"]
    assert rows[2]["session"] == "CA-1" and rows[2]["participant"] == "P07"


def test_deductive_mode_writes_item_code_and_similarity(tmp_path, capsys):
    source = tmp_path / "fg.csv"
    source.write_text(CSV, encoding="utf-8")
    main(["framework", "load-default"])
    main(["elicit", "import", str(source), "--project", "Pilot"])
    capsys.readouterr()
    assert (
        main(
            [
                "elicit",
                "suggest",
                "--project",
                "Pilot",
                "--framework",
                "rtw-coordinator",
                "--threshold",
                "0.15",
            ]
        )
        == 0
    )
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert list(rows[0]) == ["statement_id", "cluster", "item_code", "similarity"]
    assert rows[0]["item_code"].startswith("RTWC-")
    assert all(-1 <= float(r["similarity"]) <= 1 for r in rows)


def test_bad_input_exits_2_and_imports_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("statement_id,session,text\nx,AU-1,Fine\ny,,Missing session\n")
    assert main(["elicit", "import", str(bad), "--project", "Pilot"]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: line 3, column 'session': a value is required" in err
    assert Statement.objects.count() == 0
    good = tmp_path / "good.csv"
    good.write_text("statement_id,session,text\nx,AU-1,Fine\n")
    assert main(["elicit", "import", str(good), "--project", "Pilot"]) == 0
    assert main(["elicit", "import", str(good), "--project", "Pilot"]) == 2
    assert "'x' is already in project 'Pilot'" in capsys.readouterr().err
    assert Statement.objects.count() == 1
    assert main(["elicit", "export", "--project", "Nobody"]) == 2
    assert main(["elicit", "suggest", "--project", "Pilot", "--framework", "nope"]) == 2
    assert main(["elicit", "suggest", "--project", "Pilot", "--threshold", "3"]) == 2
