"""Settings, read from the environment (django-environ).

Every value that differs between a laptop and production comes from an environment
variable; nothing secret lives in code. `make run` sets DEBUG=true; production leaves it off
and must provide SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production-0123456789")
else:
    SECRET_KEY = env.str("SECRET_KEY")  # required: fails loudly when missing

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site, used in e-mails and printed documents.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "pixcertif.accounts",
    "pixcertif.core",
    "sessions_app",
    "invigilation",
    "finalisation",
    "pixcertif.demo",  # manage.py seed_demo
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pixcertif.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pixcertif.accounts.language.LanguageMiddleware",  # Django's LocaleMiddleware, no language in the URLs
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pixcertif.core.htmx.HtmxMiddleware",  # django-htmx's, its headers read from request.META
    "pixcertif.accounts.language.AccountLanguageMiddleware",
    "pixcertif.accounts.middleware.PasswordChoiceMiddleware",
    "pixcertif.accounts.middleware.TermsOfUseMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pixcertif.urls"

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
                "django.template.context_processors.i18n",  # LANGUAGE_CODE for the admin's <html lang>
                "pixcertif.accounts.context_processors.current_center",
            ],
        },
    },
]

WSGI_APPLICATION = "pixcertif.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if not DEBUG else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's PostgreSQL backend whose health check is skipped on a connection that served this
    # worker's previous request less than a second ago (pixcertif/core/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "pixcertif.core.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as a real embedded database for `make run` (two browsers, an invigilator's polling,
    # candidates answering): WAL lets readers and one writer work at once; every transaction.atomic()
    # takes the write lock when it begins (BEGIN IMMEDIATE), so two writers queue instead of one
    # failing on a read-to-write upgrade; a waiting writer waits up to 20 s (busy timeout).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"

# Login sessions and caches live in the database (or Redis when REDIS_URL is set), never in
# process memory, so that several app servers behind a load balancer behave as one. With Redis,
# login sessions are "cached_db": written to both, read from Redis (a request reads no session row;
# the database copy survives a Redis restart).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    SESSION_ENGINE = "pixcertif.accounts.login_sessions_cached"  # Django's cached_db (LoginSession rows)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="pixcertif"),
        }
    }
else:
    SESSION_ENGINE = "pixcertif.accounts.login_sessions"  # Django's db (LoginSession rows)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pixcertif_cache",
            # The class certificates keep each page here (finalisation.results.classes): room for
            # thousands of pages, not Django's default 300 entries.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:landing"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# django-axes: failed logins are counted in the database per (e-mail, address) pair.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# The login field holds an e-mail address or a username: both count for the account they name.
AXES_USERNAME_CALLABLE = "pixcertif.accounts.usernames.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
# The client's address, read the same way by axes and by every other throttle: behind
# PROXY_COUNT reverse proxies, the PROXY_COUNT-th X-Forwarded-For entry from the right.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "pixcertif.accounts.throttle.axes_client_ip"
# Limits of the other throttles (pixcertif.accounts.throttle.Guard), per 15 minutes; defaults in the code:
# e.g. {"invigilator-entry": {"per_account": 10, "per_address": 300}, "login": {"per_address": 200}}.
THROTTLE_LIMITS: dict[str, dict[str, int]] = {}

# The clock rules of the certification day, in one place (read by sessions_app/clock.py).
# A centre's operator may read them here; every one is enforced on the server.
CERTIFICATION_CLOCK = {
    # A presence authorisation (the ticked box, or "Autoriser la reprise du test") is valid this long.
    "AUTHORISATION_VALIDITY": timedelta(minutes=15),
    # No first start of a test later than this after the first start in the session.
    "FIRST_START_LIMIT": timedelta(hours=24),
    # No resume later than this after the candidate's own start ("Délai expiré").
    "RESUME_LIMIT": timedelta(hours=24),
    # Tests start only on the session's date (local time), from this long before its start time.
    "EARLIEST_START_BEFORE": timedelta(hours=1),
    # "Inactif depuis N min" on the invigilator's row after this long without an answer.
    "INACTIVE_AFTER": timedelta(minutes=10),
    # The test page pings the server this often while it is open...
    "HEARTBEAT_EVERY": timedelta(seconds=40),
    # ...the server writes the time of the last ping at most this often...
    "HEARTBEAT_WRITE_EVERY": timedelta(seconds=30),
    # ...and a page silent for longer than this was left: going on needs "Autoriser la reprise du test".
    "LEFT_TEST_AFTER": timedelta(minutes=2),
    # The candidate's waiting screen (open live alert) asks for news this often.
    "ALERT_POLL_EVERY": timedelta(seconds=3),
}

# French is the default and the reference wording; English is a full translation
# (locale/en/LC_MESSAGES/django.po, compiled by `make run`/`make test`). The language comes from the
# account (User.language, applied at login), else the `django_language` cookie set by the footer's
# switcher, else Accept-Language, else French. URLs carry no language prefix.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
# English dates are day-first (dd/mm/yyyy), as in French: see pixcertif/formats/en/formats.py.
FORMAT_MODULE_PATH = ["pixcertif.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploaded files (finalisation scans) are private: stored outside the static files and only
# served through views that check who asks. MEDIA_URL is deliberately not routed.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# The help page's contact address (the guides' "Des questions ? certif@pix.fr").
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="certif@pix.fr")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Pix Certif <ne-pas-repondre@pixcertif.example>")

# Security: safe defaults, HTTPS in production behind a reverse proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
