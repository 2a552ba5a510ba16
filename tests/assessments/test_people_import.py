"""`rtwcomp assess import-people`: roles, teams, mentors, supervisors; all or nothing."""

from __future__ import annotations

import pytest

from rtwcomp.cli import main
from tests.assessments.conftest import PEOPLE

pytestmark = pytest.mark.django_db(transaction=True)


def _import(tmp_path, text, capsys):
    source = tmp_path / "people.csv"
    source.write_text(text, encoding="utf-8")
    status = main(["assess", "import-people", str(source), "--organisation", "acme"])
    return status, capsys.readouterr()


@pytest.fixture
def acme(tmp_path, capsys):
    assert main(["assess", "organisation", "acme", "--name", "Acme"]) == 0
    capsys.readouterr()


def test_import_links_mentors_supervisors_and_teams(acme, tmp_path, capsys):
    from rtwcomp.assessments.models import Person

    status, out = _import(tmp_path, PEOPLE, capsys)
    assert status == 0, out.err
    assert "4 people added, 0 updated" in out.out
    ana = Person.objects.get(email="ana@example.org")
    assert ana.roles == ("coordinator",)
    assert [m.email for m in ana.mentors.all()] == ["max@example.org"]
    assert ana.team.name == "North"
    assert [s.email for s in ana.team.supervisors.all()] == ["sue@example.org"]
    assert Person.objects.get(email="max@example.org").roles == ("coordinator", "mentor")


def test_a_second_import_updates_and_may_name_people_already_there(acme, tmp_path, capsys):
    from rtwcomp.assessments.models import Person

    assert _import(tmp_path, PEOPLE, capsys)[0] == 0
    update = (
        "name,email,role,team,mentor,supervisor\n"
        "Ben Coordinator,BEN@example.org,coordinator,North,max@example.org,\n"
    )
    status, out = _import(tmp_path, update, capsys)
    assert status == 0, out.err
    assert "0 people added, 1 updated" in out.out
    ben = Person.objects.get(email="ben@example.org")
    assert ben.team.name == "North" and ben.mentors.get().email == "max@example.org"
    assert Person.objects.count() == 4


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Zed,zed@example.org,janitor,North,,", "line 6, column 'role': 'janitor' must be"),
        ("Zed,not-an-email,coordinator,North,,", "line 6, column 'email'"),
        ("Zed,zed@example.org,coordinator,North,nobody@example.org,",
         "line 6, column 'mentor': nobody with the e-mail address 'nobody@example.org'"),
        ("Zed,zed@example.org,coordinator,North,ben@example.org,",
         "line 6, column 'mentor': 'ben@example.org' does not have the role mentor"),
        ("Zed,zed@example.org,coordinator,,,sue@example.org",
         "line 6, column 'team': a supervisor is named"),
        ("Zed,ana@example.org,coordinator,North,,", "'ana@example.org' is already on line 2"),
        ("Zed,zed@example.org,coordinator,North,zed@example.org,",
         "a person cannot be their own mentor"),
    ],
)  # fmt: skip
def test_a_bad_line_imports_nothing(acme, tmp_path, capsys, line, problem):
    from rtwcomp.assessments.models import Person, Team

    status, out = _import(tmp_path, PEOPLE + line + "\n", capsys)
    assert status == 2
    assert "nothing imported" in out.err and problem in out.err
    assert "Traceback" not in out.err
    assert Person.objects.count() == 0 and Team.objects.count() == 0


def test_unknown_organisation_and_missing_file(acme, tmp_path, capsys):
    assert main(["assess", "import-people", str(tmp_path / "x.csv"), "--organisation", "no"]) == 2
    assert "no organisation 'no'" in capsys.readouterr().err
    assert main(["assess", "import-people", str(tmp_path / "x.csv"), "--organisation", "acme"]) == 2
    assert "no such file" in capsys.readouterr().err
