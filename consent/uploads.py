"""Uploads refused for their size while they arrive (signed consent forms are
the only files the service accepts; CONSENT_FORM_MAX_BYTES).

``SizeLimitedUploadHandler`` comes first in ``FILE_UPLOAD_HANDLERS``. It
counts each file's bytes as they stream in and, once a file is larger than
the limit, passes nothing more of it on: Django's own handlers (memory, then
a temporary file) stop at the limit, their partial copy is thrown away at
once, and the rest of the file is read past and dropped chunk by chunk, never
held in memory or written to disk. The form still receives every other field
(nothing typed is lost) and, in place of the file, a ``RefusedUpload`` of
the size that was sent and no content, which its size check refuses with the
usual message next to the field. In the browser, static/js/file-size.js
stops a file over the limit from being sent at all.
"""

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class RefusedUpload(UploadedFile):
    """A file refused for its size as it arrived: its name, type and size, and no content."""

    def __init__(self, *, name: str, content_type: str, size: int):
        super().__init__(file=BytesIO(), name=name, content_type=content_type, size=size)


class SizeLimitedUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        # Every file of the request together: a form sends one, and a request
        # of many files gets no more kept than one may have.
        self.kept = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.refused = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if not self.refused and self.kept + len(raw_data) <= settings.CONSENT_FORM_MAX_BYTES:
            self.kept += len(raw_data)
            return raw_data
        if not self.refused:
            self.refused = True
            self._drop_what_the_others_kept()
        # None: the handlers after this one are not given the chunk.
        return None

    def _drop_what_the_others_kept(self) -> None:
        for handler in self.request.upload_handlers:
            kept = getattr(handler, "file", None) if handler is not self else None
            if kept is not None:
                kept.close()  # a temporary file is deleted when closed

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.refused:
            return None  # within the limit: the next handler's file
        return RefusedUpload(name=self.file_name, content_type=self.content_type, size=self.received)
