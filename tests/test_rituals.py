"""Weekly rituals: next occurrence and the calendar feed across DST, reminders, streaks, history."""

import json
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from asgiref.sync import sync_to_async
from dateutil.rrule import rrulestr
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from practice import rituals, services
from practice.calendar_feed import ritual_calendar
from practice.models import CheckIn, ReminderSent, Ritual
from tests.factories import body, make_couple
from tests.ws import connect

LONDON = rituals.zone("Europe/London")
NEW_YORK = rituals.zone("America/New_York")
SYDNEY = rituals.zone("Australia/Sydney")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


# --- Next occurrence ------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "before", "after"),
    [
        # London springs forward on 29 March 2026: 19:00 is 19:00 UTC before, 18:00 UTC after.
        (LONDON, utc(2026, 3, 22, 19), utc(2026, 3, 29, 18)),
        # New York springs forward on 8 March 2026: 19:00 is 00:00 UTC next day, then 23:00.
        (NEW_YORK, utc(2026, 3, 2, 0), utc(2026, 3, 8, 23)),
        # Sydney falls back on 5 April 2026 (southern autumn): 19:00 is 08:00 UTC, then 09:00.
        (SYDNEY, utc(2026, 3, 29, 8), utc(2026, 4, 5, 9)),
    ],
)
def test_weekly_sunday_1900_keeps_local_time_across_dst(tz, before, after):
    first, second = rituals.occurrences(6, time(19, 0), tz, before - timedelta(hours=1), 2)
    assert (first, second) == (before, after)
    for moment in (first, second):
        local = moment.astimezone(tz)
        assert (local.weekday(), local.hour, local.minute) == (6, 19, 0)


def test_london_autumn_change_too():
    first, second = rituals.occurrences(6, time(19, 0), LONDON, utc(2026, 10, 18), 2)
    assert first == utc(2026, 10, 18, 18)  # BST
    assert second == utc(2026, 10, 25, 19)  # GMT


def test_a_time_skipped_by_spring_forward_moves_by_the_gap():
    moment = rituals.local_instant(date(2026, 3, 8), time(2, 30), NEW_YORK)
    assert moment.astimezone(NEW_YORK).strftime("%H:%M") == "03:30"


def test_an_ambiguous_time_takes_its_first_occurrence():
    moment = rituals.local_instant(date(2026, 11, 1), time(1, 30), NEW_YORK)
    assert moment == utc(2026, 11, 1, 5, 30)  # 01:30 EDT, not 01:30 EST


def test_the_occurrence_under_way_counts_as_next():
    ritual = Ritual(
        weekday=6, local_time=time(19, 0), time_zone="Europe/London", duration_minutes=45
    )
    during = rituals.next_ritual(ritual, utc(2026, 6, 7, 18, 20))  # 19:20 BST
    assert during.in_progress
    assert during.start == utc(2026, 6, 7, 18)
    after = rituals.next_ritual(ritual, utc(2026, 6, 7, 18, 50))
    assert not after.in_progress
    assert after.start == utc(2026, 6, 14, 18)


# --- Streak ------------------------------------------------


def test_streak_counts_consecutive_weeks_and_a_missed_week_resets_it():
    monday = date(2026, 6, 1)
    weeks = {monday - timedelta(weeks=n) for n in (0, 1, 2, 4, 5)}
    assert rituals.streak(weeks, monday) == 3
    # This week not done yet: the streak runs to last week.
    assert rituals.streak(weeks - {monday}, monday) == 2
    assert rituals.streak({monday - timedelta(weeks=2)}, monday) == 0
    assert rituals.streak(set(), monday) == 0


@pytest.mark.django_db
def test_streak_uses_the_couples_time_zone_whoever_looks():
    couple, alex, sam = make_couple()
    alex.time_zone, sam.time_zone = "Pacific/Auckland", "America/Los_Angeles"
    alex.save()
    sam.save()
    Ritual.objects.create(
        couple=couple, weekday=0, local_time=time(8, 0), time_zone="Pacific/Auckland"
    )
    # Monday 08:00 in Auckland is Sunday 19:00 UTC: in the couple's time, a new week.
    checkin = services.checkin_start(user=alex, agenda="listening")
    CheckIn.objects.filter(pk=checkin.pk).update(
        status=CheckIn.Status.FINISHED, ended_at=utc(2026, 6, 7, 20)
    )
    checkin2 = CheckIn.objects.create(
        couple=couple,
        token="t2",
        agenda="listening",
        state=checkin.state,
        status="finished",
        partner_a=sam,
        partner_b=alex,
        ended_at=utc(2026, 6, 14, 20),
    )
    assert checkin2.pk
    # Auckland: Monday 8 June and Monday 15 June: two consecutive weeks.
    now = utc(2026, 6, 15, 0)
    assert rituals.ritual_streak(couple, now) == 2
    Ritual.objects.filter(couple=couple).update(time_zone="UTC")
    # In UTC both were Sundays: the weeks of 1 June and 8 June, and this week is 15 June.
    assert rituals.ritual_streak(couple, now) == 2
    assert rituals.ritual_streak(couple, utc(2026, 6, 22, 12)) == 0


