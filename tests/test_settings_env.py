"""Settings come from the environment; production settings pass `check --deploy`."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "layer_config": settings.CHANNEL_LAYERS["default"].get("CONFIG", {}),
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "csrf": settings.CSRF_TRUSTED_ORIGINS,
    "installed": settings.INSTALLED_APPS[:1],
}, default=str))
"""

CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
}


def probe(**env) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**CLEAN_ENV, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_embedded_default_needs_nothing():
    found = probe()
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["db_name"].endswith("db.sqlite3")
    assert found["layer"] == "channels.layers.InMemoryChannelLayer"
    assert found["installed"] == ["daphne"]  # runserver is Daphne


def test_real_services_from_the_environment():
    found = probe(
        DATABASE_URL="postgres://u:p@db.example:5432/hearth",
        REDIS_URL="redis://cache.example:6379/2",
        ALLOWED_HOSTS="hearth.example,www.hearth.example",
        CSRF_TRUSTED_ORIGINS="https://hearth.example",
        CHANNEL_LAYER_ENCRYPTION_KEYS="k1-secret,k0-old",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["db_name"] == "hearth"
    assert found["layer"] == "channels_redis.core.RedisChannelLayer"
    config = found["layer_config"]
    assert config["hosts"][0]["address"] == "redis://cache.example:6379/2"
    assert config["hosts"][0]["max_connections"] >= 1000  # redis-py's default of 100 is too low
    assert config["capacity"] >= 1000
    assert config["group_expiry"] >= 86400
    assert config["symmetric_encryption_keys"] == ["k1-secret", "k0-old"]
    assert found["hosts"] == ["hearth.example", "www.hearth.example"]
    assert found["csrf"] == ["https://hearth.example"]


def test_check_deploy_is_clean_in_production():
    env = {
        **CLEAN_ENV,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-production-secret-that-is-long-and-random-" + "q7Z!x9" * 8,
        "ALLOWED_HOSTS": "hearth.example",
        "CSRF_TRUSTED_ORIGINS": "https://hearth.example",
        "REQUIRE_SECRET_KEY": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**CLEAN_ENV, "DJANGO_SETTINGS_MODULE": "config.settings", "REQUIRE_SECRET_KEY": "1"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
