"""Writes for prompts: the daily question and its answers, the ladder, prompt use.

Each function owns its transaction and its permission check, and locks the couple's row
first, so two partners acting at the same instant are applied one after the other.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from couples.models import Couple, Membership, User
from couples.selectors import partner_of

from . import selectors
from .models import (
    MAX_ANSWER_CHARS,
    ComfortMark,
    DailyAnswer,
    DailyQuestion,
    LadderRung,
    Prompt,
    PromptUse,
)
from .themes import DEPTH_LABELS, THEME_KEYS, THEME_LABELS, TOP


class PromptError(Exception):
    """A refusal with a sentence for the person who tried."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class NotYours(PromptError):
    """Not this user's couple's, or no such thing: the views answer 404 either way."""

    def __init__(self):
        super().__init__("Not found.")


def _paired_couple(user: User) -> tuple[Couple, User]:
    """The user's active couple, locked, and the partner. Call inside a transaction."""
    couple = (
        Couple.objects.select_for_update()
        .filter(ended_at__isnull=True, memberships__user=user, memberships__left_at__isnull=True)
        .first()
    )
    if couple is None:
        raise PromptError("Pair with your partner first.")
    partner = partner_of(user, couple)
    if partner is None:
        raise PromptError("Your partner hasn't joined yet.")
    return couple, partner


def _record_use(couple: Couple, prompt: Prompt, source: str, checkin=None) -> PromptUse:
    use = PromptUse(couple=couple, prompt=prompt, source=source, checkin=checkin)
    use.full_clean()
    use.save()
    return use


# --- The daily question ---------------------------------------------------------------


def daily_question_today(*, user: User, now: datetime | None = None) -> DailyQuestion:
    """Today's question for the user's couple (their calendar), drawn on first asking."""
    with transaction.atomic():
        couple, _ = _paired_couple(user)
        today = selectors.couple_today(couple, now)
        existing = DailyQuestion.objects.filter(couple=couple, on_date=today).first()
        if existing is not None:
            return existing
        prompt = selectors.next_prompt(couple)
        if prompt is None:
            raise PromptError("There are no questions to draw from right now.")
        question = DailyQuestion(
            couple=couple,
            on_date=today,
            prompt=prompt,
            text=prompt.text,
            theme=prompt.theme,
            depth=prompt.depth,
        )
        question.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                question.save()
        except IntegrityError:  # drawn at the same instant elsewhere: that one stands
            return DailyQuestion.objects.get(couple=couple, on_date=today)
        _record_use(couple, prompt, PromptUse.Source.DAILY)
    return question


def clean_answer(text) -> str:
    text = (text or "").strip() if isinstance(text, str) else ""
    if not text:
        raise PromptError("Write your answer first.")
    if len(text) > MAX_ANSWER_CHARS:
        raise PromptError(
            f"That's {len(text)} characters; the limit is {MAX_ANSWER_CHARS}. "
            "Your words are still here to trim."
        )
    return text


def daily_answer_save(
    *, user: User, question_id: int, text: str, now: datetime | None = None
) -> DailyQuestion:
    """Save (or change) the user's answer. The answer completing the pair reveals both at
    once; after that the day is kept as it was."""
    text = clean_answer(text)
    now = now or timezone.now()
    with transaction.atomic():
        question = DailyQuestion.objects.select_for_update().filter(pk=question_id).first()
        if question is None:
            raise NotYours
        members = set(
            Membership.objects.filter(
                couple_id=question.couple_id, left_at__isnull=True, couple__ended_at__isnull=True
            ).values_list("user_id", flat=True)
        )
        if user.pk not in members:
            raise NotYours
        if question.is_revealed:
            raise PromptError("You've both answered this one, so it stays as it was.")
        answer = DailyAnswer.objects.filter(question=question, user=user).first()
        if answer is None:
            answer = DailyAnswer(question=question, user=user, created_at=now)
        answer.text = text
        answer.updated_at = now
        try:
            answer.full_clean(validate_constraints=False)
        except ValidationError as exc:
            raise PromptError(" ".join(exc.messages)) from exc
        answer.save()
        answered = set(question.answers.values_list("user_id", flat=True))
        if len(members) == 2 and members <= answered:
            question.revealed_at = now
            question.save(update_fields=["revealed_at"])
    return question


