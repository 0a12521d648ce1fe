"""Settings for Theo dõi nhiệm vụ CCHC, read from the environment.

One module for every environment: development defaults are safe on a laptop,
and `DJANGO_ENV=production` switches on everything `check --deploy` asks for.
A malformed value fails at start-up with the variable's name, never later.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.directory import ldap_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development, production or test, got {DJANGO_ENV!r}"
    )
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or DJANGO_ENV == "test":
        SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Public base URL used in e-mails ("https://cchc.hanoi.gov.vn").
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_q",
    "import_export",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "auditlog",
    "agencies",
    "planning",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signs the audit trail's entries with the request's user (agencies/audit.py).
    "agencies.audit.AuditMiddleware",
    # Coordinators' two-factor sign-in, when TWO_FACTOR_COORDINATORS is on (agencies/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "agencies.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response; Cache-Control on logged-in pages.
    "csp.middleware.CSPMiddleware",
    "config.middleware.PrivatePagesMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files with hashed names, served by the app itself behind the proxy.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"

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
                "agencies.context_processors.membership",
                "notifications.context_processors.notices",
                # After Django's csrf processor: see config/caching/pages.py.
                "config.caching.pages.csrf_placeholder",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and one qcluster share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# First django-axes, which refuses a locked-out account or address before any
# password is checked (agencies/throttle.py); then the user, membership and
# agency in one query (agencies/backends.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "agencies.backends.MembershipBackend",
]
# Sign-in with the province's directory (LDAP) when LDAP_SERVER_URI is set
# (config/directory.py, agencies/directory.py); local accounts keep working.
_directory = ldap_settings(os.environ)
globals().update(_directory)
if _directory:
    AUTHENTICATION_BACKENDS.insert(1, "agencies.directory.DirectoryBackend")
# Sessions read from the shared cache (Redis in production, the file cache
# otherwise), written through to the database, so a cache restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGIN_URL = "login"
# Coordinators confirm each sign-in with a code from an authenticator app (TOTP).
TWO_FACTOR_COORDINATORS = env_bool("TWO_FACTOR_COORDINATORS", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Theo dõi nhiệm vụ CCHC")
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese only, whatever the browser prefers: no LocaleMiddleware, so Django's
# own messages (the login error, validators) always come from the `vi` catalogue
# Django ships, and pages do not vary by Accept-Language.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"  # never served directly: evidence files go through a permission check
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# E-mail: the console backend in development, SMTP as soon as EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Theo dõi nhiệm vụ CCHC <cchc@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"

# django-q2: the ORM broker by default; Redis when REDIS_URL is set.
# timeout < retry so a long task is not handed out twice; catch_up off so a
# restart does not replay every missed slot (duplicate e-mails).
REDIS_URL = env_str("REDIS_URL", "")
Q_CLUSTER = {
    "name": "cchc",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 600,
    "retry": 900,
    "max_attempts": 3,
    "catch_up": False,
    "save_limit": 500,
    "label": "Hàng đợi tác vụ",
    "sync": env_bool("Q_SYNC", False),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# How many proxies we run in front of the app (nginx: 1); used to read the client's
# address from X-Forwarded-For for login throttling. 0 trusts only REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Sign-in throttling (django-axes, agencies/throttle.py): an account is locked
# after LOGIN_FAILURE_LIMIT failures from any addresses, an address after
# LOGIN_ADDRESS_FAILURE_LIMIT failures against any accounts; each failure
# counts for LOGIN_LOCKOUT_MINUTES. The password-change form counts too.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
for _name in ("LOGIN_FAILURE_LIMIT", "LOGIN_ADDRESS_FAILURE_LIMIT", "LOGIN_LOCKOUT_MINUTES"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
AXES_HANDLER = "agencies.throttle.SignInThrottle"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_RESET_ON_SUCCESS = True
# A refused attempt during a lock is not counted, so the time on the page holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "agencies.throttle.attempted_username"
AXES_CLIENT_IP_CALLABLE = "agencies.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "agencies.throttle.lockout_response"
# Never written into the failure log's copy of the form (the password-change form's fields).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

# Reports (planning/reports/document.py): who issues and signs the PDF report.
# An officer's report for one agency names that agency instead of REPORT_ISSUER.
REPORT_PARENT_BODY = env_str("REPORT_PARENT_BODY", "UBND thành phố Hà Nội")
REPORT_ISSUER = env_str("REPORT_ISSUER", "Sở Nội vụ")
REPORT_ISSUER_CODE = env_str("REPORT_ISSUER_CODE", "SNV")
REPORT_PLACE = env_str("REPORT_PLACE", "Hà Nội")
REPORT_SIGNER_TITLE = env_str("REPORT_SIGNER_TITLE", "GIÁM ĐỐC")
REPORT_SIGNER_NAME = env_str("REPORT_SIGNER_NAME", "")
REPORT_SYNC_MAX_ROWS = env_int("REPORT_SYNC_MAX_ROWS", 1000)
# The folder of the fonts-liberation2 LiberationSerif-*.ttf files the PDF is drawn in
# (planning/reports/fonts.py; `manage.py check` fails when they are missing).
REPORT_FONT_DIR = env_str("REPORT_FONT_DIR", "/usr/share/fonts/truetype/liberation2")

# A cache every process shares (login throttling, progress of long imports):
# Redis when REDIS_URL is set, else files on disk, never per-process memory.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "config.caching.redis_backend.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        }
    }
# How long a page a user has seen stays in the shared cache for them to see
# again (config/caching/pages.py); any change to the data ends it sooner. 0 turns
# the page cache off: every page is drawn, from the shared figures.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 5 * 60)

# Per process, for what depends on the code alone (the menu of each role): a
# deployment restarts every process, so nothing there can go stale.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "cchc-per-process",
}

# Uploads (planning/uploads/, docs/SECURITY.md "Tệp tải lên / Uploads"): each page
# states its limits, read from here. A .docx/.xlsx is also refused when its parts
# unzip to more than UPLOAD_MAX_INFLATED_BYTES, or hold more paragraphs or rows
# than stated: python-docx and openpyxl would build all of it in memory.
MB = 1024 * 1024
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * MB)
PLAN_UPLOAD_MAX_BYTES = env_int("PLAN_UPLOAD_MAX_BYTES", 5 * MB)
PLAN_MAX_PARAGRAPHS = env_int("PLAN_MAX_PARAGRAPHS", 20_000)
PLAN_PDF_MAX_PAGES = env_int("PLAN_PDF_MAX_PAGES", 300)
SPREADSHEET_MAX_BYTES = env_int("SPREADSHEET_MAX_BYTES", 5 * MB)
SPREADSHEET_MAX_ROWS = env_int("SPREADSHEET_MAX_ROWS", 25_000)
UPLOAD_MAX_INFLATED_BYTES = env_int("UPLOAD_MAX_INFLATED_BYTES", 100 * MB)
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Load balancers and monitors probe /healthz over plain HTTP on the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Production logs one JSON object per line to stdout (config/logging.py);
# journald or the container runtime collects them. LOG_FORMAT=plain|json overrides.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # weasyprint logs every layout step at INFO; fontTools every subset.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs each step of every sign-in at INFO; failures and locks are WARNING.
        "axes": {"level": "WARNING"},
        # django-q2 adds its own plain handler unless one is configured here.
        "django-q": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


# JSON API (planning/api/, docs/API.md): tokens only, JSON only, errors with a
# stable code and a Vietnamese message, a rate per token in the shared cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["planning.api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["planning.api.auth.TokenRequired"],
    "DEFAULT_THROTTLE_CLASSES": ["planning.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("API_RATE", "600/min")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "planning.api.errors.exception_handler",
    "DATE_INPUT_FORMATS": ["iso-8601"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Theo dõi nhiệm vụ CCHC – API",
    "DESCRIPTION": "Kế hoạch, nhiệm vụ, nhiệm vụ được giao, lịch sử và số liệu tổng hợp.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Served from the app itself (drf-spectacular-sidecar): no CDN, for closed networks.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}


# Content-Security-Policy (django-csp): our own files only, no inline script
# anywhere (static/js/), no framing, forms post only to us. Inline style
# *attributes* stay allowed: the progress bars draw their width with one.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
