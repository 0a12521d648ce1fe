"""gunicorn settings: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value can be overridden from the environment (see docs/DEPLOY.md), so
one file serves a laptop and each machine of a production pool.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request is short (one page = a constant handful of queries).
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)  # long reports run in the queue, not here
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (slow leaks), staggered so they never restart together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Workers' heartbeat files in memory, never on a slow or full disk.
SHM = "/dev/shm"  # noqa: S108 - gunicorn's documented choice, not a shared temp file
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
# The reverse proxy on this machine (or the pool's) may set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")  # "-" = stdout
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "cchc-web"
# gunicorn ≥ 25 opens a control socket at ~/.gunicorn/gunicorn.ctl; several
# instances under one user would fight over it, and systemd is our control.
control_socket_disable = True

if os.environ.get("DJANGO_ENV") == "production":
    # Same JSON lines as the application's own logs (config/logging.py). This
    # replaces gunicorn's handlers, so the access log's destination is set here.
    _stdout = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}
    _access = (
        _stdout
        if accesslog == "-"
        else {"class": "logging.FileHandler", "formatter": "json", "filename": accesslog}
    )
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
        "handlers": {"stdout": _stdout, "access": _access},
        "root": {"handlers": ["stdout"], "level": loglevel.upper()},
        "loggers": {
            "gunicorn.error": {
                "handlers": ["stdout"],
                "level": loglevel.upper(),
                "propagate": False,
            },
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }
