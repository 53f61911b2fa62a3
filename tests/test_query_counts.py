"""The dashboard runs a fixed number of queries, however much a couple has behind them.

(The history page with 200 check-ins and the boundaries page with 100 boundaries
have theirs in test_rituals.py and test_boundaries_pages.py; the load bench prints
all three pages' median render times.)
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice import boundaries, services
from practice.models import CheckIn, Ritual
from tests.factories import body, make_couple

pytestmark = pytest.mark.django_db

START = datetime(2022, 1, 2, 19, tzinfo=UTC)


def past_checkins(couple, alex, sam, first, last, status=CheckIn.Status.FINISHED):
    CheckIn.objects.bulk_create(
        CheckIn(
            couple=couple,
            token=f"past-{status}-{i}",
            agenda="weekly",
            status=status,
            state={"agenda": "weekly"},
            partner_a=alex,
            partner_b=sam,
            started_at=START + timedelta(weeks=i),
            ended_at=START + timedelta(weeks=i, minutes=40)
            if status == CheckIn.Status.FINISHED
            else None,
            summary={"ratings": {"a": 4, "b": 5}, "commitments": {"a": "x", "b": "y"}},
        )
        for i in range(first, last)
    )


def propose(user, statement):
    return boundaries.boundary_propose(
        user=user,
        data={"statement": statement, "consequence": "We pause.", "review_weeks": "4"},
    )


def agree(a, b, statement):
    boundary = propose(a, statement)
    boundaries.boundary_act(user=b, boundary_id=boundary.pk, action="accept", data={"version": "1"})


def dashboard(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(ctx.captured_queries), body(response)


def test_the_dashboard_runs_a_fixed_number_of_queries():
    couple, alex, sam = make_couple()
    Ritual.objects.create(couple=couple)
    client = Client()
    client.force_login(alex)

    # A little of everything the dashboard shows: past, paused, live, boundaries both ways.
    past_checkins(couple, alex, sam, 0, 1)
    past_checkins(couple, alex, sam, 1, 2, status=CheckIn.Status.PAUSED)
    agree(alex, sam, "When one of us is tired, we say so.")
    propose(sam, "When I'm on a call, I need quiet.")
    services.checkin_start(user=alex, agenda="listening")
    few, page = dashboard(client)
    assert "Join the check-in" in page
    assert "1 waiting for you" in page

    # Two hundred check-ins, more paused ones, a hundred boundaries and more proposals later.
    past_checkins(couple, alex, sam, 2, 200)
    past_checkins(couple, alex, sam, 200, 203, status=CheckIn.Status.PAUSED)
    for i in range(100):
        agree(sam if i % 2 else alex, alex if i % 2 else sam, f"Boundary number {i}")
    for i in range(5):
        propose(sam, f"Proposal number {i}")
    many, page = dashboard(client)
    assert "6 waiting for you" in page
    assert page.count("Resume</button>") >= 2
    assert many == few, f"{few} queries with a little, {many} with a lot"
