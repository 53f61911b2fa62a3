"""Reads about couples. Every access decision about couple data starts here."""

from django.db.models import Prefetch

from .models import (
    AssessmentDraft,
    AssessmentResult,
    Couple,
    Membership,
    TriggerNote,
    User,
)


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


def past_couple_ids(user: User) -> list[int]:
    """Ended couples whose history this user kept (they didn't leave; their partner did)."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(
            user=user, departed=False, couple__ended_at__isnull=False
        ).values_list("couple_id", flat=True)
    )


def can_read_history(user: User, couple_id: int) -> bool:
    """Active members, and the partner who stayed when the other left, may read the history."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, couple_id=couple_id, departed=False).exists()


def shared_attachment_style(owner: User, viewer: User) -> dict | None:
    """What `owner` has chosen to share of their current attachment result with `viewer`.

    - viewer is owner: the owner's own current result (style, anxiety, avoidance), or None;
    - viewer is owner's partner in an active couple: exactly what the owner shared of the
      current result in that couple, {"style"} or {"style", "anxiety", "avoidance"}; None
      when private, shared in an earlier couple, or there is no result;
    - anyone else: None.

    Scores are floats on 1-7. Raw answers are never part of it.
    """
    result = current_attachment_result(owner)
    if result is None or not getattr(viewer, "is_authenticated", False):
        return None
    full = {
        "style": result.style,
        "anxiety": float(result.anxiety),
        "avoidance": float(result.avoidance),
    }
    if viewer.pk == owner.pk:
        return full
    if result.sharing == AssessmentResult.Sharing.PRIVATE:
        return None
    if not _partners_in(result.shared_couple_id, owner, viewer):
        return None
    if result.sharing == AssessmentResult.Sharing.STYLE_AND_SCORES:
        return full
    return {"style": result.style}


def shared_trigger_note(owner: User, viewer: User) -> str | None:
    """The owner's "what helps me when I'm triggered" note as `viewer` may read it.

    Same rules as shared_attachment_style: the owner always; their partner in an active
    couple only while it is shared in that couple; anyone else never. None when empty.
    """
    if not (
        getattr(owner, "is_authenticated", False) and getattr(viewer, "is_authenticated", False)
    ):
        return None
    note = TriggerNote.objects.filter(user=owner).first()
    if note is None or not note.text.strip():
        return None
    if viewer.pk == owner.pk:
        return note.text
    if note.shared and _partners_in(note.shared_couple_id, owner, viewer):
        return note.text
    return None


# --- Attachment reads -----------------------------------------------------------


def current_attachment_result(user: User) -> AssessmentResult | None:
    """The user's newest completed assessment: their "current" result."""
    if not getattr(user, "is_authenticated", False):
        return None
    return AssessmentResult.objects.filter(user=user).order_by("-created_at", "-id").first()


def attachment_results(user: User) -> list[AssessmentResult]:
    """All of the user's results, newest (current) first."""
    if not user.is_authenticated:
        return []
    return list(AssessmentResult.objects.filter(user=user).order_by("-created_at", "-id"))


def own_attachment_result(user: User, result_id: int) -> AssessmentResult | None:
    """One of the user's own results; None for anyone else's (the view answers 404)."""
    if not user.is_authenticated:
        return None
    return AssessmentResult.objects.filter(user=user, pk=result_id).first()


def assessment_draft(user: User) -> AssessmentDraft | None:
    if not user.is_authenticated:
        return None
    return AssessmentDraft.objects.filter(user=user).first()


def trigger_note(user: User) -> TriggerNote | None:
    if not user.is_authenticated:
        return None
    return TriggerNote.objects.filter(user=user).first()


def _partners_in(couple_id: int | None, owner: User, viewer: User) -> bool:
    """True when owner and viewer are both, right now, open members of that active couple."""
    if couple_id is None or owner.pk == viewer.pk:
        return False
    return (
        Membership.objects.filter(
            couple_id=couple_id,
            couple__ended_at__isnull=True,
            left_at__isnull=True,
            user_id__in=[owner.pk, viewer.pk],
        ).count()
        == 2
    )
