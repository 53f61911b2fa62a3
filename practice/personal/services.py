"""Writes for personal practice. Each function acts for one user on that user's rows only.

Ownership is checked here as well as in the views' lookups: a row of anyone else's is
"not found", never "forbidden". Sharing (share_text) is the one door out, and it copies
only the words the owner wrote for it.
"""

import enum
import re

from django.db import transaction
from django.utils import timezone

from couples.models import User
from couples.selectors import active_couple, partner_of

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
from .prompts import PROMPT_KEYS, period_start

MAX_TAGS = 10
MAX_QUEUED = 10  # per kind: a gentle cap on what waits for one check-in
MAX_GOAL_STEPS = 20


class PersonalError(Exception):
    """A refusal with a stable code and a sentence fit to show the user."""

    class Code(enum.StrEnum):
        NOT_FOUND = "not_found"
        NOT_PAIRED = "not_paired"
        INVALID = "invalid"
        TOO_MANY = "too_many"
        ALREADY_USED = "already_used"

    def __init__(self, code: "PersonalError.Code", message: str = "That isn't yours."):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


def _own(user: User, obj) -> None:
    if obj is None or obj.user_id != user.pk:
        raise PersonalError(PersonalError.Code.NOT_FOUND)


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


# --- Triggers -----------------------------------------------------------------


def trigger_save(
    *, user: User, situation: str, reaction: str = "", helps: str = "", trigger=None
) -> Trigger:
    if trigger is None:
        trigger = Trigger(user=user)
    _own(user, trigger)
    trigger.situation = situation.strip()
    trigger.reaction = reaction.strip()
    trigger.helps = helps.strip()
    trigger.updated_at = timezone.now()
    return _save(trigger)


def trigger_delete(*, user: User, trigger: Trigger) -> None:
    """The trigger goes; journal entries that mentioned it stay, without the link."""
    _own(user, trigger)
    trigger.delete()


# --- Journal ------------------------------------------------------------------

_TAG_SPACE = re.compile(r"\s+")


