"""Median render time and query count of the heavier HTTP pages, in process.

One bench couple gets 200 finished check-ins and 100 agreed boundaries; then the
dashboard, the history page and the boundaries page are each rendered many times
with Django's test client (no network: this is the server's own time).
"""

import statistics
import time
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from practice import boundaries
from practice.models import Boundary, CheckIn

from .data import ensure_couples

PAGES_COUPLE = 99_999  # index of the couple that owns the page data
CHECKINS = 200
BOUNDARIES = 100


def ensure_page_data():
    (couple,) = ensure_couples([PAGES_COUPLE])
    have = CheckIn.objects.filter(couple_id=couple.couple_id, status="finished").count()
    start = datetime(2022, 1, 2, 19, tzinfo=UTC)
    CheckIn.objects.bulk_create(
        CheckIn(
            couple_id=couple.couple_id,
            token=f"bench-history-{couple.couple_id}-{i}",
            agenda="weekly",
            status=CheckIn.Status.FINISHED,
            state={"agenda": "weekly"},
            partner_a=couple.a,
            partner_b=couple.b,
            started_at=start + timedelta(weeks=i),
            ended_at=start + timedelta(weeks=i, minutes=40),
            summary={
                "arrive": {
                    "a": {"mood": 1 + i % 5, "connection": 3},
                    "b": {"mood": 4, "connection": 2},
                },
                "kept": {"a": "yes", "b": "partly"},
                "ratings": {"a": 4, "b": 5},
                "commitments": {"a": "Cook on Tuesday.", "b": "Ask before planning."},
            },
        )
        for i in range(have, CHECKINS)
    )
    have = Boundary.objects.filter(couple_id=couple.couple_id).count()
    for i in range(have, BOUNDARIES):
        boundary = boundaries.boundary_propose(
            user=couple.a,
            data={
                "statement": f"When one of us is tired ({i}), we say so and talk later.",
                "consequence": "We write a note instead.",
                "review_weeks": "4",
            },
        )
        boundaries.boundary_act(
            user=couple.b, boundary_id=boundary.pk, action="accept", data={"version": "1"}
        )
    return couple


class QueryCounter:
    """A database execute wrapper that counts queries (DEBUG stays off)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


# The servers hash static names from the manifest `collectstatic` writes; the bench
# writes nothing into the checkout, so it renders with plain static names instead.
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=PLAIN_STATIC)
def time_pages(repeat: int = 30) -> dict:
    couple = ensure_page_data()
    client = Client()
    client.force_login(couple.a)
    results = {}
    for name, url in (
        ("dashboard", reverse("dashboard")),
        ("history_200", reverse("history")),
        ("boundaries_100", reverse("boundaries")),
    ):
        for _ in range(3):  # warm caches and connections
            assert client.get(url).status_code == 200, name
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get(url)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        results[name] = {
            "median_ms": round(statistics.median(times), 1),
            "queries": queries.count,
        }
    return results
