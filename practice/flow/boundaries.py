"""The room's boundaries step: propose, clarify, counter, accept or decline; review due ones.

The negotiation rules themselves live in negotiation.py, shared with the
boundaries page. This module adapts them to the room: roles "a"/"b", one step's
data, and events the service turns into stored boundaries.

Step data:
    due    boundaries due for review when the check-in started, each with
           "decision" (None, "keep", "retire", "amend", "later") and "pending"
           (a keep/retire waiting for the other partner's confirmation)
    items  negotiations opened in this check-in (see negotiation.py)
"""

from . import negotiation as neg
from .errors import ErrorCode, Refusal

ROLES = ("a", "b")


def _other(role):
    return "b" if role == "a" else "a"


def _item(data: dict, payload: dict) -> dict:
    item_id = payload.get("item")
    found = next(
        (i for i in data["items"] if i["id"] == item_id and not isinstance(item_id, bool)), None
    )
    if found is None:
        raise Refusal(ErrorCode.INVALID, "That proposal isn't part of this check-in.")
    return found


def _replace(data: dict, item: dict) -> None:
    data["items"] = [item if i["id"] == item["id"] else i for i in data["items"]]


def _settle_amendment(data: dict, item: dict) -> None:
    """An amendment that closes settles (or reopens) the review that started it."""
    if item["kind"] != "amend":
        return
    for due in data["due"]:
        if due.get("amend_item") == item["id"]:
            if item["status"] in (neg.AGREED, neg.PARKED):
                due["decision"] = "amend"
            else:  # declined or withdrawn: the boundary stands; decide its review again
                due["decision"] = None
                due["amend_item"] = None


