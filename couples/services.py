"""Writes about accounts and couples: each function owns its transaction and checks."""

import enum
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import notify
from .models import Couple, Invite, Membership, User
from .selectors import active_membership
from .tokens import hash_token, new_token


class PairingError(Exception):
    """A refusal with a stable code; each code has its own page."""

    class Code(enum.StrEnum):
        UNKNOWN = "unknown"
        EXPIRED = "expired"
        USED = "used"
        REVOKED = "revoked"
        OWN_LINK = "own_link"
        ALREADY_IN_COUPLE = "already_in_couple"
        NOT_IN_COUPLE = "not_in_couple"
        COUPLE_FULL = "couple_full"

    def __init__(self, code: "PairingError.Code"):
        self.code = code
        super().__init__(code.value)


@dataclass(frozen=True)
class NewInvite:
    invite: Invite
    token: str  # shown to the creator once, never stored


def couple_create(*, creator: User) -> Couple:
    with transaction.atomic():
        if active_membership(creator) is not None:
            raise PairingError(PairingError.Code.ALREADY_IN_COUPLE)
        couple = Couple(created_by=creator)
        couple.full_clean()
        couple.save()
        try:
            with transaction.atomic():
                Membership.objects.create(couple=couple, user=creator)
        except IntegrityError as exc:  # a concurrent create won the race
            raise PairingError(PairingError.Code.ALREADY_IN_COUPLE) from exc
    return couple


def invite_create(*, user: User) -> NewInvite:
    """A fresh invite for the user's couple; any earlier open invite stops working."""
    with transaction.atomic():
        membership = active_membership(user)
        if membership is None:
            raise PairingError(PairingError.Code.NOT_IN_COUPLE)
        couple = Couple.objects.select_for_update().get(pk=membership.couple_id)
        if couple.memberships.filter(left_at__isnull=True).count() >= 2:
            raise PairingError(PairingError.Code.COUPLE_FULL)
        now = timezone.now()
        _revoke_open_invites(couple, now)
        token = new_token()
        invite = Invite.objects.create(
            couple=couple,
            created_by=user,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + timedelta(days=Invite.LIFETIME_DAYS),
        )
    return NewInvite(invite=invite, token=token)


def invite_revoke(*, user: User) -> int:
    """Revoke every open invite of the user's couple. Returns how many were revoked."""
    with transaction.atomic():
        membership = active_membership(user)
        if membership is None:
            raise PairingError(PairingError.Code.NOT_IN_COUPLE)
        return _revoke_open_invites(membership.couple, timezone.now())


def _revoke_open_invites(couple: Couple, now) -> int:
    return Invite.objects.filter(
        couple=couple, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)


def invite_check(*, token_hash: str, user: User | None) -> Invite:
    """The invite behind a token hash if this user may accept it now, else PairingError.

    The order of checks matters: a link that no longer works says so before
    anything about the couple behind it.
    """
    invite = (
        Invite.objects.select_related("couple", "created_by").filter(token_hash=token_hash).first()
    )
    if invite is None:
        raise PairingError(PairingError.Code.UNKNOWN)
    if invite.used_at is not None:
        raise PairingError(PairingError.Code.USED)
    if invite.revoked_at is not None or invite.couple.ended_at is not None:
        raise PairingError(PairingError.Code.REVOKED)
    if invite.expires_at <= timezone.now():
        raise PairingError(PairingError.Code.EXPIRED)
    if user is not None:
        if invite.created_by_id == user.pk or invite.couple.memberships.filter(user=user).exists():
            raise PairingError(PairingError.Code.OWN_LINK)
        if active_membership(user) is not None:
            raise PairingError(PairingError.Code.ALREADY_IN_COUPLE)
    return invite


def invite_accept(*, token_hash: str, user: User) -> Couple:
    """Join the couple behind the invite. Single use is enforced here and only here."""
    with transaction.atomic():
        invite = invite_check(token_hash=token_hash, user=user)
        # Lock the invite, then re-check: two people accepting at once get one winner.
        invite = Invite.objects.select_for_update().get(pk=invite.pk)
        if invite.used_at is not None:
            raise PairingError(PairingError.Code.USED)
        couple = Couple.objects.select_for_update().get(pk=invite.couple_id)
        if couple.memberships.filter(left_at__isnull=True).count() >= 2:
            raise PairingError(PairingError.Code.USED)
        now = timezone.now()
        try:
            with transaction.atomic():
                Membership.objects.create(couple=couple, user=user, joined_at=now)
        except IntegrityError as exc:
            raise PairingError(PairingError.Code.ALREADY_IN_COUPLE) from exc
        invite.used_at = now
        invite.used_by = user
        invite.save(update_fields=["used_at", "used_by"])
        _revoke_open_invites(couple, now)
        transaction.on_commit(lambda: notify.couple_changed(couple.pk))
    return couple


def couple_leave(*, user: User) -> Couple:
    """End the user's couple. The leaver loses access at once, live sockets included;
    the partner who stays keeps the shared history."""
    with transaction.atomic():
        membership = active_membership(user)
        if membership is None:
            raise PairingError(PairingError.Code.NOT_IN_COUPLE)
        couple = Couple.objects.select_for_update().get(pk=membership.couple_id)
        now = timezone.now()
        couple.ended_at = now
        couple.save(update_fields=["ended_at"])
        member_ids = list(
            couple.memberships.filter(left_at__isnull=True).values_list("user_id", flat=True)
        )
        couple.memberships.filter(left_at__isnull=True).update(left_at=now)
        Membership.objects.filter(pk=membership.pk).update(departed=True)
        _revoke_open_invites(couple, now)
        transaction.on_commit(lambda: notify.access_revoked(couple.pk, member_ids))
    return couple


def profile_update(*, user: User, display_name: str, time_zone: str, email: str) -> User:
    user.display_name = display_name
    user.time_zone = time_zone
    user.email = email
    user.full_clean()
    user.save(update_fields=["display_name", "time_zone", "email"])
    return user
