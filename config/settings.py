"""Planprofil settings. Everything that differs between machines comes from the environment."""

import os
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_secret("DJANGO_SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # nosec B105 # DEBUG only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "formtools",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "content",
    "guidance",
    "assessment",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_database_url = env_secret("DATABASE_URL")
if not _database_url:
    # The embedded default: var/ must exist before any manage.py command opens the file.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        _database_url or f"sqlite:///{VAR_DIR / 'planprofil.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a real embedded database: writers queue for the lock (BEGIN IMMEDIATE plus a
    # busy timeout) instead of failing with "database is locked" half-way through a
    # transaction, and readers never block the writer (write-ahead log).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("PLANPROFIL_SQLITE_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a real file too (one per test process), not Django's shared in-memory
    # database, whose table locks ignore the busy timeout: concurrency tests then see what
    # production sees.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"planprofil-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a user name + address pair out after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = env_int("PLANPROFIL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("PLANPROFIL_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The address a lockout is keyed on. Directly on the internet: REMOTE_ADDR, nothing a client
# can write. Behind proxies of our own, set PLANPROFIL_CLIENT_IP_HEADERS=HTTP_X_FORWARDED_FOR
# and PLANPROFIL_PROXY_COUNT to how many there are (default 1). Each proxy appends the address
# it saw, so the client is that many entries from the right; anything further left was written
# by the client and is ignored. django-axes reads headers only through django-ipware.
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("PLANPROFIL_CLIENT_IP_HEADERS", ["REMOTE_ADDR"])
AXES_IPWARE_PROXY_ORDER = "left-most"
if AXES_IPWARE_META_PRECEDENCE_ORDER != ["REMOTE_ADDR"]:
    PLANPROFIL_PROXY_COUNT = env_int("PLANPROFIL_PROXY_COUNT", 1)
    if PLANPROFIL_PROXY_COUNT < 1:
        raise ImproperlyConfigured("PLANPROFIL_PROXY_COUNT must be 1 or more behind a proxy.")
    # django-ipware counts the proxies listed in the header after the client; the one next to
    # us is REMOTE_ADDR, not in the header. Not strict: a client-written prefix is skipped
    # instead of discarding the whole header.
    AXES_IPWARE_PROXY_COUNT = PLANPROFIL_PROXY_COUNT - 1
    IPWARE_STRICT = False
elif env_str("PLANPROFIL_PROXY_COUNT") is not None:
    raise ImproperlyConfigured("PLANPROFIL_PROXY_COUNT needs PLANPROFIL_CLIENT_IP_HEADERS.")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assessment:home"
LOGOUT_REDIRECT_URL = "assessment:home"

# Optional single sign-on with OpenID Connect (mozilla-django-oidc), e.g. Microsoft Entra ID.
# Off unless PLANPROFIL_OIDC_CLIENT_ID is set. Endpoints are given explicitly: nothing is
# discovered over the network at start-up. See assessment/oidc.py for who may log in.
PLANPROFIL_OIDC_ENABLED = bool(env_str("PLANPROFIL_OIDC_CLIENT_ID"))
if PLANPROFIL_OIDC_ENABLED:
    # The secret, or PLANPROFIL_OIDC_CLIENT_SECRET_FILE naming a file that holds it.
    OIDC_RP_CLIENT_SECRET = env_secret("PLANPROFIL_OIDC_CLIENT_SECRET") or ""
    OIDC_RP_CLIENT_ID = env_str("PLANPROFIL_OIDC_CLIENT_ID")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("PLANPROFIL_OIDC_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = env_str("PLANPROFIL_OIDC_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = env_str("PLANPROFIL_OIDC_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = env_str("PLANPROFIL_OIDC_JWKS_ENDPOINT", "")
    OIDC_RP_SIGN_ALGO = env_str("PLANPROFIL_OIDC_SIGN_ALGO") or "RS256"
    _oidc_missing = [
        name
        for name, value in [
            ("PLANPROFIL_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
            ("PLANPROFIL_OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
            ("PLANPROFIL_OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
            ("PLANPROFIL_OIDC_USER_ENDPOINT", OIDC_OP_USER_ENDPOINT),
            ("PLANPROFIL_OIDC_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT),
        ]
        if not value
    ]
    if _oidc_missing:
        raise ImproperlyConfigured(f"PLANPROFIL_OIDC_CLIENT_ID is set; also set {_oidc_missing}.")
    PLANPROFIL_OIDC_PROVIDER_NAME = env_str("PLANPROFIL_OIDC_PROVIDER_NAME") or "Microsoft"
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = 10  # seconds, for each call to the provider's token, user and key endpoints
    LOGIN_REDIRECT_URL_FAILURE = "/konto/login/"
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("assessment.oidc.EmailVerifiedOIDCBackend")
    TEMPLATES[0]["OPTIONS"]["context_processors"].append("assessment.oidc.login_button")

# Wizard answers live in the database; the session only remembers where the respondent is.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_COOKIE_AGE", 60 * 60 * 8)

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English is en-GB: Django's "en" formats are American (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "planprofil@localhost")
# SMTP (with DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set DJANGO_EMAIL_USE_TLS or DJANGO_EMAIL_USE_SSL, not both.")
# Seconds before a stuck mail server gives up, instead of holding a request forever.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)

SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# HTTPS is the proxy's job; these switch on the browser-side guarantees once it is in place.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_TLS_PROXY", False) else None
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Every handler redacts respondent keys from URLs and caps each message (config/logging.py).
PLANPROFIL_LOG_MAX_CHARS = env_int("PLANPROFIL_LOG_MAX_CHARS", 2000)
_LOG_FILTERS = ["redact_respondent_keys", "truncate"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_respondent_keys": {"()": "config.logging.RedactRespondentKeysFilter"},
        "truncate": {
            "()": "config.logging.TruncateFilter",
            "max_chars": max(100, PLANPROFIL_LOG_MAX_CHARS),
        },
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": _LOG_FILTERS},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": _LOG_FILTERS,
        },
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # Replaces Django's own handlers (which would print unfiltered in debug mode): its
        # records go to the root's filtered console.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# Background work (batch PDF exports) on the django.tasks API; `manage.py db_worker` runs it,
# on as many machines as needed, against the same database.
TASKS = {
    "default": {
        "BACKEND": env_str("PLANPROFIL_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Planprofil's own settings.
# Municipalities at or under this population are the target group; larger ones may still
# take the assessment, with a note (several between 2,500 and 3,000 are in the same situation).
PLANPROFIL_SMALL_MUNICIPALITY_THRESHOLD = env_int("PLANPROFIL_SMALL_MUNICIPALITY_THRESHOLD", 2500)
# How many recommendations a report lists (the highest ranked).
PLANPROFIL_RECOMMENDATION_COUNT = env_int("PLANPROFIL_RECOMMENDATION_COUNT", 5)
# Invitation links stop working after this many days (a coordinator can resend).
PLANPROFIL_INVITATION_DAYS = env_int("PLANPROFIL_INVITATION_DAYS", 30)
# Rendered PDFs, keyed by their content; safe to delete at any time.
PLANPROFIL_REPORT_CACHE = env_str("PLANPROFIL_REPORT_CACHE") or str(VAR_DIR / "reports")
# Finished batch exports (ZIP files of PDF reports).
PLANPROFIL_EXPORT_DIR = env_str("PLANPROFIL_EXPORT_DIR") or str(VAR_DIR / "exports")
