"""An upload handler that stops storing a file once it passes its size limit (checked while streaming)."""

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Each file goes to a temporary file (deleted after the request), but only up to its limit.

    Past the limit the rest is read from the request and thrown away, and the
    file is marked `too_large`, so that the page can say so instead of failing.
    """

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        zip_file = (file_name or "").lower().endswith(".zip")
        self.limit = settings.IMPORT_ZIP_MAX_BYTES if zip_file else settings.POST_FILE_MAX_BYTES
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        file = super().file_complete(min(file_size, self.limit))
        file.too_large = self.too_large
        file.size = self.received
        return file
