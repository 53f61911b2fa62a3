"""Writes for the attachment assessment: drafts, results, sharing and the trigger note.

Each function owns its transaction and its checks. Reads live in selectors.py.
"""

import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from . import assessment
from .models import AssessmentDraft, AssessmentResult, TriggerNote, User
from .selectors import active_membership


class AttachmentError(Exception):
    """A refusal with a stable code and a sentence fit to show the user."""

    class Code(enum.StrEnum):
        NOT_FOUND = "not_found"
        NOT_IN_COUPLE = "not_in_couple"
        BAD_SHARING = "bad_sharing"
        NOTE_TOO_LONG = "note_too_long"

    def __init__(self, code: "AttachmentError.Code", message: str):
        self.code = code
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Completed:
    result: AssessmentResult
    # How the previous current result was shared (private if none), so the page can offer
    # to share the new one the same way; the new one itself always starts private.
    previous_sharing: str


def draft_save(*, user: User, answers: dict[str, object]) -> AssessmentDraft:
    """Merge answers into the user's draft. Raises assessment.AssessmentError, saving nothing,
    when any answer is unknown or outside 1-7."""
    clean = assessment.check_answers(answers, complete=False)
    with transaction.atomic():
        draft, _ = AssessmentDraft.objects.select_for_update().get_or_create(user=user)
        merged = {**draft.answers, **clean}
        # Keep item order stable, which keeps the stored JSON readable.
        draft.answers = {item.id: merged[item.id] for item in assessment.ITEMS if item.id in merged}
        draft.updated_at = timezone.now()
        draft.full_clean()
        draft.save()
    return draft


def draft_discard(*, user: User) -> bool:
    deleted, _ = AssessmentDraft.objects.filter(user=user).delete()
    return bool(deleted)


def _two_places(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def assessment_complete(*, user: User) -> Completed:
    """Score the user's draft into a new current result and remove the draft.

    Raises assessment.AssessmentError (listing what is missing) when the draft is incomplete.
    """
    with transaction.atomic():
        draft = AssessmentDraft.objects.select_for_update().filter(user=user).first()
        scored = assessment.score(draft.answers if draft else {})
        previous = (
            AssessmentResult.objects.select_for_update()
            .filter(user=user)
            .order_by("-created_at", "-id")
            .first()
        )
        membership = active_membership(user)
        previous_sharing = (
            previous.sharing_with(membership.couple_id if membership else None)
            if previous
            else AssessmentResult.Sharing.PRIVATE
        )
        result = AssessmentResult(
            user=user,
            anxiety=_two_places(scored.anxiety),
            avoidance=_two_places(scored.avoidance),
            # From the exact means: rounding must never move a score across the cut-off.
            style=scored.style,
            bank_version=assessment.BANK_VERSION,
        )
        result.full_clean()
        result.save()
        # Only the current result can ever be seen by a partner; earlier ones go private so
        # that no stale choice lingers in the data.
        AssessmentResult.objects.filter(user=user).exclude(pk=result.pk).exclude(
            sharing=AssessmentResult.Sharing.PRIVATE
        ).update(sharing=AssessmentResult.Sharing.PRIVATE, shared_couple=None)
        if draft is not None:
            draft.delete()
    return Completed(result=result, previous_sharing=previous_sharing)


def result_set_sharing(*, user: User, result_id: int, sharing: str) -> AssessmentResult:
    """Set how much of the user's current result their partner sees. Takes effect at once:
    every read goes to this row, so withdrawing hides it on the partner's next request."""
    if sharing not in AssessmentResult.Sharing.values:
        raise AttachmentError(
            AttachmentError.Code.BAD_SHARING, "Choose one of the sharing options offered."
        )
    with transaction.atomic():
        result = (
            AssessmentResult.objects.select_for_update().filter(user=user, pk=result_id).first()
        )
        if result is None:
            raise AttachmentError(AttachmentError.Code.NOT_FOUND, "There's no such result.")
        current = AssessmentResult.objects.filter(user=user).order_by("-created_at", "-id").first()
        if sharing == AssessmentResult.Sharing.PRIVATE:
            result.shared_couple = None
        else:
            if current is None or current.pk != result.pk:
                raise AttachmentError(
                    AttachmentError.Code.BAD_SHARING,
                    "Only your current result can be shared. Earlier results stay private.",
                )
            membership = active_membership(user)
            if membership is None:
                raise AttachmentError(
                    AttachmentError.Code.NOT_IN_COUPLE,
                    "Sharing is with your partner: pair with them first, then share.",
                )
            result.shared_couple_id = membership.couple_id
        result.sharing = sharing
        result.full_clean()
        result.save(update_fields=["sharing", "shared_couple"])
    return result


def trigger_note_save(*, user: User, text: str, shared: bool) -> TriggerNote:
    """Save the user's "what helps me" note and whether their partner may read it."""
    text = text.strip()
    if len(text) > TriggerNote.MAX_CHARS:
        raise AttachmentError(
            AttachmentError.Code.NOTE_TOO_LONG,
            f"Please keep the note to {TriggerNote.MAX_CHARS} characters (it has {len(text)}).",
        )
    with transaction.atomic():
        note, _ = TriggerNote.objects.select_for_update().get_or_create(user=user)
        note.text = text
        note.updated_at = timezone.now()
        if shared and text:
            membership = active_membership(user)
            if membership is None:
                raise AttachmentError(
                    AttachmentError.Code.NOT_IN_COUPLE,
                    "Sharing is with your partner: pair with them first, then share. "
                    "Your note can still be saved privately.",
                )
            note.shared = True
            note.shared_couple_id = membership.couple_id
        else:
            note.shared = False
            note.shared_couple = None
        note.full_clean()
        note.save()
    return note
