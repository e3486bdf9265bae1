import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files kept outside the web root, with no public URL.

    Reads PRIVATE_MEDIA_ROOT each time, so that it follows the setting.
    """

    def __init__(self):
        super().__init__(base_url=None)

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
