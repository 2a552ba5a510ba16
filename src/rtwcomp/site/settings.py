"""Django settings, read from the environment.

`RTWCOMP_DATA_DIR` holds the SQLite database and the secret key; `DATABASE_URL` points at
PostgreSQL instead; `RTWCOMP_DEBUG=1` turns debug on (never under `rtwcomp serve`).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from rtwcomp.paths import data_dir, private_file, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key()
DEBUG = os.environ.get("RTWCOMP_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "rtwcomp.site.apps.SiteConfig",
    "rtwcomp.frameworks",
    "rtwcomp.surveys",
    "rtwcomp.elicitation",
    "rtwcomp.audit",
    "rtwcomp.jobs",
    "rtwcomp.assessments",
    "rtwcomp.development",
    "rtwcomp.mentoring",
    "rtwcomp.selection",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "rtwcomp.site.middleware.content_security_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Audit history: who made a change (rtwcomp.audit).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rtwcomp.site.urls"
WSGI_APPLICATION = "rtwcomp.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

SQLITE_PATH = DATA_DIR / "rtwcomp.sqlite3"
if not os.environ.get("DATABASE_URL"):
    private_file(SQLITE_PATH)  # 0600 before SQLite makes it 0644; -wal and -shm follow
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer commits; IMMEDIATE avoids lock upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }

# Background work (rtwcomp.jobs): Django's tasks framework (the django-tasks backport) with
# its database backend, so tasks wait in the same database; `rtwcomp worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The shared cache (the analysis cache, `surveys.results.cached_analysis`): Django's database
# cache by default, so every app server process sees what another computed; its table is
# made by `rtwcomp migrate` (`createcachetable`). RTWCOMP_CACHE_BACKEND and
# RTWCOMP_CACHE_LOCATION choose another, e.g. Redis or, for one process, local memory.
CACHES = {
    "default": {
        "BACKEND": os.environ.get(
            "RTWCOMP_CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"
        ),
        "LOCATION": os.environ.get("RTWCOMP_CACHE_LOCATION", "rtwcomp_cache"),
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Object permissions: the rules in rtwcomp.permissions.
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: five failures for a username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The client's address: the connection's own unless RTWCOMP_TRUSTED_PROXIES reverse proxies
# (a count) stand in front, whose X-Forwarded-For entries are then believed; otherwise a
# client could dodge the lockout by sending its own header. The survey forms' throttles
# count the same address. A callable rather than axes' AXES_IPWARE_* settings: those need
# django-ipware, and the callable, which takes precedence over them, is the one rule for both.
RTWCOMP_TRUSTED_PROXIES = int(os.environ.get("RTWCOMP_TRUSTED_PROXIES", "0") or 0)
AXES_CLIENT_IP_CALLABLE = "rtwcomp.site.clientip.client_ip"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if os.environ.get("RTWCOMP_HTTPS", "") == "1":
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Outgoing mail: by default a file per message, mode 0600, in the data directory's outbox.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "rtwcomp.site.mail.PrivateFileBackend")
EMAIL_FILE_PATH = DATA_DIR / "outbox"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "rtwcomp@localhost")
# SMTP, when EMAIL_BACKEND names Django's SMTP backend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
# Links in e-mails: this address when set, else the one the app is reached at (site.mail.site_url).
SITE_URL = os.environ.get("RTWCOMP_SITE_URL", "")

# Background jobs (rtwcomp.jobs). A web upload larger than RTWCOMP_IMPORT_JOB_BYTES is
# imported by a job (bench/uploads.py measures why); a job's files live in the database, at
# most RTWCOMP_JOB_FILE_MAX_BYTES each; finished jobs are deleted after
# RTWCOMP_JOB_RETENTION_DAYS by the worker.
RTWCOMP_IMPORT_JOB_BYTES = int(os.environ.get("RTWCOMP_IMPORT_JOB_BYTES", "262144"))
RTWCOMP_JOB_FILE_MAX_BYTES = int(os.environ.get("RTWCOMP_JOB_FILE_MAX_BYTES", "67108864"))
RTWCOMP_JOB_RETENTION_DAYS = int(os.environ.get("RTWCOMP_JOB_RETENTION_DAYS", "30"))
# Evidence attached to development plan goals: at most this many bytes per file (10 MiB).
RTWCOMP_EVIDENCE_MAX_BYTES = int(os.environ.get("RTWCOMP_EVIDENCE_MAX_BYTES", "10485760"))

# Every handler masks invitation tokens and query-string codes (rtwcomp.site.logs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "rtwcomp.site.logs.MaskSecrets"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_secrets"],
        },
    },
    "loggers": {
        # to the root's handler (no longer also Django's unmasked console and mail ones)
        "django": {"handlers": [], "level": os.environ.get("RTWCOMP_LOG_LEVEL", "WARNING")},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("RTWCOMP_LOG_LEVEL", "WARNING")},
}

# Uploads: a file over FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary file of which at most
# rtwcomp.site.uploads.KEPT_BYTES are kept; the importers refuse it by its full size.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "rtwcomp.site.uploads.CappedUploadHandler",
]
