"""Django settings, derived from the one validated ``Settings`` object (cchc.web.config).

Do not read the environment here: add a field to ``Settings`` instead, so it is checked
and documented in one place.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from cchc.web.config import Settings, create_private_sqlite

CONFIG = Settings.from_env()
PACKAGE_DIR = Path(__file__).resolve().parent

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)
CSRF_TRUSTED_ORIGINS = list(CONFIG.csrf_trusted_origins)

# Apps of this project. Other web modules (the one-stop desk, the campaign workflow) add
# their app here with one line; their URLs go in cchc.web.urls.APP_URLS, their API routers in
# cchc.web.api.ROUTERS and their demo data in cchc.web.demo.STEPS.
CCHC_APPS = [
    "cchc.web.units",
    "cchc.web.accounts",
    "cchc.web.campaigns",
    "cchc.web.portal",
    "cchc.web.ops",
    "cchc.web.desk",
    "cchc.web.surveys",
    "cchc.web.workflow",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Listed so the API docs (/api/v1/docs) use django-ninja's bundled Swagger UI files, served
    # by this site, instead of a CDN that the Content-Security-Policy blocks.
    "ninja",
    *CCHC_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: refuses log-in POSTs once the failure counters are full (429).
    "cchc.web.ops.ratelimit.LoginRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cchc.web.ops.csp.ContentSecurityPolicyMiddleware",
    # GET pages read the published campaigns once, not once per helper (a ranking of 3 321 communes).
    "cchc.web.ops.readonce.ReadOnceMiddleware",
]

ROOT_URLCONF = "cchc.web.urls"
WSGI_APPLICATION = "cchc.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.web.navigation.nav_context",
            ],
            # Vietnamese number/date filters everywhere ({{ x|num }}), with or without {% load vn %}.
            "builtins": ["cchc.web.templatetags.vn"],
            "libraries": {"vn": "cchc.web.templatetags.vn"},
        },
    }
]

DATABASES = {"default": CONFIG.database.as_django(persistent=CONFIG.env != "test")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Argon2 first: new and re-hashed passwords use it; the others only read old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"  # the public; each role lands elsewhere (navigation.LANDING)
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Numbers and dates on pages go through cchc.fmt (template filters in templatetags/vn.py);
# Django's own localisation is used only for forms and the admin.
USE_THOUSAND_SEPARATOR = False

CACHES = {"default": CONFIG.cache}

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # the project-wide stylesheet; apps add their own
STATIC_ROOT = CONFIG.static_root
# WhiteNoise warns on every start when the folder is missing (before collectstatic).
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Password hashes and personal data: a new SQLite file is made 0600 before SQLite opens it
# (after the folders above exist).
create_private_sqlite(CONFIG.database)
MEDIA_URL = "/media/"  # never served publicly: evidence is downloaded through a checked view
MEDIA_ROOT = CONFIG.media_root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders so `cchc serve` works without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: evidence files are checked against CCHC_UPLOAD_MAX_MB in the campaign services;
# these bound what Django will even read into memory or a temp file.
CCHC_UPLOAD_MAX_BYTES = CONFIG.upload_max_bytes
# Tables in uploads (score, answer, ledger files): cchc.tables.TableLimits from CCHC_TABLE_*.
CCHC_TABLE_LIMITS = CONFIG.table_limits
# Whether a completed supplement recomputes the appointment (cchc.web.desk.services).
CCHC_SUPPLEMENT_RESTART = CONFIG.supplement_restart
CCHC_DEMO_UNIT_CODES = CONFIG.demo_unit_codes
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# An upload past CCHC_UPLOAD_MAX_MB is dropped as it streams in (cchc.web.uploads).
FILE_UPLOAD_HANDLERS = [
    "cchc.web.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_PERMISSIONS = 0o640

# Personal-data retention (cchc privacy erase; docs/security.md): periods in days, None = keep.
CCHC_PERSONAL_DATA_RETENTION_DAYS = CONFIG.personal_data_retention_days
CCHC_ACCOUNT_RETENTION_DAYS = CONFIG.account_retention_days
CCHC_SURVEY_TOKEN_RETENTION_DAYS = CONFIG.survey_token_retention_days
# Fewest respondents before a unit's survey figures are shown and published (docs/survey_web.md).
CCHC_SURVEY_MIN_RESPONDENTS = CONFIG.survey_min_respondents

# Rate limits (cchc.web.ops.ratelimit, cchc.web.desk.lookup; docs/security.md).
CCHC_LOGIN_MAX_FAILURES = CONFIG.login_max_failures
CCHC_LOGIN_MAX_FAILURES_PER_ADDRESS = CONFIG.login_max_failures_per_address
CCHC_LOGIN_WINDOW_SECONDS = CONFIG.login_window_seconds
CCHC_LOOKUP_PER_MINUTE = CONFIG.lookup_per_minute
# The site's public address printed on the desk's papers ("" = the request's own).
CCHC_PUBLIC_URL = CONFIG.public_url
# GET /api/v1/service/index (cchc.web.desk.api): calls per user a minute, answers kept.
CCHC_SERVICE_INDEX_PER_MINUTE = CONFIG.service_index_per_minute
CCHC_SERVICE_INDEX_CACHE_SECONDS = CONFIG.service_index_cache_seconds

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if CONFIG.production:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # /healthz is probed over plain HTTP by load balancers inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if CONFIG.behind_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"audit": {"format": "{asctime} {name} {message}", "style": "{"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "audit": {"class": "logging.StreamHandler", "formatter": "audit"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    # One line per audit entry with the chain's new head (seq and hash): the journal keeps a
    # copy of the head outside the database (docs/operations.md, "Audit log").
    "loggers": {"cchc.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False}},
}
