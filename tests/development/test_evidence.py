"""Evidence: size limited (stated on the form), type judged by content, kept in the
database, served only through the permission model as an attachment."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rtwcomp.development import filetypes
from rtwcomp.development.models import Evidence
from tests.development.helpers import login

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode"


def office(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/main.xml" ContentType="{main_part}"/></Types>',
        )
        archive.writestr("main.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n...", filetypes.PDF),
        (PNG, filetypes.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", filetypes.JPEG),
        ("Notes, with accents: é à\n".encode(), filetypes.TEXT),
        (office(filetypes.OFFICE_MAIN_PARTS[filetypes.DOCX]), filetypes.DOCX),
        (office(filetypes.OFFICE_MAIN_PARTS[filetypes.XLSX]), filetypes.XLSX),
    ],
)
def test_accepted_kinds_are_told_by_their_bytes(content, kind):
    assert filetypes.detect(content) == kind


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (EXE, "executable"),
        (office("application/vnd.ms-package.3dmanufacturing-3dmodel+xml"), "archive"),
        (b"PK\x03\x04 not really a zip", "archive"),
        (b"\x00\x01\x02binary", "unknown"),
        ("latin-1 text: \xe9".encode("latin-1"), "unknown"),
        (b"", "unknown"),
    ],
)
def test_other_kinds_are_refused_with_a_reason(content, reason):
    with pytest.raises(filetypes.Refused, match=reason):
        filetypes.detect(content)


def _upload(client, goal, name, content):
    data = {f"e{goal.pk}-file": SimpleUploadedFile(name, content), f"e{goal.pk}-activity": ""}
    return client.post(f"/develop/goals/{goal.pk}/evidence/", data)


def test_a_renamed_executable_is_refused_with_a_clear_message(world, plan):
    goal = plan.goals.first()
    refused = _upload(login(world, "ana"), goal, "certificate.pdf", EXE)
    assert refused.status_code == 400
    assert "certificate.pdf is a program (a Windows executable)" in refused.text
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused_naming_the_limit(world, plan, settings):
    settings.RTWCOMP_EVIDENCE_MAX_BYTES = 1024
    goal = plan.goals.first()
    page = login(world, "ana").get(f"/develop/plans/{plan.pk}/")
    assert "at most 1.0\xa0KB" in page.text
    refused = _upload(login(world, "ana"), goal, "scan.pdf", b"%PDF-1.4" + b"0" * 2000)
    assert refused.status_code == 400
    assert "scan.pdf is 2.0\xa0KB; the limit is 1.0\xa0KB." in refused.text
    assert not Evidence.objects.exists()


def test_evidence_is_served_as_an_attachment_with_the_detected_type(world, plan):
    goal = plan.goals.first()
    assert _upload(login(world, "ana"), goal, "photo", PNG).status_code == 302
    kept = Evidence.objects.get()
    assert bytes(kept.content) == PNG and kept.content_type == "image/png"
    got = login(world, "max").get(f"/develop/evidence/{kept.pk}/")
    assert got.status_code == 200 and got.content == PNG
    assert got["Content-Type"] == "image/png"
    assert got["Content-Disposition"] == 'attachment; filename="photo.png"'
    assert login(world, "ben").get(f"/develop/evidence/{kept.pk}/").status_code == 404


def test_no_evidence_lands_in_a_served_directory(world, plan, settings, tmp_path):
    from pathlib import Path

    goal = plan.goals.first()
    _upload(login(world, "ana"), goal, "unique-evidence-name.txt", b"just text")
    roots = [Path(p) for p in (settings.STATIC_ROOT, getattr(settings, "MEDIA_ROOT", "")) if p]
    for root in roots:
        if root.exists():
            assert not list(root.rglob("unique-evidence-name*"))
    assert Evidence.objects.get().name == "unique-evidence-name.txt"
