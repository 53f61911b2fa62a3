"""Personal practice: one user's own journal, triggers, toolkit, notes, goals and self check-ins.

Everything here belongs to one user and is private, always. The only thing a partner
ever sees is a SharedItem: a separate copy of exactly the words the owner chose to
share, handed to the couple's next check-in (see handoff.py). Every row goes when
its user is deleted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from couples.models import Couple
from practice.models import CheckIn

USER = settings.AUTH_USER_MODEL

MOODS = {1: "Very low", 2: "Low", 3: "Okay", 4: "Good", 5: "Very good"}


def _rating_validators():
    return [MinValueValidator(1), MaxValueValidator(5)]


class Trigger(models.Model):
    """A situation that tends to set off anxiety or withdrawal, in the user's own words."""

    MAX_SITUATION = 300
    MAX_TEXT = 1000

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="personal_triggers")
    situation = models.CharField(max_length=MAX_SITUATION)
    reaction = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    helps = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_TEXT)])
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["user", "created_at"], name="trigger_user_created")]

    def __str__(self) -> str:
        return self.situation

    def get_absolute_url(self) -> str:
        return reverse("personal-trigger", args=[self.pk])


class Tag(models.Model):
    """A journal tag. Names are stored lower-cased, so #Work and #work are one tag."""

    MAX_NAME = 40

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="personal_tags")
    name = models.CharField(max_length=MAX_NAME)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="personal_tag_once_per_user"),
            models.CheckConstraint(condition=~Q(name=""), name="personal_tag_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class JournalEntry(models.Model):
    MAX_BODY = 10000

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="journal_entries")
    body = models.TextField(validators=[MaxLengthValidator(MAX_BODY)])
    mood = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=list(MOODS.items()), validators=_rating_validators()
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")
    # "What triggered me": links to the owner's own trigger list (services check ownership).
    triggers = models.ManyToManyField(Trigger, blank=True, related_name="entries")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="journal_user_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(mood__isnull=True) | (Q(mood__gte=1) & Q(mood__lte=5)),
                name="journal_mood_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"Journal entry of {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("personal-entry", args=[self.pk])


class Strategy(models.Model):
    """One of the user's own coping strategies."""

    MAX_TITLE = 120
    MAX_HOW = 2000

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="coping_strategies")
    title = models.CharField(max_length=MAX_TITLE)
    how = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_HOW)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.title


class GratitudeNote(models.Model):
    class Kind(models.TextChoices):
        GRATITUDE = "gratitude", "Gratitude"
        AFFIRMATION = "affirmation", "Affirmation"

    MAX_TEXT = 1000

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="gratitude_notes")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.GRATITUDE)
    text = models.TextField(validators=[MaxLengthValidator(MAX_TEXT)])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["gratitude", "affirmation"]), name="gratitude_kind_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.created_at:%Y-%m-%d}"


class Goal(models.Model):
    MAX_TITLE = 200
    MAX_WHY = 1000

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="personal_goals")
    title = models.CharField(max_length=MAX_TITLE)
    why = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_WHY)])
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["completed_at", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("personal-goal", args=[self.pk])


class GoalStep(models.Model):
    MAX_TEXT = 300

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(max_length=MAX_TEXT)
    position = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class SelfCheckInPlan(models.Model):
    """How often the user wants to check in with themselves."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="self_checkin_plan")
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=Cadence.WEEKLY)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence__in=["weekly", "monthly"]), name="self_plan_cadence_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_cadence_display()} self check-in"


class SelfCheckIn(models.Model):
    """One period's reflection: answers to the prompts (see prompts.py) and a 1-5 rating."""

    MAX_ANSWER = 2000

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="self_checkins")
    cadence = models.CharField(max_length=16, choices=Cadence.choices)
    period_start = models.DateField()
    answers = models.JSONField(default=dict)
    steadiness = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=_rating_validators()
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cadence", "period_start"], name="self_checkin_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(steadiness__isnull=True)
                | (Q(steadiness__gte=1) & Q(steadiness__lte=5)),
                name="self_checkin_steadiness_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Self check-in for {self.period_start:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if not isinstance(self.answers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(v) <= self.MAX_ANSWER
            for k, v in self.answers.items()
        ):
            raise ValidationError({"answers": "Answers must be short texts, one per prompt."})


class SharedItem(models.Model):
    """Words the owner chose to share with their partner at the next check-in.

    A copy, never a reference: the partner sees this text and nothing of the entry or
    note it came from. Queued until a check-in picks it up (claimed_by); delivered once
    that check-in reached the step that shows it (see handoff.py).
    """

    class Kind(models.TextChoices):
        APPRECIATION = "appreciation", "Appreciation"
        TOPIC = "topic", "Topic for the next check-in"

    MAX_TEXT = 1000

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="personal_shared")
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField(validators=[MaxLengthValidator(MAX_TEXT)])
    # Where it came from, for the owner's own pages only.
    entry = models.ForeignKey(
        JournalEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="shared"
    )
    note = models.ForeignKey(
        GratitudeNote, null=True, blank=True, on_delete=models.SET_NULL, related_name="shared"
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_in = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["couple", "delivered_at"], name="shared_couple_pending"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["appreciation", "topic"]), name="shared_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(entry__isnull=True) | Q(note__isnull=True),
                name="shared_one_source",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="shared_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.user}"

    @property
    def is_queued(self) -> bool:
        return self.delivered_at is None and self.claimed_by_id is None
