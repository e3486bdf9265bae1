"""gunicorn's settings for production (docs/deploy.md, ADR 28), read from the environment.

gunicorn reads ./gunicorn.conf.py from the directory it starts in, so `gunicorn config.wsgi` run from the
project's root uses this file; settings given on the command line win over it (make bench gives its
own bind, workers, threads, timeout and forwarded addresses: bench/server.py).

    GUNICORN_BIND            where to listen (default 127.0.0.1:8000: behind the proxy on the same host)
    GUNICORN_WORKERS         processes (default 2 a CPU, at least 2; each holds its own database connection)
    GUNICORN_THREADS         threads a process (default 1)
    GUNICORN_TIMEOUT         seconds a request may take before its worker is replaced (default 30)
    GUNICORN_ACCESS_LOG      where the access log goes: "-" (standard output, the default), a file, or
                             "off" for none (the proxy keeps one too)
    FORWARDED_ALLOW_IPS      the proxies whose X-Forwarded-* headers are believed (default 127.0.0.1)
    LOG_FORMAT, DEBUG        json (the default with DEBUG off) or plain, as for Django's own lines
"""

import os
import sys
from pathlib import Path

# This file is read before Django is set up: the formatters come from core/logs.py, which needs no Django.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from core.logs import JsonFormatter, PlainFormatter, RequestIdFilter  # noqa: F401 - found by name by logconfig_dict


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = _int("GUNICORN_WORKERS", max(2, 2 * (os.cpu_count() or 1)))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer is cut off and its worker replaced: the proxy's own time-out is longer
# (deploy/nginx.conf.example), so the person sees the service's page, not the proxy's.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (systemctl stop, a deploy) a worker finishes the request in hand for up to this long.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds a connection from the proxy is kept open between requests (gthread workers; gunicorn's default).
keepalive = _int("GUNICORN_KEEPALIVE", 2)
# Worker heartbeats in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's documented choice
# gunicorn's control socket would default to one path in the home directory shared by every instance.
control_socket_disable = True
# X-Forwarded-Proto (and the client's address) are believed from these addresses only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The application is loaded in each worker after the fork: no database connection is shared.
preload_app = False

# Logs: gunicorn's own lines (start, workers, time-outs) to standard error, the access log to standard
# output, both in the format of Django's lines. An access line holds the method, the path without its
# query string, the status, the size, the time taken and the request's id (core.logs._ACCESS_FIELDS):
# never the query string, the client's address, the referrer or the user agent.
_access_log = os.environ.get("GUNICORN_ACCESS_LOG", "-").strip()
accesslog = None if _access_log.lower() in {"", "off", "none"} else _access_log
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms %({x-request-id}o)s"
_debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
_log_format = (os.environ.get("LOG_FORMAT") or ("plain" if _debug else "json")).strip().lower()
_access_handlers = ["access"] if accesslog else []
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "INFO", "handlers": []},
    "formatters": {"line": {"()": "core.logs.JsonFormatter" if _log_format == "json" else "core.logs.PlainFormatter"}},
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id"],
            "stream": "ext://sys.stderr",
        },
        **(
            {
                "access": (
                    {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}
                    if accesslog == "-"
                    else {"class": "logging.FileHandler", "filename": accesslog}
                )
                | {"formatter": "line", "filters": ["request_id"]}
            }
            if accesslog
            else {}
        ),
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": _access_handlers, "propagate": False},
    },
}
