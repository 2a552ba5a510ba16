"""The `rtwcomp framework` commands, called as the console script would."""

import csv
import json

import pytest

from rtwcomp.cli import main
from rtwcomp.frameworks.models import Framework

pytestmark = pytest.mark.django_db(transaction=True)


def export_csv(tmp_path):
    out = tmp_path / "rtw.csv"
    assert main(["framework", "export", "rtw-coordinator", "-o", str(out)]) == 0
    return out


def test_load_default_list_and_export(tmp_path, capsys):
    assert main(["framework", "load-default"]) == 0
    assert main(["framework", "load-default"]) == 0
    assert "already present" in capsys.readouterr().out
    assert main(["framework", "list"]) == 0
    assert "rtw-coordinator" in capsys.readouterr().out
    with open(export_csv(tmp_path), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 156
    assert {"code", "group", "ksab_type", "statement"} <= set(rows[0])
    assert main(["framework", "export", "rtw-coordinator", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["groups"]) == 8
    assert sum(len(g["competencies"]) for g in data["groups"]) == 156


def test_import_of_a_bad_line_imports_nothing(tmp_path, capsys):
    main(["framework", "load-default"])
    lines = export_csv(tmp_path).read_text(encoding="utf-8").splitlines()
    fields = next(csv.reader([lines[6]]))
    fields[2] = "talent"
    bad = tmp_path / "bad.csv"
    lines[6] = ",".join(f'"{f}"' for f in fields)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = Framework.objects.count()
    capsys.readouterr()
    assert main(["framework", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 7" in err and "'ksab_type'" in err and "talent" in err
    assert Framework.objects.count() == before


def test_a_slug_that_names_a_page_is_refused(tmp_path, capsys):
    """/frameworks/import/ is the import page: a framework called "import" could never be
    opened, so neither the file's name nor --slug may give it that slug."""
    main(["framework", "load-default"])
    named = tmp_path / "import.csv"
    named.write_bytes(export_csv(tmp_path).read_bytes())
    before = Framework.objects.count()
    capsys.readouterr()
    assert main(["framework", "import", str(named)]) == 2
    assert "'import' is reserved" in capsys.readouterr().err
    assert main(["framework", "import", str(named), "--slug", "import"]) == 2
    assert main(["framework", "import", str(named), "--slug", "imported"]) == 0
    assert Framework.objects.count() == before + 1


def test_import_round_trip_creates_a_new_draft_version(tmp_path):
    main(["framework", "load-default"])
    assert (
        main(["framework", "import", str(export_csv(tmp_path)), "--slug", "rtw-coordinator"]) == 0
    )
    draft = Framework.objects.get(slug="rtw-coordinator", version=2)
    assert draft.status == "draft" and draft.name == "RTW coordinator competencies"
    published = Framework.objects.get(slug="rtw-coordinator", version=1)
    for a, b in zip(published.competencies.all(), draft.competencies.all(), strict=True):
        assert (a.code, a.statement, a.ksab_type, a.group.key, a.sources, a.translations) == (
            b.code,
            b.statement,
            b.ksab_type,
            b.group.key,
            b.sources,
            b.translations,
        )


def test_missing_file_and_unknown_framework_exit_2(tmp_path, capsys):
    assert main(["framework", "import", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err
    assert main(["framework", "export", "no-such"]) == 2
    assert "no-such" in capsys.readouterr().err


def test_every_command_has_help(capsys):
    for command in (
        ["serve"],
        ["migrate"],
        ["createadmin"],
        ["framework", "list"],
        ["framework", "import"],
        ["framework", "export"],
        ["analyze"],
        ["createtoken"],
        ["createresearcher"],
        ["worker"],
        ["backup"],
        ["restore"],
        ["study", "create"],
        ["study", "export"],
        ["elicit", "suggest"],
    ):
        with pytest.raises(SystemExit) as exited:
            main([*command, "--help"])
        assert exited.value.code == 0
        assert "usage: rtwcomp" in capsys.readouterr().out


def test_createadmin_uses_the_given_password(monkeypatch):
    from django.contrib.auth.models import User

    monkeypatch.setenv("RTWCOMP_ADMIN_PASSWORD", "a-long-test-password")
    assert main(["createadmin"]) == 0
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("a-long-test-password")
    assert admin.password.startswith("argon2")


def test_createresearcher_makes_a_member_of_the_researchers_group(monkeypatch, capsys):
    from django.contrib.auth.models import User

    monkeypatch.setenv("RTWCOMP_USER_PASSWORD", "a-long-test-password")
    assert main(["createresearcher", "ana"]) == 0
    ana = User.objects.get(username="ana")
    assert ana.has_perm("surveys.add_study") and not ana.is_superuser
    assert ana.check_password("a-long-test-password")
    assert main(["createresearcher", "ana"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_owner_of_what_commands_create(tmp_path, capsys, default_framework):
    from rtwcomp.elicitation.models import Project
    from rtwcomp.frameworks.models import Framework
    from rtwcomp.surveys.models import Study
    from tests.conftest import make_researcher

    ana = make_researcher("ana")
    assert main(["study", "create", "--name", "Owned", "--framework", "rtw-coordinator",
                 "--owner", "ana"]) == 0  # fmt: skip
    assert Study.objects.get(name="Owned").owner == ana
    statements = tmp_path / "fg.csv"
    statements.write_text("session,text\nAU-1,Keeping things confidential\n", encoding="utf-8")
    assert main(["elicit", "import", str(statements), "--project", "FG", "--owner", "ana"]) == 0
    assert Project.objects.get(name="FG").owner == ana
    framework = tmp_path / "mine.csv"
    framework.write_text(
        "code,group,ksab_type,statement\nX-1,ethics,attitude,Respect\n", encoding="utf-8"
    )
    assert main(["framework", "import", str(framework), "--owner", "ana"]) == 0
    assert Framework.objects.get(slug="mine").owner == ana
    capsys.readouterr()
    assert main(["study", "create", "--name", "N", "--framework", "rtw-coordinator",
                 "--owner", "nobody"]) == 2  # fmt: skip
    assert "no user 'nobody'" in capsys.readouterr().err
