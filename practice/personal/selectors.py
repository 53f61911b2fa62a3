"""Reads for personal practice. Every query is filtered by its owner: there is no other way in.

`own(Model, user, pk)` is how a view finds one row: None (so a 404) for anything that
isn't the user's, whoever's it is and whether or not it exists.
"""

from django.db.models import Count, Prefetch, Q

from couples.models import User
from couples.selectors import active_couple, partner_of
from practice.charts import Series, line_chart

from .models import (
    Cadence,
    Goal,
    GoalStep,
    GratitudeNote,
    JournalEntry,
    SelfCheckIn,
    SelfCheckInPlan,
    SharedItem,
    Strategy,
    Tag,
    Trigger,
)
from .prompts import PROMPTS, STEADINESS, next_period_start, period_label, period_start
from .services import user_today

OWNER_FIELD = {GoalStep: "goal__user"}


def own(model, user: User, pk):
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    field = OWNER_FIELD.get(model, "user")
    return model.objects.filter(**{field: user, "pk": pk}).first()


# --- Journal and triggers -----------------------------------------------------


def journal_entries(user: User, *, tag: str | None = None, trigger: Trigger | None = None):
    entries = JournalEntry.objects.filter(user=user).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        Prefetch("triggers", queryset=Trigger.objects.order_by("situation")),
    )
    if tag:
        entries = entries.filter(tags__name=tag)
    if trigger is not None:
        entries = entries.filter(triggers=trigger)
    return entries


def triggers_with_counts(user: User):
    """The user's triggers, each with how many journal entries logged it."""
    return Trigger.objects.filter(user=user).annotate(logged=Count("entries", distinct=True))


def user_tags(user: User):
    return Tag.objects.filter(user=user).annotate(used=Count("entries")).order_by("name")


def mood_chart(user: User, limit: int = 30):
    """The mood of the user's latest entries that have one, oldest first; None if too few."""
    rows = list(
        JournalEntry.objects.filter(user=user, mood__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", "mood")[:limit]
    )[::-1]
    if len(rows) < 2:
        return None
    tz = user.tzinfo
    labels = [created.astimezone(tz).strftime("%-d %b") for created, _ in rows]
    return line_chart(
        "Mood in your journal",
        f"Your mood in your last {len(rows)} journal entries that have one, from 1 (very low) "
        "to 5 (very good).",
        labels,
        [Series("Mood", "a", [float(m) for _, m in rows])],
    )


# --- Sharing ------------------------------------------------------------------


def sharing_status(user: User) -> dict:
    """Whether the user can share now, and with whom."""
    couple = active_couple(user)
    partner = partner_of(user, couple) if couple else None
    return {"can_share": partner is not None, "partner": partner, "couple": couple}


def waiting_items(user: User):
    """What the user shared that hasn't reached a check-in yet (or is in one now)."""
    couple = active_couple(user)
    if couple is None:
        return SharedItem.objects.none()
    return (
        SharedItem.objects.filter(user=user, couple=couple, delivered_at__isnull=True)
        .select_related("claimed_by")
        .order_by("created_at", "id")
    )


def delivered_items(user: User, limit: int = 10):
    return (
        SharedItem.objects.filter(user=user, delivered_at__isnull=False)
        .select_related("delivered_in")
        .order_by("-delivered_at", "-id")[:limit]
    )


# --- Toolkit, gratitude, goals --------------------------------------------------


def strategies(user: User):
    return Strategy.objects.filter(user=user)


def gratitude_notes(user: User):
    shared = SharedItem.objects.filter(user=user).order_by("created_at")
    return GratitudeNote.objects.filter(user=user).prefetch_related(
        Prefetch("shared", queryset=shared, to_attr="shared_items")
    )


def goals(user: User):
    return (
        Goal.objects.filter(user=user)
        .prefetch_related("steps")
        .annotate(
            step_count=Count("steps", distinct=True),
            done_count=Count("steps", filter=Q(steps__done_at__isnull=False), distinct=True),
        )
    )


# --- Self check-in ------------------------------------------------------------


def self_checkin_context(user: User) -> dict:
    plan = SelfCheckInPlan.objects.filter(user=user).first()
    cadence = plan.cadence if plan else Cadence.WEEKLY
    start = period_start(cadence, user_today(user))
    current = SelfCheckIn.objects.filter(user=user, cadence=cadence, period_start=start).first()
    return {
        "plan": plan,
        "cadence": cadence,
        "cadence_label": Cadence(cadence).label.lower(),
        "period_start": start,
        "period_label": period_label(cadence, start),
        "next_start": next_period_start(cadence, start),
        "current": current,
        "due": current is None,
    }


def self_checkin_history(user: User, limit: int = 52) -> dict:
    checkins = list(SelfCheckIn.objects.filter(user=user)[:limit])
    rows = [
        {
            "checkin": c,
            "label": period_label(c.cadence, c.period_start),
            "steadiness_label": STEADINESS.get(c.steadiness, ""),
            "answers": [(p, c.answers.get(p.key, "")) for p in PROMPTS],
        }
        for c in checkins
    ]
    by_prompt = [
        {
            "prompt": p,
            "answers": [
                (r["label"], r["checkin"].answers[p.key])
                for r in rows
                if r["checkin"].answers.get(p.key)
            ],
        }
        for p in PROMPTS
    ]
    rated = [r for r in reversed(rows) if r["checkin"].steadiness]
    chart = None
    if len(rated) >= 2:
        chart = line_chart(
            "How steady you've felt",
            f"Your answer to “how steady do I feel”, 1 (shaky) to 5 (steady), over your last "
            f"{len(rated)} self check-ins.",
            [r["checkin"].period_start.strftime("%-d %b %y") for r in rated],
            [Series("Steadiness", "b", [float(r["checkin"].steadiness) for r in rated])],
        )
    return {"rows": rows, "by_prompt": by_prompt, "chart": chart}


# --- My practice --------------------------------------------------------------


def overview(user: User) -> dict:
    """Everything the My practice page ties together, in a fixed number of queries."""
    entries = JournalEntry.objects.filter(user=user)
    goal_list = list(goals(user).filter(completed_at__isnull=True)[:3])
    return {
        "entry_count": entries.count(),
        "latest_entry": entries.only("id", "created_at", "mood").first(),
        "top_triggers": list(
            triggers_with_counts(user).filter(logged__gt=0).order_by("-logged", "situation")[:3]
        ),
        "trigger_count": Trigger.objects.filter(user=user).count(),
        "open_goals": goal_list,
        "done_goal_count": Goal.objects.filter(user=user, completed_at__isnull=False).count(),
        "note_count": GratitudeNote.objects.filter(user=user).count(),
        "strategies": list(strategies(user)[:3]),
        "waiting": list(waiting_items(user)),
        "self_checkin": self_checkin_context(user),
        **sharing_status(user),
    }
