import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files kept outside the web root, with no public URL, and readable
    by the service's own user alone (files 0600, folders 0700).

    Reads PRIVATE_MEDIA_ROOT each time, so that it follows the setting.
    """

    def __init__(self):
        # Readable by the service's own user alone, whatever FILE_UPLOAD_PERMISSIONS says.
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL: serve them through a view that checks permission")


_private = PrivateStorage()


def private_storage():
    """Signed consent forms: outside the web root, served only by a permission-checked view."""
    return _private
