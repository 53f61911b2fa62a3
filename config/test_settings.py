"""Test settings: fast hashing, in-memory mail and cache, a file SQLite database.

DATABASE_URL and REDIS_URL still switch to PostgreSQL and channels-redis, so
the same suite runs against real services in CI.
"""

import os

from .settings import *  # noqa: F403
from .settings import BASE_DIR, DATABASES, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # ChannelsLiveServerTestCase and server subprocesses need a file, not :memory:.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("TEST_SQLITE_NAME", str(BASE_DIR / ".test-db.sqlite3"))
    }
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "hearth-test-cache",
    }
ROOM_RATE_PER_SECOND = 50.0
ROOM_RATE_BURST = 200
# Threads from sync_to_async must not keep connections open past a test
# (PostgreSQL refuses to drop a test database someone is still using).
DATABASES["default"]["CONN_MAX_AGE"] = 0
CHANNEL_LAYER_PREFIX = os.environ.get("CHANNEL_LAYER_PREFIX", "hearth-test")
if REDIS_URL:
    from .settings import CHANNEL_LAYERS

    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = CHANNEL_LAYER_PREFIX
