"""Settings, read from the environment in this one place.

Defaults are safe for production (DEBUG off, a SECRET_KEY required); the demo
and the test suite turn DEBUG on through the Makefile.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from core.error_reporting import error_reporting_start
from core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        # Left empty: Django refuses anything that signs with it, and the
        # WSGI/ASGI entry points refuse to start (config/serving.py), while
        # commands that need no key (makemigrations --check) still run.
        return ""
    # The demo keeps a generated key so that sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

SERVICE_NAME = "Safeguarding information sharing"
# The Government Security Classification of what the service holds, shown in the header of
# every page and on every printed page; empty shows none.
PROTECTIVE_MARKING = os.environ.get("PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")
# The most records a bundle holds (ADR 21): the worker prints it, at about a third of a second of CPU a record,
# and 500 is some three minutes of a worker's time. More goes in more than one bundle.
BUNDLE_MOST_RECORDS = env_int("BUNDLE_MOST_RECORDS", 500)
# Where people write when the service itself goes wrong (help, accessibility and privacy pages).
SERVICE_SUPPORT_EMAIL = os.environ.get("SERVICE_SUPPORT_EMAIL", "service-desk@safeguarding.example")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    # Background tasks' database backend (ADR 23): its table is the queue, and the record of what ran.
    "django_tasks_db",
    "core",
    # The worker that runs background tasks: retries, periodic work, workers lost (ADR 23).
    "worker",
    "ledger",
    "accounts",
    "records",
    # Telling people what needs them (ADR 24): above accounts, below every app that tells (ADR 17).
    "notifications",
    "consent",
    "sharing",
    "exchange",
    "advice",
    # Disclosures sent through the service to another agency on it, beside advice (ADR 27).
    "delivery",
    "audit",
    # The top floor: reads the apps below it, and none of them reads it (ADR 17).
    "oversight",
    # Bundles of a child's records, beside the top floor: they print what it brings together (ADR 21).
    "bundles",
    # Beside oversight on the top floor: subject access requests (ADR 22).
    "subject_access",
    "about",
]
# The benchmark's data set (manage.py seed_scale, make bench): for the demo,
# the tests and a benchmark's own database, never in production unless asked.
if DEBUG or env_bool("BENCH_SCALE_APP", False):
    INSTALLED_APPS.append("scale")

MIDDLEWARE = [
    # First, so that every log line of a request, and every response, carries its id (ADR 28).
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT, hashed and compressed (ADR 28): straight after SecurityMiddleware, as
    # WhiteNoise asks, so they get its headers and skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's OTPMiddleware, without a query on every page (ADR 16).
    "accounts.middleware.VerifiedSessionMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    # Turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.NoStoreWhenSignedInMiddleware",
    "audit.middleware.RefusedAccessMiddleware",
    # A page that declares a look and did not log it is logged here (core/access_log.py).
    "audit.middleware.EveryLookLoggedMiddleware",
    "records.middleware.SubmitOnceMiddleware",
    # Inside SubmitOnceMiddleware, so that a refused form can be sent again once put right.
    "core.middleware.ApplicationErrorMiddleware",
    # Last, so it is the first to see a view's database error.
    "core.middleware.DatabaseUnavailableMiddleware",
]
# make bench only (config/bench.py): each response says how many SQL queries it
# ran and how long they took, and a floor page answers at /bench/floor/. Never
# on in production: the headers describe how pages query the database.
BENCH_QUERY_HEADERS = env_bool("BENCH_QUERY_HEADERS", False)
if BENCH_QUERY_HEADERS:
    MIDDLEWARE.insert(0, "config.bench.QueryCountHeadersMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.service",
                "records.context_processors.roles",
                "accounts.context_processors.session_time_out",
            ],
        },
    },
]

# Databases: SQLite file by default, PostgreSQL in production (DATABASE_URL).
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE: writers wait for each other instead of failing halfway (ADR 18 §5).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # DATABASE_POOL_MODE=transaction: the service reaches PostgreSQL through PgBouncer's transaction pooling
    # (ADR 29), where each transaction may run on another server connection: no cursor is kept open between
    # transactions, and nothing is set for the session at start-up (PgBouncer refuses the `options` startup
    # parameter; docs/operations.md sets the same on the service's role instead).
    DATABASE_POOL_MODE = (os.environ.get("DATABASE_POOL_MODE") or "session").strip().lower()
    if DATABASE_POOL_MODE not in ("session", "transaction"):
        raise ImproperlyConfigured(f"DATABASE_POOL_MODE must be session or transaction, not {DATABASE_POOL_MODE!r}.")
    if DATABASE_POOL_MODE == "transaction":
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        # No JIT and no parallel workers for short queries, set at connection start-up (ADR 18 §6).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "options", os.environ.get("POSTGRES_SESSION_OPTIONS", "-c jit=off -c max_parallel_workers_per_gather=0")
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "records.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out sign-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's, reading the person's membership and agency with them (one query).
    "accounts.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in and sessions (ADR 11).
# Lockout after repeated failed sign-ins (django-axes). Failures count by email
# address and, separately, by client address: a new address does not reset
# the count against an account, nor a new account the count from an address.
# No version banner from django-axes on every manage.py command.
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_COOL_OFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_email"
# The client address is REMOTE_ADDR, which a client cannot forge; behind
# TRUSTED_PROXY_COUNT proxies, the address the outermost of them saw.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# A failure while locked out starts the wait again, so a script that keeps
# trying stays out.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# Success does not clear failures: signing in to one's own account from an
# address must not clear the failures against another account from there.
AXES_RESET_ON_SUCCESS = False

# Two-factor authentication (django-otp, ADR 16): "everyone" (the default) asks
# everyone for a passkey or a code from an authenticator app; "roles" asks only
# safeguarding leads, agency administrators and platform administrators; "off"
# is for the demo only, refused when DEBUG is off (config/serving.py, and
# manage.py check).
TWO_FACTOR = os.environ.get("TWO_FACTOR", "").strip().lower() or "everyone"
if TWO_FACTOR not in {"roles", "everyone", "off"}:
    raise ImproperlyConfigured(f"TWO_FACTOR must be roles, everyone or off, not {TWO_FACTOR!r}.")
OTP_TOTP_ISSUER = SERVICE_NAME
# Passkeys (WebAuthn, django-otp-webauthn), as the second step only: never
# instead of the password. A passkey belongs to one domain (the relying party,
# PASSKEY_DOMAIN: by default the first of ALLOWED_HOSTS, or localhost for the
# demo, as browsers refuse an IP address) and is used only from the origins in
# PASSKEY_ORIGINS (by default https:// and that domain; the demo's
# http://localhost:8000, a secure context to browsers).
OTP_WEBAUTHN_RP_ID = os.environ.get("PASSKEY_DOMAIN", "").strip() or (
    "localhost" if DEBUG or not ALLOWED_HOSTS else ALLOWED_HOSTS[0].lstrip(".")
)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "PASSKEY_ORIGINS", ["http://localhost:8000"] if DEBUG else [f"https://{OTP_WEBAUTHN_RP_ID}"]
)
OTP_WEBAUTHN_RP_NAME = SERVICE_NAME
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"
# Platform administrators can remove a lost device in the admin, never read its secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Links that let someone choose a password work once, and for this long
# (accounts/tokens.py): an invitation to a new member of staff, and a reset.
INVITATION_TIMEOUT = env_int("INVITATION_HOURS", 72) * 3600
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_MINUTES", 60) * 60
# "Forgotten your password?" sends at most this many links for one address,
# and for all addresses asked from one client address, in this many minutes
# (accounts.policy.password_reset_allowed); past either, the same page follows
# and nothing is sent, whether or not the address has an account.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env_int("PASSWORD_RESET_LIMIT_PER_CLIENT", 10)
PASSWORD_RESET_LIMIT_MINUTES = env_int("PASSWORD_RESET_LIMIT_MINUTES", 60)


# Email: invitations, password resets and notifications (ADR 24), through
# Django's email framework (one mailer, "default"). EMAIL_BACKEND=file writes each message as
# a file in EMAIL_FILE_PATH (the demo's default: var/mail/); smtp (the default
# with DEBUG off) sends through EMAIL_HOST, with STARTTLS unless EMAIL_USE_SSL
# asks for TLS from the start.
def _mailer() -> dict:
    backend = (os.environ.get("EMAIL_BACKEND") or ("file" if DEBUG else "smtp")).strip().lower()
    if backend == "file":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")},
        }
    if backend == "smtp":
        use_ssl = env_bool("EMAIL_USE_SSL", False)
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST") or "localhost",
                "port": env_int("EMAIL_PORT", 465 if use_ssl else 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_ssl": use_ssl,
                "use_tls": env_bool("EMAIL_USE_TLS", not use_ssl),
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
    raise ImproperlyConfigured(f"EMAIL_BACKEND must be file or smtp, not {backend!r}.")


MAILERS = {"default": _mailer()}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or f"{SERVICE_NAME} <no-reply@safeguarding.example>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The service's address, e.g. https://safeguarding.example.org, on which links
# in emails are built. Unset, they are built on the address the request came
# to (one of ALLOWED_HOSTS).
SERVICE_URL = os.environ.get("SERVICE_URL", "").strip().rstrip("/")

# Sessions end after SESSION_IDLE_MINUTES without a request, and
# SESSION_MAX_HOURS after signing in, whatever happens (accounts.middleware).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
# The time-out warning (WCAG 2.2.1) opens this long before either limit, with
# "Stay signed in" for the idle one.
SESSION_WARNING_MINUTES = env_int("SESSION_WARNING_MINUTES", 2)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

# Static files (ADR 28): in production `manage.py collectstatic` writes them to STATIC_ROOT with a hash of
# their content in each name, compressed (gzip and Brotli) beside them, and WhiteNoise serves them from
# there, cached for ever by browsers and proxies. The demo and the test suite (DEBUG on) serve them from
# static/ as they are, without collectstatic; STATIC_FILES=hashed or plain chooses either way regardless.
STATIC_FILES = (os.environ.get("STATIC_FILES") or ("plain" if DEBUG else "hashed")).strip().lower()
if STATIC_FILES not in {"hashed", "plain"}:
    raise ImproperlyConfigured(f"STATIC_FILES must be hashed or plain, not {STATIC_FILES!r}.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_FILES == "hashed"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# With plain files WhiteNoise finds them where they are, at each request, as the demo changes them.
WHITENOISE_USE_FINDERS = STATIC_FILES == "plain"
WHITENOISE_AUTOREFRESH = STATIC_FILES == "plain"
# Uploaded consent forms: outside STATIC_ROOT and any web server root, with
# no public URL; served by a view that checks permission (consent/storage.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Refused while it streams, past this size (consent/uploads.py).
CONSENT_FORM_MAX_BYTES = int(os.environ.get("CONSENT_FORM_MAX_BYTES", str(5 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "consent.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Readable and writable by the service's own user alone, like the folders made for them.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Request bodies, files apart: the longest form (a decision's 30 items of up
# to 2,000 characters) is a tenth of this; a larger body is refused with the
# service's 400 page before it is read. Files are not counted here: no more
# than CONSENT_FORM_MAX_BYTES of them is kept from one request.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1_048_576
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# No inline scripts or styles anywhere, so the policy can be strict.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# ASVS 3.3.3: over HTTPS (DEBUG off) the cookies carry the __Host- prefix, so a
# browser takes them only from this host over HTTPS, for every path, never set
# by a neighbouring subdomain. The demo (http://127.0.0.1:8000) keeps plain
# names: a browser refuses __Host- cookies over http.
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
MESSAGE_STORAGE = "config.messages.FallbackStorage"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS only in production; the demo (DEBUG on) is plain http on 127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy that terminates TLS, name the header it sets to "https"
# (e.g. X-Forwarded-Proto). Only where the proxy always sets or overwrites it:
# otherwise a client could claim HTTPS.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _proxy_header = "HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Off unless asked for: the preload list covers the whole registrable domain
# (a council's, a trust's) and takes months to leave, so it is the domain
# owner's decision, not this service's. check --deploy's reminder about it
# (security.W021) is therefore silenced while it is off.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# The ledger (ADR 13): the log's name in its signed checkpoints, the key that
# signs them (a file, never the database; generated into var/ for the demo,
# required and readable by its owner alone with DEBUG off), the public key to
# verify against (derived from the signing key unless given, e.g. on a host
# that verifies without holding the key), and the witness store: a directory
# to which every checkpoint is appended, to be kept on write-once storage or
# another host (docs/operations.md).
LEDGER_ORIGIN = os.environ.get("LEDGER_ORIGIN", "safeguarding.example/ledger")
LEDGER_SIGNING_KEY_FILE = os.environ.get(
    "LEDGER_SIGNING_KEY_FILE", str(VAR_DIR / "ledger-signing.key") if DEBUG else ""
)
LEDGER_VERIFIER_KEY = os.environ.get("LEDGER_VERIFIER_KEY", "")
LEDGER_WITNESS_DIR = os.environ.get("LEDGER_WITNESS_DIR", str(VAR_DIR / "witness") if DEBUG else "")
# A checkpoint is signed at most this often while entries arrive.
LEDGER_CHECKPOINT_SECONDS = float(os.environ.get("LEDGER_CHECKPOINT_SECONDS", "2"))
# Each writer's process places waiting entries in the tree after it commits
# (off only to measure the cost, or to keep the key on the worker's host: the worker then does it).
LEDGER_SEQUENCE_ON_COMMIT = env_bool("LEDGER_SEQUENCE_ON_COMMIT", True)


# Background tasks (Django's Tasks framework, ADR 23), run by `manage.py worker` beside the web server.
# TASKS_BACKEND=database (the default) queues them in the service's own database (django-tasks-db); rq
# queues them in Redis at TASKS_REDIS_URL (django-tasks-rq), for a deployment with several servers;
# immediate runs each as it is enqueued, in the process that enqueues it (the test suite's choice).
TASKS_BACKEND = (os.environ.get("TASKS_BACKEND") or "database").strip().lower()
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "redis://127.0.0.1:6379/0")
# A task that fails is tried again, this many times in all, waiting TASKS_RETRY_SECONDS, then twice as
# long each time (at most an hour); after the last it stays failed, on the lead's "For review".
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 5)
TASKS_RETRY_SECONDS = env_int("TASKS_RETRY_SECONDS", 10)
# A task still running under a worker not heard from for this long is put back to run again (the
# worker was killed or its machine lost); a live worker says it is alive every few seconds.
TASKS_WORKER_LOST_SECONDS = env_int("TASKS_WORKER_LOST_SECONDS", 60)
# What the worker last found of tasks failing, for the lead's "For review" to read (worker.status).
TASKS_STATUS_FILE = Path(os.environ.get("TASKS_STATUS_FILE", VAR_DIR / "worker-status.json"))
# Tasks that succeeded are kept this many days (what ran, and when), failed ones until put right.
TASKS_KEEP_DAYS = env_int("TASKS_KEEP_DAYS", 14)


def _task_backends() -> dict:
    if TASKS_BACKEND == "database":
        return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    if TASKS_BACKEND == "rq":
        return {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    if TASKS_BACKEND == "immediate":
        return {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database, rq or immediate, not {TASKS_BACKEND!r}.")


TASKS = _task_backends()
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
# RQ's queue (read by django-rq only with TASKS_BACKEND=rq): each job is retried as above (worker/rq.py).
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "QUEUE_CLASS": "worker.rq.RetryingQueue"}}

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "safeguarding-demo")

# The safeguarding lead's dashboard: open requests are flagged after this many
# days, and decisions without consent are listed for this many days.
OPEN_REQUEST_ALERT_DAYS = int(os.environ.get("OPEN_REQUEST_ALERT_DAYS", "5"))
DASHBOARD_RECENT_DAYS = int(os.environ.get("DASHBOARD_RECENT_DAYS", "90"))
# A request for advice about a decision (3.5.17) is due this many hours after
# it is asked, or sooner when urgent; past that it is on the lead's dashboard.
ADVICE_ANSWER_WITHIN_HOURS = env_int("ADVICE_ANSWER_WITHIN_HOURS", 24)
ADVICE_URGENT_ANSWER_WITHIN_HOURS = env_int("ADVICE_URGENT_ANSWER_WITHIN_HOURS", 4)
# A disclosure sent through the service (ADR 27) is to be acknowledged within this many hours; past that its
# sender's leads are told, and see it on "For review".
DELIVERY_ACKNOWLEDGE_WITHIN_HOURS = env_int("DELIVERY_ACKNOWLEDGE_WITHIN_HOURS", 48)
# The safeguarding leads are told this many days before a subject access request's deadline (ADR 24).
SUBJECT_ACCESS_WARN_DAYS = env_int("SUBJECT_ACCESS_WARN_DAYS", 7)
# The hour of the day (0 to 23, TIME_ZONE) the background worker sends the daily summaries (ADR 24).
NOTIFICATIONS_SUMMARY_HOUR = env_int("NOTIFICATIONS_SUMMARY_HOUR", 7)

# Log lines carry request paths and identifiers only, never personal data: URLs hold opaque identifiers
# and searches are sent by POST. LOG_FORMAT=json (the default with DEBUG off) writes one JSON object a
# line, for a log collector; plain (the demo's) writes text. Every line carries the request's id
# (core.logs, core.middleware.RequestIdMiddleware; ADR 28).
LOG_FORMAT = (os.environ.get("LOG_FORMAT") or ("plain" if DEBUG else "json")).strip().lower()
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}.")
LOGGING = logging_config(log_format=LOG_FORMAT, level=os.environ.get("LOG_LEVEL", "INFO"))

# Error reporting (ADR 28), off unless SENTRY_DSN is set: errors only, with personal data off and every
# event scrubbed before it leaves (core/error_reporting.py). SENTRY_ENVIRONMENT names the deployment
# (production, staging), SENTRY_RELEASE the version deployed.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    error_reporting_start(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE"),
    )
