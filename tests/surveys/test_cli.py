"""`rtwcomp study ...` as a researcher scripts it."""

import csv

import pytest
from django.test import Client

from rtwcomp.cli import main
from rtwcomp.surveys.models import Study
from tests.surveys.conftest import answer_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_prints_slug_and_url_then_export_gives_the_answers(tmp_path, capsys):
    main(["framework", "load-default"])
    capsys.readouterr()
    assert (
        main(
            [
                "study",
                "create",
                "--name",
                "X",
                "--framework",
                "rtw-coordinator",
                "--items",
                "20",
                "--open",
            ]
        )
        == 0
    )
    slug, url = capsys.readouterr().out.splitlines()[:2]
    study = Study.objects.get(slug=slug)
    assert url.endswith(f"/s/{slug}/")
    assert (study.status, study.access, study.items.count()) == ("open", "open", 20)

    client = Client()
    client.post(f"/s/{slug}/")
    items = list(study.items.order_by("position"))
    given = {item: i % 5 + 1 for i, item in enumerate(items)}
    answer_page(client, study, 1, {i: given[i] for i in items[:12]})
    answer_page(client, study, 2, {i: given[i] for i in items[12:]})
    client.post(f"/s/{slug}/page/3/", {"action": "submit"})

    out = tmp_path / "x.csv"
    assert main(["study", "export", slug, "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 1
    assert {c: int(float(rows[0][c])) for c in (i.competency.code for i in items)} == {
        i.competency.code: v for i, v in given.items()
    }
    assert main(["study", "list"]) == 0
    assert slug in capsys.readouterr().out


def test_bad_arguments_exit_2(capsys):
    main(["framework", "load-default"])
    assert main(["study", "create", "--name", "Y", "--framework", "nope"]) == 2
    assert "no framework 'nope'" in capsys.readouterr().err
    assert (
        main(
            [
                "study",
                "create",
                "--name",
                "Y",
                "--framework",
                "rtw-coordinator",
                "--items",
                "RTWC-001,BAD",
            ]
        )
        == 2
    )
    assert "unknown competency codes: BAD" in capsys.readouterr().err
    assert main(["study", "export", "none", "-o", "x.csv"]) == 2
    assert not Study.objects.exists()


def test_invite_reads_a_panel_and_reports_its_errors(tmp_path, capsys, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core import mail

    main(["framework", "load-default"])
    main(["study", "create", "--name", "P", "--framework", "rtw-coordinator", "--items", "5"])
    slug = capsys.readouterr().out.splitlines()[-2]
    bad = tmp_path / "bad.csv"
    bad.write_text("email\nnobody\n", encoding="utf-8")
    assert main(["study", "invite", slug, str(bad)]) == 2
    assert "bad.csv: line 2, column 'email'" in capsys.readouterr().err
    assert main(["study", "invite", slug, str(tmp_path / "missing.csv")]) == 2
    good = tmp_path / "panel.csv"
    good.write_text("email,name,language\na@example.org,A,fr\n", encoding="utf-8")
    assert main(["study", "invite", slug, str(good), "--send"]) == 0
    assert "1 invitee(s) added" in capsys.readouterr().out
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.org"]
