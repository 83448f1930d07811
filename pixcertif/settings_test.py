"""Test settings: the real settings, plus a fast password hasher and browser-test needs."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# Django's live_server runs beside Playwright's sync API (an event loop in the main thread).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from pixcertif.settings import *  # noqa: F403

ALLOWED_HOSTS = ["*"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's shared-cache in-memory database: the live server's threads and the
    # concurrency tests need SQLite's real locking ("database table is locked" otherwise).
    # One file per test process (the pid; pytest-django adds the xdist worker's suffix too), in
    # the temporary folder: two test runs in one checkout never share it; Django deletes it after.
    TEST_DB = os.path.join(tempfile.gettempdir(), f"pixcertif-test-{os.getpid()}.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": TEST_DB}  # noqa: F405
    # A throw-away database need not survive a power cut: no fsync at each commit.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
WHITENOISE_AUTOREFRESH = True
if REDIS_URL:  # noqa: F405
    # One key space per test process (pytest-xdist workers share the Redis database).
    CACHES["default"]["KEY_PREFIX"] = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"  # noqa: F405
WHITENOISE_USE_FINDERS = True
