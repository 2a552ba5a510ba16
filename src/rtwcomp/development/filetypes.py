"""What kind of file an evidence upload is, from its bytes, never its name.

Accepted: PDF, PNG, JPEG, plain UTF-8 text, and Word (DOCX) and Excel (XLSX) documents,
which are zip archives whose `[Content_Types].xml` declares the main part of that kind.
Anything else is refused, and a Windows executable (an "MZ" header), whatever its name, is
named as such so the person knows why.
"""

from __future__ import annotations

import io
import zipfile

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain; charset=utf-8"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The main part each Office document's [Content_Types].xml declares.
OFFICE_MAIN_PARTS = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", TEXT: ".txt", DOCX: ".docx", XLSX: ".xlsx"}
# Zip archives are opened to read one small part; this bounds what that may read.
MAX_CONTENT_TYPES_BYTES = 1 << 20


class Refused(ValueError):
    """The bytes are of no accepted kind; the message says what was found."""


def detect(content: bytes) -> str:
    """The content type of `content`, or `Refused`."""
    if content.startswith(b"MZ"):
        raise Refused("executable")
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _office(content)
    if _is_text(content):
        return TEXT
    raise Refused("unknown")


def _office(content: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_BYTES:
                raise Refused("archive")
            declared = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError) as error:
        raise Refused("archive") from error
    for kind, main_part in OFFICE_MAIN_PARTS.items():
        if main_part in declared:
            return kind
    raise Refused("archive")


def _is_text(content: bytes) -> bool:
    """UTF-8 without NUL or other control characters than tab, line feed, carriage return
    and form feed (what a text editor writes)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(text) and not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)