# --- Calendar feed ------------------------------------------------


def feed_for(tz_name, weekday=6, at=time(19, 0)):
    ritual = Ritual(
        pk=7,
        weekday=weekday,
        local_time=at,
        time_zone=tz_name,
        duration_minutes=45,
        agenda="weekly",
        created_at=utc(2026, 1, 1),
        updated_at=utc(2026, 1, 1),
    )
    return ritual, Calendar.from_ical(ritual_calendar(ritual, "https://hearth.example/ritual/now/"))


@pytest.mark.parametrize(("tz_name", "weekday"), [("Europe/London", 6), ("America/New_York", 2)])
def test_the_feed_parses_and_its_recurrence_expands_across_dst(tz_name, weekday):
    ritual, calendar = feed_for(tz_name, weekday)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert "https://hearth.example/ritual/now/" in str(event["description"])
    assert str(event["summary"]) == "Our weekly check-in"
    assert event["duration"].dt == timedelta(minutes=45)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == [tz_name]
    start = event["dtstart"].dt
    assert str(start.tzinfo) == tz_name or getattr(start.tzinfo, "key", None) == tz_name
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    expanded = [d.astimezone(UTC) for d in rule[:40]]  # 40 weeks: both DST changes
    expected = rituals.occurrences(weekday, time(19, 0), rituals.zone(tz_name), utc(2026, 1, 1), 40)
    assert expanded == expected
    offsets = {d.astimezone(rituals.zone(tz_name)).utcoffset() for d in expanded}
    assert len(offsets) == 2  # the series really does cross a DST change
    assert all(d.astimezone(rituals.zone(tz_name)).hour == 19 for d in expanded)


