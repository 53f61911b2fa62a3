"""The prompt library, what each couple has been asked, their ladder, their daily questions.

Private by default: a daily answer belongs to its author until both partners of the
couple have answered that day's question (`DailyQuestion.revealed_at`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from couples.models import Couple

from .themes import DEPTHS, THEME_KEYS, THEME_LABELS, THEMES

MAX_PROMPT_CHARS = 300
MAX_ANSWER_CHARS = 2000

_theme_valid = Q(theme__in=THEME_KEYS)
_depth_valid = Q(depth__gte=1) & Q(depth__lte=3)


class Prompt(models.Model):
    """One question of the library. Retire a prompt by unticking `active`; never delete
    one that was asked (history keeps pointing at it)."""

    key = models.SlugField(
        max_length=40,
        unique=True,
        help_text="Stable id, never reused, e.g. “daily-1-07” (theme, depth, number).",
    )
    theme = models.CharField(max_length=16, choices=THEMES)
    depth = models.PositiveSmallIntegerField(choices=DEPTHS)
    text = models.TextField(max_length=MAX_PROMPT_CHARS)
    active = models.BooleanField(
        default=True, help_text="Inactive prompts are never drawn; past answers keep them."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["theme", "depth", "key"]
        indexes = [models.Index(fields=["theme", "depth", "active"], name="prompt_pool")]
        constraints = [
            models.CheckConstraint(condition=_theme_valid, name="prompt_theme_known"),
            models.CheckConstraint(condition=_depth_valid, name="prompt_depth_1_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.text = (self.text or "").strip()
        if not self.text:
            raise ValidationError({"text": "A prompt needs some words."})

    @property
    def theme_label(self) -> str:
        return THEME_LABELS.get(self.theme, self.theme)


class PromptUse(models.Model):
    """A prompt put to a couple. The no-repeat rule counts these per prompt."""

    class Source(models.TextChoices):
        DAILY = "daily", "Daily question"
        ROOM = "room", "Check-in open question"
        LADDER = "ladder", "Talked about from the ladder"

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="prompt_uses")
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="uses")
    source = models.CharField(max_length=8, choices=Source.choices)
    checkin = models.ForeignKey(
        "practice.CheckIn", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-used_at"]
        indexes = [models.Index(fields=["couple", "prompt"], name="prompt_use_couple")]

    def __str__(self) -> str:
        return f"{self.prompt.key} for {self.couple} ({self.source})"


class LadderRung(models.Model):
    """A couple's current depth in one theme. No row means level 1."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="ladder")
    theme = models.CharField(max_length=16, choices=THEMES)
    level = models.PositiveSmallIntegerField(choices=DEPTHS, default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["couple", "theme"], name="ladder_rung_once"),
            models.CheckConstraint(condition=_theme_valid, name="ladder_theme_known"),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=3), name="ladder_level_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.couple}: {self.theme} at {self.level}"


class ComfortMark(models.Model):
    """One partner saying "I'm comfortable at this level" in a theme. When both partners
    have marked the current level, the couple steps up and the marks are cleared."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="+")
    theme = models.CharField(max_length=16, choices=THEMES)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=DEPTHS)
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "theme", "user"], name="comfort_mark_once_per_partner"
            ),
            models.CheckConstraint(condition=_theme_valid, name="comfort_theme_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} comfortable at {self.theme} {self.level}"


class DailyQuestion(models.Model):
    """The couple's question for one day of their own calendar. The wording is kept as
    asked, so editing the library later doesn't change what an answer replied to."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="daily_questions")
    on_date = models.DateField()
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=MAX_PROMPT_CHARS)
    theme = models.CharField(max_length=16, choices=THEMES)
    depth = models.PositiveSmallIntegerField(choices=DEPTHS)
    created_at = models.DateTimeField(default=timezone.now)
    # Set, in the same transaction, by the answer that completes the pair: from then on
    # both answers are shown to both. Until then each answer is its author's alone.
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-on_date"]
        constraints = [
            models.UniqueConstraint(fields=["couple", "on_date"], name="daily_question_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.couple} on {self.on_date}: {self.prompt_id}"

    def get_absolute_url(self) -> str:
        return reverse("prompts-day", args=[self.pk])

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None

    @property
    def theme_label(self) -> str:
        return THEME_LABELS.get(self.theme, self.theme)


class DailyAnswer(models.Model):
    question = models.ForeignKey(DailyQuestion, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=MAX_ANSWER_CHARS)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="daily_answer_once"),
        ]

    def __str__(self) -> str:
        return f"Answer by {self.user_id} to {self.question_id}"
