from django.core.files.storage import storages


def private_storage():
    """Signed consent forms: stored outside the web root, served only through a permission-checked view."""
    return storages["private"]
