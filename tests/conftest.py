"""Shared fixtures and the service policy.

Tests marked `services`, `multiprocess` or `browser` need something outside
Python (PostgreSQL, Redis, server processes, Chromium). Without it they skip
with a reason; with REQUIRE_SERVICES=1 (CI) such a skip is a failure.
"""

import os

import pytest

from tests.factories import make_couple, make_user

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") == "1"
SERVICE_MARKERS = ("services", "multiprocess", "browser")


def need(reason: str):
    """Skip for a missing service, or fail when services are required."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (
        REQUIRE_SERVICES
        and report.skipped
        and any(item.get_closest_marker(m) for m in SERVICE_MARKERS)
    ):
        report.outcome = "failed"
        report.longrepr = f"skipped under REQUIRE_SERVICES=1: {report.longrepr}"


@pytest.fixture
def redis_url():
    """A reachable Redis, from REDIS_URL."""
    url = os.environ.get("REDIS_URL")
    if not url:
        need("needs Redis: set REDIS_URL, e.g. redis://127.0.0.1:6379/0")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        need(f"Redis at {url} is not reachable: {exc}")
    return url


@pytest.fixture
def postgres():
    """The suite's database is PostgreSQL (DATABASE_URL=postgres://...)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        need("needs PostgreSQL: set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test")
    return connection


@pytest.fixture
def user(db):
    return make_user("alex@example.com", "Alex")


@pytest.fixture
def couple(db):
    """A paired couple: (couple, alex, sam)."""
    return make_couple()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """At the end, close connections other threads still hold (sync_to_async workers in
    async tests), so PostgreSQL lets the test database be dropped."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


_cache_generation = __import__("itertools").count(1)


@pytest.fixture(autouse=True)
def _fresh_cache_keys():
    """Each test counts rate limits (and anything else cached) on keys of its own.

    Clearing the cache isn't safe: with REDIS_URL set, Django's Redis cache clears by
    flushing the whole Redis database, channel-layer messages included. A new key
    version per test gives the same isolation without touching anyone else's keys.
    """
    from django.core.cache import caches

    cache = caches["default"]
    previous = cache.version
    cache.version = next(_cache_generation) * 1000 + os.getpid() % 1000
    yield
    cache.version = previous
