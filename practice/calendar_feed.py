"""The ritual's calendar subscription feed, built with the icalendar library."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vRecur

from .rituals import occurrence_on_or_after, zone

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def ritual_calendar(ritual, join_url: str, now: datetime | None = None) -> bytes:
    """A VCALENDAR with one weekly recurring event in the ritual's own time zone.

    DTSTART carries the TZID and the calendar carries the matching VTIMEZONE, so
    calendar apps keep the wall-clock time across daylight-saving changes.
    """
    now = now or timezone.now()
    tz = zone(ritual.time_zone)
    first = occurrence_on_or_after(ritual.weekday, ritual.local_time, tz, ritual.created_at)
    calendar = Calendar()
    calendar.add("prodid", "-//Hearth//Weekly ritual//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Our weekly check-in")
    calendar.add("x-wr-timezone", ritual.time_zone)
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})

    event = Event()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    event.add("uid", f"ritual-{ritual.pk}@{host}")
    event.add("dtstamp", now)
    event.add("last-modified", ritual.updated_at)
    event.add("dtstart", first.astimezone(tz))
    event.add("duration", timedelta(minutes=ritual.duration_minutes))
    event.add("rrule", vRecur(freq="WEEKLY", byday=DAYS[ritual.weekday]))
    event.add("summary", "Our weekly check-in")
    event.add(
        "description",
        f"{ritual.get_agenda_display()}: a short, guided talk for the two of you.\n"
        f"Open the room: {join_url}",
    )
    event.add("url", join_url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Weekly check-in soon")
    alarm.add("trigger", timedelta(minutes=-15))
    event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
