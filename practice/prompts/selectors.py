"""Reads for prompts: the couple's day, ladder, the next prompt to draw, and daily answers.

`day_view` is the only place a daily answer is read for display: a partner's answer is
handed over only once the question is revealed (both have answered).
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max
from django.utils import timezone

from couples.models import Couple, User

from .models import ComfortMark, DailyAnswer, DailyQuestion, LadderRung, Prompt, PromptUse
from .themes import DEPTH_LABELS, THEME_KEYS, THEME_LABELS, TOP


def couple_today(couple: Couple, now: datetime | None = None) -> date:
    """The date in the couple's own time zone (their ritual's, else UTC)."""
    from practice.rituals import couple_timezone

    return (now or timezone.now()).astimezone(couple_timezone(couple)).date()


# --- The ladder -----------------------------------------------------------------------


def ladder_levels(couple: Couple) -> dict[str, int]:
    """Every theme's current level; a theme never touched is at level 1."""
    levels = dict.fromkeys(THEME_KEYS, 1)
    levels.update(LadderRung.objects.filter(couple=couple).values_list("theme", "level"))
    return levels


@dataclass(frozen=True)
class Rung:
    theme: str
    label: str
    level: int
    level_label: str
    you_comfortable: bool  # you've marked the current level comfortable
    at_top: bool
    suggestions: tuple[Prompt, ...]


def ladder_overview(couple: Couple, user: User, suggestions: int = 2) -> list[Rung]:
    """Per theme: the level, your own mark, and the next prompts at that level.

    Deliberately not the partner's mark: knowing "they're ready, are you?" is pressure.
    """
    levels = ladder_levels(couple)
    mine = dict(ComfortMark.objects.filter(couple=couple, user=user).values_list("theme", "level"))
    return [
        Rung(
            theme=theme,
            label=THEME_LABELS[theme],
            level=level,
            level_label=DEPTH_LABELS[level],
            you_comfortable=mine.get(theme) == level,
            at_top=level >= TOP,
            suggestions=tuple(draw_order(couple, theme, level)[:suggestions]),
        )
        for theme, level in levels.items()
    ]


# --- Drawing without repeats ------------------------------------------------------------


def _shuffle_key(couple_id: int, cycle: int, key: str) -> str:
    # A stable order per couple and per cycle: couples don't all get the same sequence,
    # a cycle doesn't replay the last one's order, and tests stay reproducible.
    return hashlib.sha256(f"{couple_id}:{cycle}:{key}".encode()).hexdigest()


def draw_order(couple: Couple, theme: str, depth: int) -> list[Prompt]:
    """The prompts that may be drawn next at this theme and depth, in drawing order.

    No prompt is put to a couple a second time before every prompt of its pool has been
    put once (and so on): only the prompts used least often are candidates. A prompt
    added to the pool later simply joins the current cycle.
    """
    pool = list(Prompt.objects.filter(theme=theme, depth=depth, active=True))
    if not pool:
        return []
    counts = dict(
        PromptUse.objects.filter(couple=couple, prompt__in=pool)
        .values("prompt")
        .annotate(n=Count("id"))
        .values_list("prompt", "n")
    )
    cycle = min(counts.get(p.pk, 0) for p in pool)
    candidates = [p for p in pool if counts.get(p.pk, 0) == cycle]
    return sorted(candidates, key=lambda p: _shuffle_key(couple.pk, cycle, p.key))


def next_theme(couple: Couple, levels: dict[str, int] | None = None) -> str | None:
    """The theme to draw from next: one never drawn from, else the longest untouched,
    skipping themes with no active prompt at the couple's level."""
    levels = levels or ladder_levels(couple)
    last = dict(
        PromptUse.objects.filter(couple=couple)
        .values("prompt__theme")
        .annotate(at=Max("used_at"))
        .values_list("prompt__theme", "at")
    )
    stocked = set(
        Prompt.objects.filter(active=True).values_list("theme", "depth").distinct().order_by()
    )
    themes = [t for t in THEME_KEYS if (t, levels[t]) in stocked]
    if not themes:
        return None
    never = [t for t in themes if t not in last]
    if never:
        return never[0]
    return min(themes, key=lambda t: last[t])


def next_prompt(couple: Couple) -> Prompt | None:
    """The next prompt for the couple: the next theme, at the couple's level there."""
    levels = ladder_levels(couple)
    theme = next_theme(couple, levels)
    if theme is None:
        return None
    order = draw_order(couple, theme, levels[theme])
    return order[0] if order else None


# --- The daily question ------------------------------------------------------------------


@dataclass(frozen=True)
class DayView:
    """One day's question as one partner may see it."""

    question: DailyQuestion
    mine: DailyAnswer | None
    partner_answered: bool
    # Only ever set once the question is revealed: both have answered.
    partner_text: str | None

    @property
    def revealed(self) -> bool:
        return self.question.is_revealed


def day_view(question: DailyQuestion, user: User, answers=None) -> DayView:
    answers = list(question.answers.all()) if answers is None else answers
    mine = next((a for a in answers if a.user_id == user.pk), None)
    theirs = next((a for a in answers if a.user_id != user.pk), None)
    return DayView(
        question=question,
        mine=mine,
        partner_answered=theirs is not None,
        partner_text=theirs.text if theirs is not None and question.is_revealed else None,
    )


def question_for(couple: Couple, pk: int) -> DailyQuestion | None:
    """One of the couple's questions, or None: someone else's is as good as missing."""
    return DailyQuestion.objects.filter(couple=couple, pk=pk).first()


def today_question(couple: Couple, now: datetime | None = None) -> DailyQuestion | None:
    return DailyQuestion.objects.filter(couple=couple, on_date=couple_today(couple, now)).first()


def answered_days(couple: Couple):
    """Days at least one of you answered, newest first. Days nobody answered don't appear:
    skipping a day costs nothing and leaves no mark."""
    return (
        DailyQuestion.objects.filter(couple=couple, answers__isnull=False)
        .distinct()
        .prefetch_related("answers")
        .order_by("-on_date")
    )


def day_views(questions, user: User) -> list[DayView]:
    return [day_view(q, user, list(q.answers.all())) for q in questions]