def normalise_tags(raw) -> list[str]:
    """'#Work, sleep  ,work' -> ['work', 'sleep']: lower-case, no '#', no repeats, in order."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    names: list[str] = []
    for part in parts:
        name = _TAG_SPACE.sub(" ", str(part)).strip().lstrip("#").strip().lower()
        if name and name not in names:
            names.append(name)
    return names


def _tags(user: User, names: list[str]) -> list[Tag]:
    if len(names) > MAX_TAGS:
        raise PersonalError(PersonalError.Code.TOO_MANY, f"Up to {MAX_TAGS} tags per entry.")
    too_long = [n for n in names if len(n) > Tag.MAX_NAME]
    if too_long:
        raise PersonalError(
            PersonalError.Code.INVALID, f"Keep each tag to {Tag.MAX_NAME} characters."
        )
    return [Tag.objects.get_or_create(user=user, name=name)[0] for name in names]


def _own_triggers(user: User, triggers) -> list[Trigger]:
    triggers = list(triggers)
    if any(t.user_id != user.pk for t in triggers):
        raise PersonalError(PersonalError.Code.NOT_FOUND, "Choose from your own triggers.")
    return triggers


def entry_save(
    *,
    user: User,
    body: str,
    mood: int | None = None,
    tags=(),
    triggers=(),
    entry: JournalEntry | None = None,
) -> JournalEntry:
    with transaction.atomic():
        if entry is None:
            entry = JournalEntry(user=user)
        _own(user, entry)
        triggers = _own_triggers(user, triggers)
        tag_rows = _tags(user, normalise_tags(tags))
        entry.body = body.strip()
        entry.mood = mood
        entry.updated_at = timezone.now()
        _save(entry)
        entry.tags.set(tag_rows)
        entry.triggers.set(triggers)
        Tag.objects.filter(user=user, entries__isnull=True).delete()
    return entry


def entry_delete(*, user: User, entry: JournalEntry) -> None:
    """Deleting an entry never withdraws what was already shared from it: that is a copy."""
    _own(user, entry)
    with transaction.atomic():
        entry.delete()
        Tag.objects.filter(user=user, entries__isnull=True).delete()


# --- Coping toolkit -----------------------------------------------------------


def strategy_save(*, user: User, title: str, how: str = "", strategy=None) -> Strategy:
    if strategy is None:
        strategy = Strategy(user=user)
    _own(user, strategy)
    strategy.title = title.strip()
    strategy.how = how.strip()
    return _save(strategy)


def strategy_delete(*, user: User, strategy: Strategy) -> None:
    _own(user, strategy)
    strategy.delete()


# --- Gratitude and affirmations -----------------------------------------------


def note_create(*, user: User, kind: str, text: str) -> GratitudeNote:
    return _save(GratitudeNote(user=user, kind=kind, text=text.strip()))


def note_delete(*, user: User, note: GratitudeNote) -> None:
    _own(user, note)
    note.delete()


# --- Sharing: the one way anything leaves the personal space ----------------------


def share_text(
    *,
    user: User,
    kind: str,
    text: str,
    entry: JournalEntry | None = None,
    note: GratitudeNote | None = None,
) -> SharedItem:
    """Queue words for the couple's next check-in: an appreciation or a topic.

    Only `text` is shared, as the owner wrote it here. Whatever it came from (a journal
    entry with its mood, tags and triggers; a note) stays private.
    """
    if kind not in SharedItem.Kind.values:
        raise PersonalError(PersonalError.Code.INVALID, "Choose an appreciation or a topic.")
    if entry is not None:
        _own(user, entry)
    if note is not None:
        _own(user, note)
    with transaction.atomic():
        couple = active_couple(user)
        if couple is None or partner_of(user, couple) is None:
            raise PersonalError(
                PersonalError.Code.NOT_PAIRED,
                "Sharing opens once you and your partner are paired.",
            )
        queued = SharedItem.objects.filter(
            user=user, couple=couple, kind=kind, delivered_at__isnull=True
        ).count()
        if queued >= MAX_QUEUED:
            raise PersonalError(
                PersonalError.Code.TOO_MANY,
                f"{MAX_QUEUED} are already waiting for your next check-in. Let those arrive first.",
            )
        item = SharedItem(
            user=user, couple=couple, kind=kind, text=text.strip(), entry=entry, note=note
        )
        return _save(item)


def shared_withdraw(*, user: User, item: SharedItem) -> None:
    """Take back something not yet picked up by a check-in."""
    _own(user, item)
    with transaction.atomic():
        locked = SharedItem.objects.select_for_update().filter(pk=item.pk).first()
        if locked is None:
            raise PersonalError(PersonalError.Code.NOT_FOUND)
        if not locked.is_queued:
            raise PersonalError(
                PersonalError.Code.ALREADY_USED,
                "This is already part of a check-in, so it can't be taken back.",
            )
        locked.delete()


# --- Goals --------------------------------------------------------------------

WINS = (
    "A small win: “{step}”. That counts.",
    "“{step}”: done. Notice how that feels.",
    "You did it: “{step}”. Small steps are how change happens.",
    "“{step}”: done. Be as kind to yourself as you'd be to a friend doing this.",
)
GOAL_DONE = "Every step of “{goal}” is done. Take a moment to appreciate yourself for it."


def goal_create(*, user: User, title: str, why: str = "", steps=()) -> Goal:
    steps = [s.strip() for s in steps if s and s.strip()]
    if len(steps) > MAX_GOAL_STEPS:
        raise PersonalError(PersonalError.Code.TOO_MANY, f"Up to {MAX_GOAL_STEPS} steps.")
    with transaction.atomic():
        goal = _save(Goal(user=user, title=title.strip(), why=why.strip()))
        for position, text in enumerate(steps):
            _save(GoalStep(goal=goal, text=text, position=position))
    return goal


def goal_update(*, user: User, goal: Goal, title: str, why: str = "") -> Goal:
    _own(user, goal)
    goal.title = title.strip()
    goal.why = why.strip()
    return _save(goal)


def goal_delete(*, user: User, goal: Goal) -> None:
    _own(user, goal)
    goal.delete()


def goal_step_add(*, user: User, goal: Goal, text: str) -> GoalStep:
    _own(user, goal)
    with transaction.atomic():
        count = goal.steps.count()
        if count >= MAX_GOAL_STEPS:
            raise PersonalError(PersonalError.Code.TOO_MANY, f"Up to {MAX_GOAL_STEPS} steps.")
        step = _save(GoalStep(goal=goal, text=text.strip(), position=count))
        if goal.completed_at is not None:  # a new step reopens the goal
            goal.completed_at = None
            goal.save(update_fields=["completed_at"])
    return step


def goal_step_mark(*, user: User, step: GoalStep, done: bool) -> str | None:
    """Mark a step done or not. Returns a warm word for a win, or None."""
    goal = step.goal
    _own(user, goal)
    with transaction.atomic():
        now = timezone.now()
        step.done_at = now if done else None
        step.save(update_fields=["done_at"])
        steps = list(goal.steps.all())
        all_done = bool(steps) and all(s.done_at for s in steps)
        goal.completed_at = (goal.completed_at or now) if all_done else None
        goal.save(update_fields=["completed_at"])
    if not done:
        return None
    if all_done:
        return GOAL_DONE.format(goal=goal.title)
    wins = sum(1 for s in steps if s.done_at)
    return WINS[(wins - 1) % len(WINS)].format(step=step.text)


def goal_mark(*, user: User, goal: Goal, done: bool) -> str | None:
    """Mark a goal done or open again by hand (e.g. one without steps)."""
    _own(user, goal)
    goal.completed_at = timezone.now() if done else None
    goal.save(update_fields=["completed_at"])
    return GOAL_DONE.format(goal=goal.title) if done else None


# --- Self check-in ------------------------------------------------------------


def plan_set(*, user: User, cadence: str) -> SelfCheckInPlan:
    plan = SelfCheckInPlan.objects.filter(user=user).first() or SelfCheckInPlan(user=user)
    plan.cadence = cadence
    return _save(plan)


def user_today(user: User):
    return timezone.localdate(timezone=user.tzinfo)


def self_checkin_save(
    *, user: User, answers: dict[str, str], steadiness: int | None
) -> SelfCheckIn:
    """Save this period's reflection; saving again in the same period updates it."""
    cadence = getattr(SelfCheckInPlan.objects.filter(user=user).first(), "cadence", Cadence.WEEKLY)
    clean = {k: (answers.get(k) or "").strip() for k in PROMPT_KEYS}
    clean = {k: v for k, v in clean.items() if v}
    if not clean and steadiness is None:
        raise PersonalError(
            PersonalError.Code.INVALID, "Answer at least one prompt, or choose how steady you feel."
        )
    start = period_start(cadence, user_today(user))
    with transaction.atomic():
        checkin = (
            SelfCheckIn.objects.select_for_update()
            .filter(user=user, cadence=cadence, period_start=start)
            .first()
        ) or SelfCheckIn(user=user, cadence=cadence, period_start=start)
        checkin.answers = clean
        checkin.steadiness = steadiness
        checkin.updated_at = timezone.now()
        return _save(checkin)
