"""Check-ins and their turn log. The check-in row holds the room's state and version."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from couples.models import Couple

from .flow import AGENDAS


class CheckIn(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "In progress"
        PAUSED = "paused", "Paused"
        FINISHED = "finished", "Finished"
        ENDED = "ended", "Ended early"

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="checkins")
    # The room link's secret part. The link alone admits nobody: only the two partners.
    token = models.CharField(max_length=64, unique=True)
    agenda = models.CharField(max_length=32, choices=[(key, a.title) for key, a in AGENDAS.items()])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    state = models.JSONField()
    # Bumped by exactly one for every accepted action (= the last turn's seq).
    version = models.PositiveIntegerField(default=0)
    partner_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    partner_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # What history pages need, written once when the check-in ends (see summaries.py).
    summary = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["couple", "-started_at"], name="checkin_couple_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["couple"],
                condition=Q(status="active"),
                name="one_active_checkin_per_couple",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_agenda_display()} on {self.started_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("room", args=[self.token])

    @property
    def agenda_obj(self):
        return AGENDAS[self.agenda]

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.ACTIVE

    def role_of(self, user) -> str | None:
        if user.pk is None:
            return None
        if user.pk == self.partner_a_id:
            return "a"
        if user.pk == self.partner_b_id:
            return "b"
        return None

    def partner_user(self, role: str):
        return self.partner_a if role == "a" else self.partner_b


class Turn(models.Model):
    """Append-only log of accepted actions, one per version of the check-in."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="turns")
    seq = models.PositiveIntegerField()
    step = models.CharField(max_length=32)
    action = models.CharField(max_length=32)
    role = models.CharField(max_length=1, blank=True)  # "a", "b", or "" for the clock
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    coaching = models.JSONField(null=True, blank=True)
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["checkin", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "seq"], name="turn_seq_unique"),
            models.UniqueConstraint(
                fields=["checkin", "client_id"],
                condition=Q(client_id__isnull=False),
                name="turn_client_id_once",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.role or 'clock'}"


class Boundary(models.Model):
    """An agreement between the two partners. Its wording lives in agreed versions;
    an open negotiation (a new proposal or an amendment) lives in `negotiation`."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        RETIRED = "retired", "Retired"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    REVIEW_CHOICES = [
        (2, "Every 2 weeks"),
        (4, "Every 4 weeks"),
        (8, "Every 8 weeks"),
        (12, "Every 12 weeks"),
    ]

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="boundaries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Where it was first proposed, when in a check-in (the room's item id there).
    origin_checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin_item = models.PositiveSmallIntegerField(null=True, blank=True)
    review_weeks = models.PositiveSmallIntegerField(choices=REVIEW_CHOICES, default=4)
    next_review_on = models.DateField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_reason = models.TextField(blank=True)
    # The negotiation under way (parties are user ids), or null.
    negotiation = models.JSONField(null=True, blank=True)
    # A keep/retire decision proposed by one partner, waiting for the other.
    pending_review = models.JSONField(null=True, blank=True)
    # Set while a live check-in is negotiating or reviewing it: the page then defers to the room.
    live_checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["next_review_on", "-updated_at"]
        indexes = [models.Index(fields=["couple", "status"], name="boundary_couple_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_checkin", "origin_item"],
                condition=Q(origin_checkin__isnull=False),
                name="boundary_once_per_room_item",
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed") | Q(next_review_on__isnull=False),
                name="agreed_boundary_has_review_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Boundary #{self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("boundary-detail", args=[self.pk])


class BoundaryVersion(models.Model):
    """An agreed wording. It exists only once both partners accepted it (two acceptances)."""

    boundary = models.ForeignKey(Boundary, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    statement = models.TextField()
    consequence = models.TextField(blank=True)
    review_weeks = models.PositiveSmallIntegerField(choices=Boundary.REVIEW_CHOICES)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(default=timezone.now)
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The drafts and questions that led to this wording.
    transcript = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["boundary", "number"]
        constraints = [
            models.UniqueConstraint(fields=["boundary", "number"], name="boundary_version_once")
        ]

    def __str__(self) -> str:
        return f"v{self.number} of {self.boundary}"


class BoundaryAcceptance(models.Model):
    version = models.ForeignKey(
        BoundaryVersion, on_delete=models.CASCADE, related_name="acceptances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField()
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "user"],
                condition=Q(user__isnull=False),
                name="boundary_accepted_once_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.version}"


class BoundaryEvent(models.Model):
    """What happened to a boundary, for its history: proposed, agreed, kept, retired…"""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        AMENDMENT_PROPOSED = "amendment_proposed", "Change proposed"
        AMENDED = "amended", "New version agreed"
        AMENDMENT_DROPPED = "amendment_dropped", "Change not agreed"
        KEPT = "kept", "Reviewed and kept"
        RETIRED = "retired", "Retired"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REVIEW_PROPOSED = "review_proposed", "Review proposed"

    boundary = models.ForeignKey(Boundary, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.boundary})"


class Ritual(models.Model):
    """The couple's standing weekly slot. Times are wall-clock times in `time_zone`."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    couple = models.OneToOneField(Couple, on_delete=models.CASCADE, related_name="ritual")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.SUNDAY)
    local_time = models.TimeField(default="19:00")
    time_zone = models.CharField(max_length=64, default="UTC")
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    agenda = models.CharField(
        max_length=32, choices=[(key, a.title) for key, a in AGENDAS.items()], default="weekly"
    )
    reminder_minutes = models.PositiveSmallIntegerField(
        default=60, help_text="How long before the ritual the reminder email goes out."
    )
    # The calendar feed's secret: only its hash is kept; either partner can replace it.
    feed_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=10) & Q(duration_minutes__lte=180),
                name="ritual_duration_10_to_180",
            ),
            models.CheckConstraint(
                condition=Q(reminder_minutes__gte=5) & Q(reminder_minutes__lte=2880),
                name="ritual_reminder_5min_to_2days",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}s at {self.local_time:%H:%M} ({self.time_zone})"


class ReminderOptOut(models.Model):
    """A partner who turned ritual reminders off."""

    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="opt_outs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ritual", "user"], name="opt_out_once")]

    def __str__(self) -> str:
        return f"{self.user} opted out of reminders"


class ReminderSent(models.Model):
    """One reminder per partner per occurrence: running the command twice sends nothing twice."""

    ritual = models.ForeignKey(Ritual, on_delete=models.CASCADE, related_name="reminders_sent")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    occurrence = models.DateTimeField()  # the ritual's start, UTC
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ritual", "user", "occurrence"], name="reminder_once_per_occurrence"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.user} for {self.occurrence:%Y-%m-%d %H:%M}"
