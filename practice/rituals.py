"""Weekly rituals: when the next one is, reminders, the calendar feed's secret, the streak.

Wall-clock times live in the ritual's time zone and are turned into instants with
zoneinfo for each date, so a ritual at 19:00 stays at 19:00 local time across
daylight-saving changes. A time that doesn't exist on one date (skipped by a
spring-forward) moves forward by the gap; an ambiguous one (fall-back) takes
its first occurrence.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from couples.models import Couple, User
from couples.tokens import hash_token, new_token

# --- Pure time logic ------------------------------------------------------------------------


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_instant(day: date, at: time, tz: zoneinfo.ZoneInfo) -> datetime:
    """The instant (aware, UTC) when the wall clock in `tz` shows `at` on `day`."""
    # fold=0: an ambiguous time is its first occurrence; a skipped one is read with the
    # offset before the jump, which lands the gap's length later on the wall clock.
    return datetime.combine(day, at).replace(tzinfo=tz, fold=0).astimezone(UTC)


def occurrence_on_or_after(weekday: int, at: time, tz, moment: datetime) -> datetime:
    """The first occurrence (UTC) whose start is at or after `moment`."""
    local_day = moment.astimezone(tz).date()
    day = local_day + timedelta(days=(weekday - local_day.weekday()) % 7)
    for _ in range(3):
        start = local_instant(day, at, tz)
        if start >= moment:
            return start
        day += timedelta(days=7)
    raise AssertionError("unreachable")  # pragma: no cover


def occurrences(weekday: int, at: time, tz, start: datetime, count: int) -> list[datetime]:
    first = occurrence_on_or_after(weekday, at, tz, start)
    first_day = first.astimezone(tz).date()
    return [local_instant(first_day + timedelta(weeks=i), at, tz) for i in range(count)]


def week_start(moment: datetime, tz) -> date:
    """Monday of the week containing `moment` in `tz`."""
    day = moment.astimezone(tz).date()
    return day - timedelta(days=day.weekday())


def streak(completed_weeks: set[date], current_week: date) -> int:
    """Consecutive weeks with a completed check-in, up to this week.

    This week not done yet doesn't break the streak (it isn't over); last week
    missed does.
    """
    week = current_week if current_week in completed_weeks else current_week - timedelta(weeks=1)
    count = 0
    while week in completed_weeks:
        count += 1
        week -= timedelta(weeks=1)
    return count


# --- Reads -----------------------------------------------------------------------------------


def couple_timezone(couple: Couple) -> zoneinfo.ZoneInfo:
    """The couple's time zone: their ritual's, else UTC."""
    from .models import Ritual

    name = Ritual.objects.filter(couple=couple).values_list("time_zone", flat=True).first()
    return zone(name or "UTC")


@dataclass(frozen=True)
class NextRitual:
    start: datetime  # UTC
    end: datetime
    in_progress: bool  # within the slot right now

    def local(self, tz) -> datetime:
        return self.start.astimezone(tz)


def next_ritual(ritual, now: datetime | None = None) -> NextRitual:
    """The occurrence under way, or the next one."""
    now = now or timezone.now()
    tz = zone(ritual.time_zone)
    length = timedelta(minutes=ritual.duration_minutes)
    start = occurrence_on_or_after(ritual.weekday, ritual.local_time, tz, now - length)
    return NextRitual(start=start, end=start + length, in_progress=start <= now < start + length)


def ritual_overview(user: User, couple: Couple) -> dict:
    """What the dashboard shows of the ritual: the next time for this partner, the streak."""
    from .models import Ritual

    ritual = Ritual.objects.filter(couple=couple).first()
    if ritual is None:
        return {"ritual": None}
    upcoming = next_ritual(ritual)
    return {
        "ritual": ritual,
        "upcoming": upcoming,
        "upcoming_mine": upcoming.local(user.tzinfo),
        "upcoming_ts": int(upcoming.start.timestamp()),
        "streak": ritual_streak(couple),
    }


def ritual_streak(couple: Couple, now: datetime | None = None) -> int:
    from .models import CheckIn

    tz = couple_timezone(couple)
    now = now or timezone.now()
    ended = CheckIn.objects.filter(couple=couple, status=CheckIn.Status.FINISHED).values_list(
        "ended_at", flat=True
    )
    weeks = {week_start(moment, tz) for moment in ended if moment is not None}
    return streak(weeks, week_start(now, tz))


# --- Writes ----------------------------------------------------------------------------------


def ritual_save(*, couple: Couple, data: dict):
    """Create or update the couple's ritual from validated form data."""
    from .models import Ritual

    with transaction.atomic():
        ritual = Ritual.objects.select_for_update().filter(couple=couple).first() or Ritual(
            couple=couple
        )
        for field in (
            "weekday",
            "local_time",
            "time_zone",
            "duration_minutes",
            "agenda",
            "reminder_minutes",
        ):
            setattr(ritual, field, data[field])
        ritual.updated_at = timezone.now()
        ritual.full_clean(exclude=["couple"])
        ritual.save()
        if "appreciations" in data:
            Couple.objects.filter(pk=couple.pk).update(
                appreciations_per_checkin=data["appreciations"]
            )
    return ritual


