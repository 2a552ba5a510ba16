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


def pilot_with_participants():
    """Participants are added on the project page before their statements are imported."""
    from rtwcomp.elicitation import services

    project = services.create_project("Pilot")
    for code in ("P01", "P02", "P07", "P08"):
        services.add_participant(project, code)
    return project


def read(path):
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_import_suggest_and_export(tmp_path, capsys):
    source = tmp_path / "fg.csv"
    source.write_text(CSV, encoding="utf-8")
    pilot_with_participants()
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
    pilot_with_participants()
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
    ranks = [f"{name}_{k}" for k in (1, 2, 3) for name in ("item_code", "similarity")]
    assert list(rows[0]) == ["statement_id", "cluster", "item_code", "similarity", *ranks]
    assert rows[0]["item_code"].startswith("RTWC-")
    assert all(-1 <= float(r["similarity"]) <= 1 for r in rows)
    for r in rows:
        codes = [r[f"item_code_{k}"] for k in (1, 2, 3)]
        scores = [float(r[f"similarity_{k}"]) for k in (1, 2, 3)]
        assert all(c.startswith("RTWC-") for c in codes) and len(set(codes)) == 3
        assert scores == sorted(scores, reverse=True)
        assert float(r["similarity"]) == scores[0]
        assert r["item_code"] in ("", codes[0])  # a match is the first candidate


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


def test_an_unknown_participant_code_exits_2_names_line_and_column_and_creates_nothing(
    tmp_path, capsys
):
    from rtwcomp.elicitation.models import Participant, Project, Session

    source = tmp_path / "fg.csv"
    source.write_text(CSV, encoding="utf-8")
    assert main(["elicit", "import", str(source), "--project", "Pilot"]) == 2
    err = capsys.readouterr().err
    assert "nothing imported" in err and "Traceback" not in err
    for line, code in ((2, "P01"), (3, "P02"), (4, "P07"), (5, "P08")):
        assert f"{source}: line {line}, column 'participant': no participant '{code}'" in err
    # All or nothing: no statement, session, participant, nor the project it would have made.
    assert Statement.objects.count() == Session.objects.count() == 0
    assert Participant.objects.count() == Project.objects.count() == 0
