"""Where personal practice meets the couple's next check-in (called from practice/hooks.py).

The design keeps the flow engine pure and the rules in one place:

1. start: `room_inputs` turns the couple's queued SharedItems into step inputs, keyed by
   the step that shows them: sent-ahead appreciations for the "appreciations" step (they
   arrive already shared, counting toward the author's number), topics for the "listen"
   step (shown to both partners above the speaker-listener exchange). Only each item's
   text and author role go in, plus a `ref` that stays in `state["inputs"]`, which no
   partner's view includes.
2. `claim` marks the items this check-in will show (if its agenda has that step), so a
   second check-in does not show them again.
3. end: `settle` marks delivered what the check-in actually reached, and hands the rest
   back to the queue (e.g. a talk ended before its appreciations step).
"""

from django.db.models import Q
from django.utils import timezone

from couples.models import Couple
from practice.models import CheckIn

from .models import SharedItem

APPRECIATIONS_STEP = "appreciations"
TOPICS_STEP = "listen"
MAX_TOPICS_PER_PARTNER = 3

# kind of item -> (step key, input key): which step shows it, under which input
CARRIERS = {
    SharedItem.Kind.APPRECIATION: (APPRECIATIONS_STEP, "queued"),
    SharedItem.Kind.TOPIC: (TOPICS_STEP, "topics"),
}


def pending(couple: Couple):
    """What waits for this couple's next check-in, oldest first."""
    return SharedItem.objects.filter(
        couple=couple, delivered_at__isnull=True, claimed_by__isnull=True
    ).order_by("created_at", "id")


def room_inputs(couple: Couple, roles: dict) -> dict[str, dict]:
    """Step inputs for a new check-in: at most the couple's number of appreciations and
    MAX_TOPICS_PER_PARTNER topics per partner, oldest first; the rest wait for the next."""
    role_of = {user.pk: role for role, user in roles.items() if user is not None}
    limits = {
        SharedItem.Kind.APPRECIATION: couple.appreciations_per_checkin,
        SharedItem.Kind.TOPIC: MAX_TOPICS_PER_PARTNER,
    }
    taken: dict[tuple[str, str], int] = {}
    inputs: dict[str, dict] = {}
    items = pending(couple).filter(user_id__in=list(role_of)).only("id", "user_id", "kind", "text")
    for item in items:
        role = role_of[item.user_id]
        if taken.get((item.kind, role), 0) >= limits[item.kind]:
            continue
        taken[(item.kind, role)] = taken.get((item.kind, role), 0) + 1
        step_key, input_key = CARRIERS[item.kind]
        inputs.setdefault(step_key, {}).setdefault(input_key, []).append(
            {"by": role, "text": item.text, "ref": item.pk}
        )
    return inputs


def _refs(checkin: CheckIn, step_key: str, input_key: str) -> list[int]:
    entries = checkin.state.get("inputs", {}).get(step_key, {}).get(input_key, [])
    return [e["ref"] for e in entries if isinstance(e, dict) and isinstance(e.get("ref"), int)]


def claim(checkin: CheckIn) -> None:
    """The new check-in holds what it will show, if its agenda has the step for it."""
    steps = {s.key for s in checkin.agenda_obj.steps}
    refs = [
        ref for step, key in CARRIERS.values() if step in steps for ref in _refs(checkin, step, key)
    ]
    if refs:
        SharedItem.objects.filter(
            pk__in=refs,
            couple_id=checkin.couple_id,
            claimed_by__isnull=True,
            delivered_at__isnull=True,
        ).update(claimed_by=checkin)


def settle(checkin: CheckIn) -> None:
    """The check-in is over: delivered if it reached the step that showed them, else back
    in the queue for the next one.

    Words that were never shown also leave the check-in's stored inputs (the caller saves
    the state): the queue holds them now, and the owner may still take them back.
    """
    reached = set(checkin.state.get("steps", {}))
    now = timezone.now()
    for step, key in CARRIERS.values():
        if step in reached:
            SharedItem.objects.filter(claimed_by=checkin, pk__in=_refs(checkin, step, key)).update(
                claimed_by=None, delivered_in=checkin, delivered_at=now
            )
    SharedItem.objects.filter(claimed_by=checkin).update(claimed_by=None)
    _drop_unshown(checkin, roles=("a", "b"))


def _drop_unshown(checkin: CheckIn, *, roles) -> bool:
    """Remove from state["inputs"] the shared words of `roles` whose step was never reached."""
    inputs = checkin.state.get("inputs", {})
    reached = checkin.state.get("steps", {})
    changed = False
    for step, key in CARRIERS.values():
        entries = inputs.get(step, {}).get(key)
        if step in reached or not entries:
            continue
        kept = [e for e in entries if not (isinstance(e, dict) and e.get("by") in roles)]
        if len(kept) != len(entries):
            inputs[step][key] = kept
            changed = True
    return changed


def forget_unshown(user) -> None:
    """Account deletion: the user's shared words that no check-in has shown yet were never
    the partner's; take them out of every check-in's stored inputs. Shown ones stay, like
    everything else said in a check-in."""
    checkins = CheckIn.objects.select_for_update().filter(Q(partner_a=user) | Q(partner_b=user))
    for checkin in checkins:
        if _drop_unshown(checkin, roles=(checkin.role_of(user),)):
            checkin.save(update_fields=["state"])
