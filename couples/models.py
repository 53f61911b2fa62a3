"""Accounts, couples and invites: data plus invariants.

Business rules (who may pair, when an invite works) live in services.py.
"""

import zoneinfo
from functools import cache

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(name, name.replace("_", " ")) for name in names]


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("“%(value)s” is not a known time zone.", params={"value": value})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("display_name", "Admin")
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Emails log in case-insensitively.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    # Stored lower-cased (see UserManager and clean), so unique means case-insensitively unique.
    email = models.EmailField("email address", max_length=254, unique=True)
    display_name = models.CharField(
        max_length=60, help_text="How your partner sees you, e.g. your first name."
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # Explicit consent to process relationship and attachment data (special category).
    consented_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


class Couple(models.Model):
    """Two partners practising together. Ended couples keep their history."""

    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    appreciations_per_checkin = models.PositiveSmallIntegerField(
        default=3, help_text="How many appreciations each partner shares in a weekly check-in."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(appreciations_per_checkin__gte=1) & Q(appreciations_per_checkin__lte=5),
                name="couple_appreciations_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"Couple #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Membership(models.Model):
    """A user's place in a couple. At most one open membership per user."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    # True for the partner who chose to leave: they lose access to the couple's
    # history; the other partner keeps it.
    departed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(left_at__isnull=True),
                name="one_active_couple_per_user",
            ),
            models.UniqueConstraint(fields=["couple", "user"], name="membership_once_per_couple"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.couple}"


class Invite(models.Model):
    """An invite link. Only the SHA-256 of its token is kept."""

    LIFETIME_DAYS = 7

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="invites")
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invite_not_used_and_revoked",
            )
        ]

    def __str__(self) -> str:
        return f"Invite for {self.couple} by {self.created_by}"

    def get_absolute_url(self) -> str:
        return reverse("invite-accept")

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


# --- Attachment assessment ------------------------------------------------------
# Private by default. A partner sees a result or note only when its owner shares it,
# and only with the couple it was shared in (a new partner starts from private).
# Everything here is deleted with its owner's account.


class AssessmentDraft(models.Model):
    """A user's answers so far, so the assessment can be left and resumed. One per user."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="assessment_draft")
    # {"anx01": 5, ...}: only ever answers that passed assessment.check_answers.
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Assessment draft of {self.user}"

    def clean(self):
        from .assessment import AssessmentError, check_answers

        if not isinstance(self.answers, dict):
            raise ValidationError({"answers": "Answers must be a mapping of statement ids."})
        try:
            check_answers(self.answers, complete=False)
        except AssessmentError as error:
            raise ValidationError({"answers": str(error)}) from error


class AssessmentResult(models.Model):
    """One completed assessment. All are kept; the newest is the user's current result.

    Raw answers are not kept: the scores are all anyone, the owner included, sees later.
    """

    class Style(models.TextChoices):
        SECURE = "secure", "Secure"
        ANXIOUS = "anxious", "Anxious"
        AVOIDANT = "avoidant", "Avoidant"
        DISORGANIZED = "disorganized", "Disorganized"

    class Sharing(models.TextChoices):
        PRIVATE = "private", "Private: only you see it"
        STYLE = "style", "Share my style"
        STYLE_AND_SCORES = "style_and_scores", "Share my style and both scores"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assessment_results")
    anxiety = models.DecimalField(max_digits=3, decimal_places=2)
    avoidance = models.DecimalField(max_digits=3, decimal_places=2)
    style = models.CharField(max_length=12, choices=Style.choices)
    bank_version = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    sharing = models.CharField(max_length=16, choices=Sharing.choices, default=Sharing.PRIVATE)
    # The couple it is shared with. Sharing counts only while the viewer is the owner's
    # partner in this couple; a couple that ends (or a new one) sees nothing.
    shared_couple = models.ForeignKey(
        Couple, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="result_user_newest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(anxiety__gte=1) & Q(anxiety__lte=7),
                name="result_anxiety_1_to_7",
            ),
            models.CheckConstraint(
                condition=Q(avoidance__gte=1) & Q(avoidance__lte=7),
                name="result_avoidance_1_to_7",
            ),
            models.CheckConstraint(
                condition=Q(style__in=["secure", "anxious", "avoidant", "disorganized"]),
                name="result_style_known",
            ),
            models.CheckConstraint(
                condition=Q(sharing__in=["private", "style", "style_and_scores"]),
                name="result_sharing_known",
            ),
            # Private means private: no couple is left attached to a private result.
            models.CheckConstraint(
                condition=Q(sharing="private", shared_couple__isnull=True) | ~Q(sharing="private"),
                name="result_private_has_no_couple",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_style_display()} result of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("attachment-result", args=[self.pk])

    def sharing_with(self, couple_id: int | None) -> str:
        """The sharing level as seen from inside `couple_id` (private anywhere else)."""
        if couple_id is None or self.shared_couple_id != couple_id:
            return self.Sharing.PRIVATE
        return self.sharing


class TriggerNote(models.Model):
    """The owner's "what helps me when I'm triggered" note. Private unless shared."""

    MAX_CHARS = 2000

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="trigger_note")
    text = models.TextField(max_length=MAX_CHARS, blank=True)
    shared = models.BooleanField(default=False)
    shared_couple = models.ForeignKey(
        Couple, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(shared=True) | Q(shared_couple__isnull=True),
                name="note_private_has_no_couple",
            ),
        ]

    def __str__(self) -> str:
        return f"What helps {self.user}"

    def shared_with(self, couple_id: int | None) -> bool:
        return (
            self.shared
            and bool(self.text.strip())
            and couple_id is not None
            and self.shared_couple_id == couple_id
        )
