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
