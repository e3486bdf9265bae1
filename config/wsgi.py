import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.serving import require_ledger_key, require_secret_key, require_two_factor  # noqa: E402 - after Django is set up

require_secret_key()
require_two_factor()
require_ledger_key()
