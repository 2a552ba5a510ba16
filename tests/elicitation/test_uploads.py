"""Statement imports that cannot hurt the server, and exports that cannot hurt a spreadsheet."""

from __future__ import annotations

import csv
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rtwcomp.elicitation import services
from rtwcomp.elicitation.models import Participant, Project, Session, Statement
from rtwcomp.interop import statements_csv
from rtwcomp.interop.csv_input import Limits
from rtwcomp.interop.errors import InputError
from tests.interop.cli import run


@pytest.fixture
def staff(client, researcher):
    client.force_login(researcher)
    return client


def upload(client, project, data: bytes, name: str = "fg.csv"):
    response = client.post(
        reverse("elicitation:upload", args=[project.slug]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )
    return response, html.unescape(response.content.decode())


def test_more_rows_than_the_limit_are_refused_and_nothing_is_stored(staff, project):
    rows = statements_csv.LIMITS.max_rows + 1
    data = ("session,text\n" + "AU-9,Said it\n" * rows).encode()
    response, page = upload(staff, project, data)
    assert response.status_code == 400
    assert "fg.csv: more than 5,000 rows; the limit is 5,000" in page
    assert project.statements.count() == 6
    assert not project.sessions.filter(code="AU-9").exists()


def test_a_file_over_the_byte_limit_is_refused_from_its_size(staff, project):
    data = b"session,text\n" + b"AU-9," + b"x" * (statements_csv.LIMITS.max_bytes) + b"\n"
    response, page = upload(staff, project, data, "big.csv")
    assert response.status_code == 400
    assert "big.csv is 5,000,019 bytes; the limit is 5,000,000 bytes" in page
    assert project.statements.count() == 6


def test_a_cell_over_128_kb_is_a_clear_message_not_a_server_error(staff, project):
    data = ("session,text\nAU-9,fine\nAU-9," + "x" * 200_000 + "\n").encode()
    response, page = upload(staff, project, data)
    assert response.status_code == 400
    assert "fg.csv: line 3, column 'text': longer than 5,000 characters" in page
    assert project.statements.count() == 6


def test_nul_bytes_and_codes_too_long_for_the_database_are_refused(staff, project):
    data = ("session,participant,text\nAU-9,P1,a\x00b\n" + "S" * 41 + ",P2,fine\n").encode()
    response, page = upload(staff, project, data)
    assert response.status_code == 400
    assert "fg.csv: line 2, column 'text': holds a NUL character" in page
    assert "fg.csv: line 3, column 'session': longer than 40 characters" in page
    assert project.statements.count() == 6
    response, page = upload(staff, project, "session,text\nAU-9,Caf\xe9\n".encode("latin-1"))
    assert response.status_code == 400
    assert "fg.csv: line 2: not UTF-8 text" in page


def test_an_unknown_participant_is_refused_with_line_and_column(staff, project):
    data = b"session,participant,text\nAU-1,P01,Known\nAU-9,P55,Who?\nAU-9,P02,Known\n"
    response, page = upload(staff, project, data)
    assert response.status_code == 400
    assert "fg.csv: line 3, column 'participant': no participant 'P55'" in page
    assert "line 2, column 'participant'" not in page
    assert project.statements.count() == 6  # all or nothing: the known rows are not stored
    assert not project.participants.filter(code="P55").exists()
    assert not project.sessions.filter(code="AU-9").exists()


def test_a_full_file_is_stored_in_one_go(staff, project, django_assert_max_num_queries):
    rows = statements_csv.LIMITS.max_rows
    Participant.objects.bulk_create(
        Participant(project=project, code=f"P{n:03d}") for n in range(900)
    )
    lines = [f"S{n:05d},G-{n % 40},P{n % 900:03d},Statement number {n}" for n in range(rows)]
    data = ("statement_id,session,participant,text\n" + "\n".join(lines) + "\n").encode()
    with django_assert_max_num_queries(120):  # batches of rows, not a query per row
        response, _page = upload(staff, project, data)
    assert response.status_code == 302
    assert project.statements.count() == 6 + rows
    assert project.sessions.count() == 2 + 40
    assert project.statements.get(external_id="S04321").participant.code == "P721"


def test_the_export_defuses_formulas_and_reads_back(staff, project):
    session = Session.objects.create(project=project, code="@S")
    formulas = ['=HYPERLINK("http://example.org","x")', "+SUM(1,2)", "@SUM(A1)", "-2+3", "-0.5"]
    services.paste_statements(project, session, "\n".join(formulas))
    text = staff.get(reverse("elicitation:export", args=[project.slug])).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    exported = [r["text"] for r in rows if r["session"] == "'@S"]
    assert exported == [
        '\'=HYPERLINK("http://example.org","x")',
        "'+SUM(1,2)",
        "'@SUM(A1)",
        "'-2+3",
        "-0.5",
    ]
    back = statements_csv.parse_statements_csv(text, "export.csv")
    assert [r.text for r in back if r.session == "@S"] == formulas


def test_cli_refusals_exit_2_with_line_and_column(tmp_path, db):
    wide = tmp_path / "wide.csv"
    wide.write_text("session,text\nAU-1,fine\nAU-1," + "x" * 200_000 + "\n", encoding="utf-8")
    status, _out, err = run("elicit", "import", str(wide), "--project", "Pilot")
    assert status == 2
    assert f"{wide}: line 3, column 'text': longer than 5,000 characters" in err
    assert "Traceback" not in err
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"session,text\nAU-1,a\x00b\n")
    status, _out, err = run("elicit", "import", str(nul), "--project", "Pilot")
    assert status == 2
    assert "line 2, column 'text': holds a NUL character" in err
    assert not Project.objects.filter(name="Pilot").exists()
    assert Statement.objects.count() == 0


def test_a_failed_cli_import_leaves_no_project_behind(tmp_path, db, monkeypatch):
    good = tmp_path / "good.csv"
    good.write_text("session,text\nAU-1,fine\n", encoding="utf-8")

    def refuse(project, rows, name):
        raise InputError([f"{name}: refused"])

    monkeypatch.setattr(services, "import_statements", refuse)
    status, _out, err = run("elicit", "import", str(good), "--project", "Pilot")
    assert status == 2 and "refused" in err
    assert not Project.objects.filter(name="Pilot").exists()


def test_the_cli_reads_under_the_same_limits(tmp_path, db, monkeypatch):
    monkeypatch.setattr(statements_csv, "LIMITS", Limits(max_bytes=10**6, max_rows=2))
    many = tmp_path / "many.csv"
    many.write_text("session,text\n" + "AU-1,said\n" * 3, encoding="utf-8")
    status, _out, err = run("elicit", "import", str(many), "--project", "Pilot")
    assert status == 2
    assert f"{many}: more than 2 rows; the limit is 2" in err
    assert not Project.objects.exists()
