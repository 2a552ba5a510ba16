"""Panel uploads that cannot hurt the server: limits named, nothing stored, never a 500."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from rtwcomp.interop import panel_csv
from rtwcomp.surveys.models import Invitation
from tests.interop.cli import run


@pytest.fixture(autouse=True)
def imported_in_the_request(settings):
    """The request's own import; a large file's job is tests/jobs/test_imports.py."""
    settings.RTWCOMP_IMPORT_JOB_BYTES = 10**9


def upload(client, study, data: bytes, name: str = "panel.csv") -> tuple[int, str]:
    response = client.post(
        f"/studies/{study.slug}/panel/",
        {"panel": SimpleUploadedFile(name, data, content_type="text/csv")},
    )
    shown = " | ".join(str(m) for m in get_messages(response.wsgi_request))
    return response.status_code, shown


def panel(rows: int, start: int = 0) -> bytes:
    lines = (f"p{n}@example.org,Person {n},en\n" for n in range(start, start + rows))
    return ("email,name,language\n" + "".join(lines)).encode()


def test_a_52_mb_panel_is_refused_with_the_limit_named_and_nothing_stored(
    researcher_client, open_study
):
    data = panel(1) + b"x" * 52_000_000
    status, shown = upload(researcher_client, open_study, data)
    assert status == 302
    assert "panel.csv is 52 MB; the limit is 5 MB" in shown
    assert not Invitation.objects.filter(study=open_study).exists()


def test_more_rows_than_the_limit_are_refused_and_nothing_stored(researcher_client, open_study):
    status, shown = upload(researcher_client, open_study, panel(panel_csv.LIMITS.max_rows + 1))
    assert status == 302
    assert "panel.csv: more than 10,000 rows; the limit is 10,000" in shown
    assert not Invitation.objects.filter(study=open_study).exists()


def test_a_full_panel_is_stored_whole(researcher_client, open_study):
    status, shown = upload(researcher_client, open_study, panel(panel_csv.LIMITS.max_rows))
    assert "10000 invitee(s) added" in shown
    last = Invitation.objects.get(study=open_study, email="p9999@example.org")
    assert last.name == "Person 9999"  # the last row, whole


def test_a_cell_over_128_kb_is_a_message_not_a_server_error(researcher_client, open_study):
    data = panel(2) + b"p9@example.org," + b"n" * 200_000 + b",en\n"
    status, shown = upload(researcher_client, open_study, data)
    assert status == 302
    assert "panel.csv: line 4, column 'name': longer than 200 characters" in shown
    assert not Invitation.objects.filter(study=open_study).exists()


def test_names_are_refused_not_cut_short_and_nul_bytes_refused(researcher_client, open_study):
    data = b"email,name\na@example.org," + b"n" * 201 + b"\nb@example.org,B\x00b\n"
    status, shown = upload(researcher_client, open_study, data)
    assert "panel.csv: line 2, column 'name': longer than 200 characters" in shown
    assert "panel.csv: line 3, column 'name': holds a NUL character" in shown
    assert not Invitation.objects.filter(study=open_study).exists()
    latin = "email\ncafé@example.org\n".encode("latin-1")
    status, shown = upload(researcher_client, open_study, latin)
    assert "panel.csv: line 2: not UTF-8 text" in shown


def test_cli_invite_refuses_a_wide_cell_with_line_and_column(tmp_path, open_study):
    wide = tmp_path / "panel.csv"
    wide.write_bytes(panel(1) + b"b@example.org," + b"n" * 200_000 + b",en\n")
    status, _out, err = run("study", "invite", open_study.slug, str(wide))
    assert status == 2
    assert f"{wide}: line 3, column 'name': longer than 200 characters" in err
    assert "Traceback" not in err
    assert not Invitation.objects.filter(study=open_study).exists()


def test_the_disk_never_holds_more_of_an_upload_than_any_import_takes():
    import os

    from rtwcomp.interop import csv_input, framework_csv, statements_csv
    from rtwcomp.site.uploads import KEPT_BYTES, CappedUploadHandler

    largest = max(m.LIMITS.max_bytes for m in (panel_csv, statements_csv, framework_csv))
    assert largest < KEPT_BYTES
    handler = CappedUploadHandler()
    handler.new_file("panel", "big.csv", "text/csv", 0)
    chunk, total = b"x" * csv_input.CHUNK_BYTES, 0
    while total <= KEPT_BYTES + 20 * len(chunk):
        assert handler.receive_data_chunk(chunk, total) is None
        total += len(chunk)
        assert os.path.getsize(handler.file.temporary_file_path()) <= KEPT_BYTES
    uploaded = handler.file_complete(total)
    assert uploaded.size == total  # refused by its full size
    assert os.path.getsize(uploaded.temporary_file_path()) == 0
    uploaded.close()