def feed_regenerate(*, ritual) -> str:
    """A new secret for the calendar feed; the old URL stops working. Returns the token once."""
    token = new_token()
    ritual.feed_token_hash = hash_token(token)
    ritual.updated_at = timezone.now()
    ritual.save(update_fields=["feed_token_hash", "updated_at"])
    return token


def ritual_for_feed(token: str):
    from .models import Ritual

    if not token or len(token) > 100:
        return None
    return (
        Ritual.objects.select_related("couple")
        .filter(feed_token_hash=hash_token(token), couple__ended_at__isnull=True)
        .first()
    )


def reminders_set(*, ritual, user: User, enabled: bool) -> None:
    from .models import ReminderOptOut

    if enabled:
        ReminderOptOut.objects.filter(ritual=ritual, user=user).delete()
    else:
        ReminderOptOut.objects.get_or_create(ritual=ritual, user=user)


def join_url() -> str:
    return settings.SITE_URL + reverse("ritual-now")


def send_due_reminders(now: datetime | None = None) -> int:
    """Email each partner once per occurrence, `reminder_minutes` before it. Idempotent."""
    from couples.models import Membership

    from .models import ReminderOptOut, ReminderSent, Ritual

    now = now or timezone.now()
    sent = 0
    rituals = Ritual.objects.filter(couple__ended_at__isnull=True).select_related("couple")
    for ritual in rituals:
        upcoming = next_ritual(ritual, now)
        start = upcoming.start
        if upcoming.in_progress or not (
            start - timedelta(minutes=ritual.reminder_minutes) <= now < start
        ):
            continue
        opted_out = set(
            ReminderOptOut.objects.filter(ritual=ritual).values_list("user_id", flat=True)
        )
        members = User.objects.filter(
            pk__in=Membership.objects.filter(couple=ritual.couple, left_at__isnull=True).values(
                "user_id"
            )
        )
        for user in members:
            if user.pk in opted_out:
                continue
            try:
                with transaction.atomic():
                    # The row is the promise: a second run (or a parallel one) finds it and stops.
                    ReminderSent.objects.create(ritual=ritual, user=user, occurrence=start)
                    _send_reminder(ritual, user, start)
            except IntegrityError:
                continue
            sent += 1
    return sent


def _send_reminder(ritual, user: User, start: datetime) -> None:
    local = start.astimezone(user.tzinfo)
    context = {"user": user, "ritual": ritual, "local": local, "url": join_url()}
    with timezone.override(user.tzinfo):  # the date filter renders in the active zone
        message = render_to_string("rituals/reminder_email.txt", context)
    send_mail(
        subject=f"Your weekly check-in: {local:%A} at {local:%H:%M}",
        message=message,
        from_email=None,
        recipient_list=[user.email],
    )