# --- The ladder -----------------------------------------------------------------------


@dataclass(frozen=True)
class LadderChange:
    theme: str
    level: int
    stepped_up: bool = False
    stepped_down: bool = False

    @property
    def sentence(self) -> str:
        where = f"{THEME_LABELS[self.theme]} is at level {self.level}: "
        where += DEPTH_LABELS[self.level].lower()
        if self.stepped_up:
            return f"You're both comfortable, so you've stepped up. {where}."
        if self.stepped_down:
            return f"Stepped down. {where}."
        return where + "."


def _theme(theme: str) -> str:
    if theme not in THEME_KEYS:
        raise NotYours
    return theme


def _rung(couple: Couple, theme: str) -> LadderRung:
    rung, _ = LadderRung.objects.get_or_create(couple=couple, theme=theme)
    return rung


def ladder_mark(*, user: User, theme: str, comfortable: bool = True) -> LadderChange:
    """Say you're comfortable at the theme's current level (or take it back). The couple
    steps up only when both partners have said so for that level."""
    theme = _theme(theme)
    with transaction.atomic():
        couple, partner = _paired_couple(user)
        rung = _rung(couple, theme)
        mine = ComfortMark.objects.filter(couple=couple, theme=theme, user=user)
        if not comfortable:
            mine.delete()
            return LadderChange(theme, rung.level)
        if rung.level >= TOP:
            raise PromptError("This is already the deepest level.")
        mark = mine.first() or ComfortMark(couple=couple, theme=theme, user=user)
        mark.level = rung.level
        mark.marked_at = timezone.now()
        mark.save()
        both = {user.pk, partner.pk}
        marked = set(
            ComfortMark.objects.filter(couple=couple, theme=theme, level=rung.level).values_list(
                "user_id", flat=True
            )
        )
        if not both <= marked:
            return LadderChange(theme, rung.level)
        rung.level += 1
        rung.updated_at = timezone.now()
        rung.full_clean(validate_constraints=False)
        rung.save()
        # Consent is per level: the next step up needs both to say so again.
        ComfortMark.objects.filter(couple=couple, theme=theme).delete()
    return LadderChange(theme, rung.level, stepped_up=True)


def ladder_step_down(*, user: User, theme: str) -> LadderChange:
    """Either partner, any time, no reason asked: one level down, and any marks cleared."""
    theme = _theme(theme)
    with transaction.atomic():
        couple, _ = _paired_couple(user)
        rung = _rung(couple, theme)
        ComfortMark.objects.filter(couple=couple, theme=theme).delete()
        if rung.level <= 1:
            return LadderChange(theme, rung.level)
        rung.level -= 1
        rung.updated_at = timezone.now()
        rung.save()
    return LadderChange(theme, rung.level, stepped_down=True)


def prompt_talked_about(*, user: User, key: str) -> Prompt:
    """A suggestion from the ladder you talked about yourselves: it joins the prompts
    already put to you, so it won't come up again until its pool has gone round."""
    with transaction.atomic():
        couple, _ = _paired_couple(user)
        prompt = (
            Prompt.objects.filter(key=key, active=True).first() if isinstance(key, str) else None
        )
        if prompt is None or prompt.depth > selectors.ladder_levels(couple)[prompt.theme]:
            raise NotYours
        _record_use(couple, prompt, PromptUse.Source.LADDER)
    return prompt


# --- The live room's open question ----------------------------------------------------


def room_question(couple: Couple) -> dict | None:
    """The question a new check-in would ask (drawn, not yet recorded: see room_question_used)."""
    prompt = selectors.next_prompt(couple)
    if prompt is None:
        return None
    return {
        "id": prompt.key,
        "text": prompt.text,
        "theme": prompt.theme_label,
        "depth": prompt.depth,
        "depth_label": DEPTH_LABELS[prompt.depth],
    }


def room_question_used(checkin) -> None:
    """Record the question a started check-in actually asks (a floor step given one)."""
    inputs = checkin.state.get("inputs", {})
    for step in checkin.agenda_obj.steps:
        question = inputs.get(step.key, {}).get("question") if step.kind == "floor" else None
        if not question:
            continue
        prompt = Prompt.objects.filter(key=question["id"]).first()
        if prompt is not None:
            _record_use(checkin.couple, prompt, PromptUse.Source.ROOM, checkin=checkin)
