"""Settings, read from the environment.

With nothing set, the app runs embedded: a SQLite file in the project and the
in-memory channel layer. DATABASE_URL and REDIS_URL switch the same code to
PostgreSQL and channels-redis. See the README's table of variables.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("REQUIRE_SECRET_KEY", default=False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    # An embedded run (make run) still needs a key; it is not a secret worth keeping.
    SECRET_KEY = "insecure-development-key-change-me-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",  # first, so that runserver is Daphne (system check daphne.E001)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "csp",
    "couples",
    "practice",
    "practice.prompts",
    "practice.personal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "couples.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "config.urls"
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
                "couples.context_processors.couple",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A SELECT 1 before a persistent connection is reused: one failed request fewer
        # after a database restart, at about 8 % of room throughput (bench/RESULTS.md).
        conn_health_checks=env_bool("DATABASE_HEALTH_CHECKS", default=True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Take the write lock at BEGIN: two partners acting at once then queue
            # instead of failing with "database is locked" on the read-to-write upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer ------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CHANNEL_LAYER_PREFIX = os.environ.get("CHANNEL_LAYER_PREFIX", "hearth")
# Keys (comma-separated) that encrypt channel-layer payloads on the wire and at
# rest in Redis. The first encrypts; all decrypt, so keys can be rotated.
CHANNEL_LAYER_ENCRYPTION_KEYS = env_list("CHANNEL_LAYER_ENCRYPTION_KEYS")
if REDIS_URL:
    _redis_config = {
        "hosts": [
            {
                "address": REDIS_URL,
                # redis-py caps its pool at 100 connections by default; past that,
                # group_send raises and the consumer dies. Raise it explicitly.
                "max_connections": int(os.environ.get("REDIS_MAX_CONNECTIONS", "2000")),
                # redis-py 8 times socket reads out after 5 s by default: exactly the
                # layer's blocking receive (BRPOP, 5 s), so an idle or busy consumer
                # raises TimeoutError and its socket closes (channels_redis#422).
                # Keep a limit (a dead Redis must still fail) well above the 5 s.
                "socket_timeout": float(os.environ.get("REDIS_SOCKET_TIMEOUT", "30")),
            }
        ],
        "prefix": CHANNEL_LAYER_PREFIX,
        # Default capacity (100) drops messages silently under bursts; the room
        # resyncs on a gap anyway, but fewer drops mean fewer resyncs.
        "capacity": int(os.environ.get("CHANNEL_LAYER_CAPACITY", "1500")),
        "expiry": 60,
        # Must not be lower than Daphne's websocket timeout (86400 s).
        "group_expiry": 86400,
    }
    if CHANNEL_LAYER_ENCRYPTION_KEYS:
        _redis_config["symmetric_encryption_keys"] = CHANNEL_LAYER_ENCRYPTION_KEYS
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": _redis_config}
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Cache (rate limits) ------------------------------------------------------
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CHANNEL_LAYER_PREFIX + "-cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -----------------------------------------------------------------
AUTH_USER_MODEL = "couples.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# --- Email --------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Hearth <hello@localhost>")
# Absolute links in emails and calendar feeds (reminders are sent outside a request).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
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
# Without collectstatic (the embedded run), whitenoise serves from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# --- Security -----------------------------------------------------------------
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# HTTPS settings: on in production (DEBUG off) unless explicitly disabled for a
# plain-HTTP local run (make run sets INSECURE_HTTP=1).
_https = not DEBUG and not env_bool("INSECURE_HTTP", default=False)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https and not env_bool("BEHIND_TLS_PROXY_REDIRECTS", default=False)
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a reverse proxy every request comes from the proxy's address, so rate limits
# would count all clients together. With this on, they use the address the proxy
# appended to X-Forwarded-For (couples/ratelimit.py takes the last entry, never the first,
# which the client can write).
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", default=False)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Live room ----------------------------------------------------------------
ROOM_MAX_MESSAGE_BYTES = int(os.environ.get("ROOM_MAX_MESSAGE_BYTES", "16384"))
ROOM_MAX_TEXT_CHARS = 2000
# Per-socket token bucket: sustained actions per second and burst size.
ROOM_RATE_PER_SECOND = float(os.environ.get("ROOM_RATE_PER_SECOND", "5"))
ROOM_RATE_BURST = int(os.environ.get("ROOM_RATE_BURST", "20"))
BREAK_MINUTES = 20
BENCH_RELAY = env_bool("BENCH_RELAY", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
