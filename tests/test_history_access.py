"""After a split: the partner who stayed keeps the shared history; the one who left doesn't."""

import pytest
from django.test import Client
from django.urls import reverse

from couples import services as couple_services
from practice import services
from practice.models import CheckIn
from tests.factories import body, make_couple

pytestmark = pytest.mark.django_db


def test_the_partner_who_stayed_keeps_the_history_and_the_leaver_loses_it():
    couple, alex, sam = make_couple()
    checkin = services.checkin_start(user=alex, agenda="listening")
    CheckIn.objects.filter(pk=checkin.pk).update(status=CheckIn.Status.FINISHED)
    couple_services.couple_leave(user=sam)
    stayer, leaver = Client(), Client()
    stayer.force_login(alex)
    leaver.force_login(sam)
    summary = reverse("checkin-summary", args=[checkin.token])
    page = body(stayer.get(reverse("history")))
    assert "From an earlier couple" in page
    assert summary in page
    assert stayer.get(summary).status_code == 200
    assert summary not in body(leaver.get(reverse("history")))
    assert leaver.get(summary).status_code == 404
    assert leaver.get(reverse("room", args=[checkin.token])).status_code == 404
    assert stayer.get(reverse("room", args=[checkin.token])).status_code == 404  # no live room
