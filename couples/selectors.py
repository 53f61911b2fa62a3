"""Reads about couples. Every access decision about couple data starts here."""

from django.db.models import Prefetch

from .models import Couple, Membership, User


def active_membership(user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("couple")
        .filter(user=user, left_at__isnull=True, couple__ended_at__isnull=True)
        .first()
    )


def active_couple(user: User) -> Couple | None:
    membership = active_membership(user)
    return membership.couple if membership else None


def couple_with_members(user: User) -> Couple | None:
    """The user's active couple with its open memberships (and users) prefetched."""
    if not user.is_authenticated:
        return None
    open_members = Prefetch(
        "memberships",
        queryset=Membership.objects.filter(left_at__isnull=True).select_related("user"),
        to_attr="open_memberships",
    )
    return (
        Couple.objects.filter(
            ended_at__isnull=True, memberships__user=user, memberships__left_at__isnull=True
        )
        .prefetch_related(open_members)
        .first()
    )


def partner_of(user: User, couple: Couple | None = None) -> User | None:
    """The other open member of the user's active couple, or None."""
    couple = couple or active_couple(user)
    if couple is None:
        return None
    members = getattr(couple, "open_memberships", None)
    if members is not None:
        return next((m.user for m in members if m.user_id != user.pk), None)
    membership = (
        Membership.objects.select_related("user")
        .filter(couple=couple, left_at__isnull=True)
        .exclude(user=user)
        .first()
    )
    return membership.user if membership else None


def is_active_member(user: User, couple_id: int) -> bool:
    """True when the user is, right now, an open member of that active couple."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, couple_id=couple_id, left_at__isnull=True, couple__ended_at__isnull=True
    ).exists()


def can_read_history(user: User, couple_id: int) -> bool:
    """Active members, and the partner who stayed when the other left, may read the history."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, couple_id=couple_id, departed=False).exists()


def shared_attachment_style(owner: User, viewer: User) -> dict | None:
    """What `owner` has chosen to share of their attachment result with `viewer`.

    None when nothing is shared (or viewer is not owner's partner). Otherwise a
    dict with at least "style"; "anxiety" and "avoidance" only at the fuller level.
    Filled in by the attachment work.
    """
    return None