@pytest.mark.django_db
def test_the_feed_url_is_secret_and_can_be_replaced():
    couple, alex, sam = make_couple()
    client = Client()
    client.force_login(alex)
    client.post(
        reverse("ritual"),
        {
            "weekday": "6",
            "local_time": "19:00",
            "time_zone": "Europe/London",
            "duration_minutes": "45",
            "agenda": "weekly",
            "appreciations": "2",
            "reminder_minutes": "60",
        },
    )
    page = body(client.get(reverse("ritual")))
    url = re.search(r'value="(https?://[^"]+\.ics)"', page).group(1)
    token = url.rsplit("/", 1)[1][:-4]
    ritual = Ritual.objects.get()
    assert token not in ritual.feed_token_hash
    anonymous = Client()
    response = anonymous.get(f"/ritual/feed/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    Calendar.from_ical(response.content)
    assert anonymous.get("/ritual/feed/not-the-token.ics").status_code == 404
    # The partner makes a new link: the old one stops working.
    other = Client()
    other.force_login(sam)
    other.post(reverse("ritual-feed-regenerate"))
    assert anonymous.get(f"/ritual/feed/{token}.ics").status_code == 404
    # Shown once: a later visit offers a new link instead of showing the old one.
    assert "If you've lost it" in body(client.get(reverse("ritual")))
    couple.refresh_from_db()
    assert couple.appreciations_per_checkin == 2


# --- Settings page ------------------------------------------------


@pytest.mark.django_db
def test_each_partner_sees_the_ritual_in_their_own_time_zone():
    couple, alex, sam = make_couple()
    alex.time_zone, sam.time_zone = "Europe/London", "America/New_York"
    alex.save()
    sam.save()
    Ritual.objects.create(
        couple=couple, weekday=6, local_time=time(19, 0), time_zone="Europe/London"
    )
    a, b = Client(), Client()
    a.force_login(alex)
    b.force_login(sam)
    assert re.search(r"Weekly check-in:</strong> Sunday [^,]+, 19:00", body(a.get("/dashboard/")))
    assert re.search(r"Weekly check-in:</strong> Sunday [^,]+, 14:00", body(b.get("/dashboard/")))
    ritual_page = body(b.get(reverse("ritual")))
    assert "14:00" in ritual_page and "For Alex" in ritual_page


@pytest.mark.django_db
def test_bad_ritual_input_is_refused_clearly():
    couple, alex, _ = make_couple()
    client = Client()
    client.force_login(alex)
    response = client.post(
        reverse("ritual"),
        {
            "weekday": "9",
            "local_time": "25:99",
            "time_zone": "Nowhere/City",
            "duration_minutes": "45",
        },
    )
    assert response.status_code == 200
    text = body(response)
    assert "Enter a valid time." in text
    assert "Select a valid choice" in text
    assert not Ritual.objects.exists()


# --- Reminders ------------------------------------------------


@pytest.mark.django_db
def test_reminders_are_sent_once_per_occurrence_and_respect_opt_outs(monkeypatch):
    couple, alex, sam = make_couple()
    sam.time_zone = "America/New_York"
    sam.save()
    ritual = Ritual.objects.create(
        couple=couple,
        weekday=6,
        local_time=time(19, 0),
        time_zone="Europe/London",
        reminder_minutes=60,
    )
    start = utc(2026, 6, 7, 18)  # Sunday 19:00 BST
    assert rituals.send_due_reminders(start - timedelta(minutes=61)) == 0  # too early
    assert rituals.send_due_reminders(start - timedelta(minutes=30)) == 2
    assert rituals.send_due_reminders(start - timedelta(minutes=10)) == 0  # already sent
    assert len(mail.outbox) == 2
    to_sam = next(m for m in mail.outbox if m.to == ["sam@example.com"])
    assert "14:00" in to_sam.body  # Sam's own time
    assert "/ritual/now/" in to_sam.body
    assert ReminderSent.objects.filter(occurrence=start).count() == 2
    # Next week; Sam turned reminders off.
    rituals.reminders_set(ritual=ritual, user=sam, enabled=False)
    assert rituals.send_due_reminders(start + timedelta(weeks=1) - timedelta(minutes=30)) == 1
    assert mail.outbox[-1].to == ["alex@example.com"]


@pytest.mark.django_db
def test_the_reminder_command_is_idempotent(monkeypatch):
    couple, alex, sam = make_couple()
    Ritual.objects.create(couple=couple, weekday=6, local_time=time(19, 0), time_zone="UTC")
    frozen = utc(2026, 6, 7, 18, 30)
    monkeypatch.setattr(rituals.timezone, "now", lambda: frozen)
    call_command("send_ritual_reminders")
    call_command("send_ritual_reminders")
    assert len(mail.outbox) == 2


# --- Starting this week's check-in ---------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_starting_this_weeks_checkin_shows_up_live_on_the_partners_dashboard():
    couple, alex, sam = await sync_to_async(make_couple)()
    await sync_to_async(Ritual.objects.create)(
        couple=couple, weekday=6, local_time=time(19, 0), agenda="listening"
    )
    dashboard, _ = await connect("/ws/me/", sam)
    client = Client()
    await sync_to_async(client.force_login)(alex)
    response = await sync_to_async(client.post)(reverse("ritual-start"))
    checkin = await sync_to_async(CheckIn.objects.get)()
    assert response["Location"] == checkin.get_absolute_url()
    assert checkin.agenda == "listening"
    message = json.loads(await dashboard.receive_from(timeout=3))
    assert message == {
        "type": "checkin_started",
        "url": checkin.get_absolute_url(),
        "agenda": "Listening practice",
        "by_you": False,
        "by_name": "Alex",
    }
    await dashboard.disconnect()
    # The stable link from the calendar goes straight into the live room.
    response = await sync_to_async(client.get)(reverse("ritual-now"))
    assert response["Location"] == checkin.get_absolute_url()


# --- History ------------------------------------------------


def make_finished(couple, alex, sam, n):
    start = utc(2022, 1, 2, 19)
    state = {"agenda": "weekly"}
    CheckIn.objects.bulk_create(
        CheckIn(
            couple=couple,
            token=f"h{n}-{i}",
            agenda="weekly",
            status=CheckIn.Status.FINISHED,
            state=state,
            partner_a=alex if i % 2 else sam,
            partner_b=sam if i % 2 else alex,
            started_at=start + timedelta(weeks=i),
            ended_at=start + timedelta(weeks=i, minutes=40),
            summary={
                "arrive": {
                    "a": {"mood": 1 + i % 5, "connection": 3},
                    "b": {"mood": 4, "connection": 2},
                },
                "kept": {"a": "yes", "b": "partly"},
                "ratings": {"a": 4, "b": 5},
                "commitments": {"a": "x", "b": "y"},
            },
        )
        for i in range(n)
    )


@pytest.mark.django_db
def test_history_charts_and_table_and_a_fixed_number_of_queries():
    couple, alex, sam = make_couple()
    client = Client()
    client.force_login(alex)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("history"))
        assert response.status_code == 200
        return len(ctx.captured_queries), body(response)

    make_finished(couple, alex, sam, 10)
    few, _ = count()
    make_finished(couple, alex, sam, 190)
    many, page = count()
    assert many == few
    assert CheckIn.objects.count() == 200
    assert page.count('role="img"') == 3  # mood, connection, commitments kept
    assert '<title id="chart-1-title">Mood over the weeks</title>' in page
    assert "The same figures as a table" in page
    assert page.count("<tr>") == 201  # header + 200 check-ins
