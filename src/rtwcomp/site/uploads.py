"""Uploaded files on disk, kept only up to a size no import accepts anyway.

Django writes an uploaded file larger than `FILE_UPLOAD_MAX_MEMORY_SIZE` to a temporary
file before any view sees it, however large it is. `CappedUploadHandler` writes the first
`KEPT_BYTES` and beyond that only counts: the file the view receives still reports its
full size, so the importer refuses it by its size ("panel.csv is 12 GB; the limit is
5 MB") without the disk ever holding more than `KEPT_BYTES` of it. Every web import's
limit (rtwcomp.interop: 5 MB) is well below.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

KEPT_BYTES = 20_000_000


class CappedUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.kept = 0
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if not self.over and self.kept + len(raw_data) > KEPT_BYTES:
            self.over = True  # refused by its size anyway: keep none of it, count the rest
            self.file.seek(0)
            self.file.truncate()
        if not self.over:
            self.file.write(raw_data)
            self.kept += len(raw_data)
        return None  # Django counts every byte, so the file still reports its full size

    def file_complete(self, file_size: int) -> UploadedFile:
        uploaded: UploadedFile = super().file_complete(file_size)
        return uploaded