def register(action, step_data, text, turn) -> None:
    kinds = {"boundaries"}

    def change(state, role, item, action_name, text_value="", **extra):
        data = step_data(state)
        _replace(data, item)
        _settle_amendment(data, item)
        return (
            turn(state, action_name, role, text_value, item=item["id"], **extra),
            ({"kind": "negotiation", "item": item},),
        )

    # propose: open a new negotiation with the proposer's draft.

    def guard_propose(state, role, now):
        return None

    def perform_propose(state, role, payload, now):
        data = step_data(state)
        draft = neg.parse_draft(payload)
        item = neg.start(item_id=data["next_id"], parties=ROLES, by=role, draft=draft, now=now)
        data["next_id"] += 1
        data["items"].append(item)
        return change(state, role, item, "propose", draft["statement"])

    action("propose", kinds)((guard_propose, perform_propose))

    # Responding to the other partner's latest draft.

    def guard_respond(state, role, now):
        if not any(neg.can_respond(i, role) for i in step_data(state)["items"]):
            raise Refusal(
                ErrorCode.NOT_YOUR_TURN, "There's no proposal from your partner to answer."
            )

    def perform_ask(state, role, payload, now):
        item = neg.ask(_item(step_data(state), payload), by=role, text=payload.get("text"), now=now)
        return change(state, role, item, "ask", item["questions"][-1]["text"])

    def perform_counter(state, role, payload, now):
        draft = neg.parse_draft(payload)
        item = neg.counter(_item(step_data(state), payload), by=role, draft=draft, now=now)
        return change(
            state, role, item, "counter", draft["statement"], version=neg.latest(item)["n"]
        )

    def perform_accept(state, role, payload, now):
        item = neg.accept(
            _item(step_data(state), payload), by=role, version=payload.get("version"), now=now
        )
        return change(state, role, item, "accept", version=neg.latest(item)["n"])

    def perform_decline(state, role, payload, now):
        item = neg.decline(
            _item(step_data(state), payload), by=role, reason=payload.get("reason", ""), now=now
        )
        return change(state, role, item, "decline", item["reason"])

    action("ask", kinds)((guard_respond, perform_ask))
    action("counter", kinds)((guard_respond, perform_counter))
    action("accept", kinds)((guard_respond, perform_accept))
    action("decline", kinds)((guard_respond, perform_decline))

    # Answering a clarifying question about one's own draft.

    def guard_answer(state, role, now):
        open_questions = [
            q
            for i in step_data(state)["items"]
            if i["status"] == neg.OPEN
            for q in i["questions"]
            if q["by"] != role and q["answer"] is None
        ]
        if not open_questions:
            raise Refusal(ErrorCode.NOT_YOUR_TURN, "There's no question waiting for you.")

    def perform_answer(state, role, payload, now):
        item = neg.answer(
            _item(step_data(state), payload),
            by=role,
            question_id=payload.get("question"),
            text=payload.get("text"),
            now=now,
        )
        answered = next(q for q in item["questions"] if q["id"] == payload.get("question"))
        return change(state, role, item, "answer", answered["answer"], question=answered["id"])

    action("answer", kinds)((guard_answer, perform_answer))

    # Withdrawing one's own version; parking an open proposal for the boundaries page.

    def guard_withdraw(state, role, now):
        if not any(
            i["status"] == neg.OPEN and neg.latest(i)["by"] == role
            for i in step_data(state)["items"]
        ):
            raise Refusal(ErrorCode.NOT_YOUR_TURN, "You have no open version to withdraw.")

    def perform_withdraw(state, role, payload, now):
        item = neg.withdraw(_item(step_data(state), payload), by=role, now=now)
        return change(state, role, item, "withdraw")

    action("withdraw", kinds)((guard_withdraw, perform_withdraw))

    def guard_park(state, role, now):
        if not any(i["status"] == neg.OPEN for i in step_data(state)["items"]):
            raise Refusal(ErrorCode.NOT_YOUR_TURN, "There's no open proposal to leave for later.")

    def perform_park(state, role, payload, now):
        item = _item(step_data(state), payload)
        if item["status"] != neg.OPEN:
            raise Refusal(ErrorCode.ALREADY_DONE, "This proposal has already been settled.")
        parked = {**item, "status": neg.PARKED, "parked_by": role, "parked_at": now}
        return change(state, role, parked, "park")

    action("park", kinds)((guard_park, perform_park))

    # Reviewing a boundary that is due: keep, retire (both confirm), amend, or later.

    def guard_review(state, role, now):
        if not any(d["decision"] is None for d in step_data(state)["due"]):
            raise Refusal(ErrorCode.NOT_YOUR_TURN, "No boundary is waiting for a review.")

    def perform_review(state, role, payload, now):
        data = step_data(state)
        boundary_id = payload.get("boundary")
        due = next(
            (
                d
                for d in data["due"]
                if d["boundary_id"] == boundary_id and not isinstance(boundary_id, bool)
            ),
            None,
        )
        if due is None:
            raise Refusal(ErrorCode.INVALID, "That boundary isn't up for review here.")
        if due["decision"] is not None:
            raise Refusal(ErrorCode.ALREADY_DONE, "This review has been decided.")
        decision = payload.get("decision")
        if decision == "later":
            due["decision"] = "later"
            due["pending"] = None
            return turn(state, "review", role, "", boundary=boundary_id, decision="later"), ()
        if decision == "amend":
            draft = neg.parse_draft(payload)
            item = neg.start(
                item_id=data["next_id"],
                parties=ROLES,
                by=role,
                draft=draft,
                now=now,
                boundary_id=boundary_id,
            )
            data["next_id"] += 1
            data["items"].append(item)
            due["decision"] = "amend"
            due["amend_item"] = item["id"]
            due["pending"] = None
            return (
                turn(
                    state,
                    "review",
                    role,
                    draft["statement"],
                    boundary=boundary_id,
                    decision="amend",
                ),
                ({"kind": "negotiation", "item": item},),
            )
        pending, decided = neg.review(
            due.get("pending"),
            by=role,
            decision=decision,
            reason=payload.get("reason", ""),
            now=now,
        )
        due["pending"] = pending
        events = ()
        if decided is not None:
            due["decision"] = decided["decision"]
            events = ({"kind": "review", "boundary_id": boundary_id, **decided},)
        return (
            turn(
                state,
                "review",
                role,
                (decided or pending).get("reason", ""),
                boundary=boundary_id,
                decision=decision,
                confirmed=decided is not None,
            ),
            events,
        )

    action("review", kinds)((guard_review, perform_review))
