"""Where a check-in meets its neighbours: commitments, boundaries, coaching, summaries.

The services call these at fixed points of a check-in's life; each stays small
and does its own queries, so services.py reads as the room's transaction only.
"""

import logging

from couples.models import Couple

from . import flow
from .coaching.turns import review_turn
from .models import CheckIn

logger = logging.getLogger(__name__)


def last_commitments(couple: Couple, roles: dict) -> dict[str, str | None]:
    """Each partner's commitment from the couple's last finished weekly check-in."""
    last = (
        CheckIn.objects.filter(couple=couple, agenda="weekly", status=CheckIn.Status.FINISHED)
        .only("summary", "partner_a_id", "partner_b_id")
        .first()
    )
    if last is None or not last.summary:
        return {}
    by_user = {}
    for role, user_id in (("a", last.partner_a_id), ("b", last.partner_b_id)):
        text = (last.summary.get("commitments") or {}).get(role)
        if text and user_id:
            by_user[user_id] = text
    return {role: by_user.get(user.pk) for role, user in roles.items()}


def step_inputs(couple: Couple, roles: dict, agenda: flow.Agenda) -> dict[str, dict]:
    """Facts the engine can't look up, for the steps this agenda has: the boundaries due for
    review, the question an "open question" step asks (recorded as asked only by on_started),
    and what partners shared from their personal practice. A step the agenda lacks gets
    nothing, so a listening practice never claims the boundaries due for review."""
    from .boundaries import due_for_review, waiting_on_page
    from .personal.handoff import room_inputs
    from .prompts.services import room_question

    keys = {step.key for step in agenda.steps}
    inputs: dict[str, dict] = {}
    if "boundaries" in keys:
        inputs["boundaries"] = {"due": due_for_review(couple), "waiting": waiting_on_page(couple)}
    if "open_question" in keys:
        question = room_question(couple)
        if question is not None:
            inputs["open_question"] = {"question": question}
    for step_key, values in room_inputs(couple, roles).items():
        if step_key in keys:
            inputs.setdefault(step_key, {}).update(values)
    return inputs


def on_started(checkin: CheckIn) -> None:
    from .boundaries import claim_for_checkin
    from .personal.handoff import claim
    from .prompts.services import room_question_used

    due = checkin.state["inputs"].get("boundaries", {}).get("due", [])
    claim_for_checkin(checkin, [d["boundary_id"] for d in due])
    room_question_used(checkin)
    claim(checkin)


def coaching_for(turn: flow.Turn, state: dict) -> dict | None:
    """The coach's review of a turn's text, stored with the turn (state is after the turn).

    Coaching never blocks a turn: should a review fail, the turn is stored without one.
    """
    try:
        return review_turn(turn.action, turn.text, turn.data, state["steps"].get(turn.step))
    except Exception:
        logger.exception("coaching failed for a %s turn", turn.action)
        return None


def on_events(checkin: CheckIn, events, now: float) -> None:
    if events:
        from .boundaries import apply_room_events

        apply_room_events(checkin, events, now)


def on_ended(checkin: CheckIn) -> None:
    """Finished or ended early: write the summary, hand open boundaries to the page."""
    from .boundaries import release_from_checkin
    from .personal.handoff import settle
    from .summaries import build_summary

    checkin.summary = build_summary(checkin.state)
    release_from_checkin(checkin)
    settle(checkin)  # shared appreciations and topics: delivered, or back in the queue
