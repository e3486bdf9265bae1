import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

from config.serving import require_ledger_key, require_secret_key, require_two_factor  # noqa: E402 - after Django is set up

require_secret_key()
require_two_factor()
require_ledger_key()
