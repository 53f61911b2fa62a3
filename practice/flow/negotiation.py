"""Boundary negotiation rules, pure: the same rules in the live room and on the boundaries page.

A negotiation is a JSON-ready dict between two parties (opaque ids: "a"/"b" in
the room, user ids on the page). One party proposes a draft; the other may ask a
clarifying question (the draft's author answers), counter with an edited draft,
accept or decline. The author of a draft accepts it by proposing it. A draft is
agreed only when both parties have accepted that same draft: never on one
party's word.

Every function returns a new dict (inputs are never mutated) or raises Refusal.
"""

import copy

from .errors import ErrorCode, Refusal

REVIEW_WEEKS = (2, 4, 8, 12)
DEFAULT_REVIEW_WEEKS = 4
MAX_STATEMENT = 500
MAX_CONSEQUENCE = 300
MAX_QUESTION = 500
OPEN, AGREED, DECLINED, WITHDRAWN, PARKED = "open", "agreed", "declined", "withdrawn", "parked"


def _clean_text(value, label: str, limit: int, *, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Refusal(ErrorCode.INVALID, f"The {label} must be text.")
    value = value.strip()
    if required and not value:
        raise Refusal(ErrorCode.INVALID, f"Write the {label} first.")
    if len(value) > limit:
        raise Refusal(
            ErrorCode.TOO_LONG, f"The {label} is {len(value)} characters; the limit is {limit}."
        )
    return value


def parse_draft(data: dict) -> dict:
    """Statement, optional consequence and review cadence from untrusted data."""
    if not isinstance(data, dict):
        raise Refusal(ErrorCode.INVALID, "A draft needs a statement.")
    weeks = data.get("review_weeks", DEFAULT_REVIEW_WEEKS)
    if isinstance(weeks, str) and weeks.isdigit():
        weeks = int(weeks)
    if isinstance(weeks, bool) or weeks not in REVIEW_WEEKS:
        raise Refusal(ErrorCode.INVALID, "Choose a review every 2, 4, 8 or 12 weeks.")
    return {
        "statement": _clean_text(data.get("statement"), "statement", MAX_STATEMENT, required=True),
        "consequence": _clean_text(
            data.get("consequence"), "consequence", MAX_CONSEQUENCE, required=False
        ),
        "review_weeks": weeks,
    }


def other_party(neg: dict, party: str) -> str:
    first, second = neg["parties"]
    return second if party == first else first


def latest(neg: dict) -> dict:
    return neg["drafts"][-1]


def _require_party(neg: dict, party: str) -> None:
    if party not in neg["parties"]:
        raise Refusal(ErrorCode.FORBIDDEN)


def _require_open(neg: dict) -> None:
    if neg["status"] != OPEN:
        raise Refusal(ErrorCode.ALREADY_DONE, "This proposal has already been settled.")


def _require_responder(neg: dict, party: str, what: str) -> None:
    """Only the party who didn't write the latest draft may respond to it."""
    if latest(neg)["by"] == party:
        raise Refusal(ErrorCode.NOT_YOUR_TURN, f"Your partner {what}; you wrote this version.")


def start(
    *,
    item_id: int,
    parties: tuple[str, str],
    by: str,
    draft: dict,
    now: float,
    boundary_id: int | None = None,
) -> dict:
    """A new negotiation (or an amendment of boundary_id) with the proposer's first draft."""
    if by not in parties:
        raise Refusal(ErrorCode.FORBIDDEN)
    return {
        "id": item_id,
        "boundary_id": boundary_id,
        "kind": "amend" if boundary_id is not None else "new",
        "parties": list(parties),
        "status": OPEN,
        "drafts": [{"n": 1, "by": by, "at": now, **draft}],
        "accepted": {by: 1},
        "questions": [],
        "closed_at": None,
        "closed_by": None,
        "reason": "",
    }


def can_respond(neg: dict, party: str) -> bool:
    return neg["status"] == OPEN and latest(neg)["by"] != party


def ask(neg: dict, *, by: str, text: str, now: float) -> dict:
    _require_party(neg, by)
    _require_open(neg)
    _require_responder(neg, by, "answers questions")
    text = _clean_text(text, "question", MAX_QUESTION, required=True)
    new = copy.deepcopy(neg)
    new["questions"].append(
        {
            "id": len(new["questions"]) + 1,
            "by": by,
            "text": text,
            "about": latest(neg)["n"],
            "answer": None,
            "answered_at": None,
            "at": now,
        }
    )
    return new


def answer(neg: dict, *, by: str, question_id, text: str, now: float) -> dict:
    _require_party(neg, by)
    _require_open(neg)
    question = next(
        (
            q
            for q in neg["questions"]
            if q["id"] == question_id and not isinstance(question_id, bool)
        ),
        None,
    )
    if question is None:
        raise Refusal(ErrorCode.INVALID, "That question doesn't exist.")
    if question["by"] == by:
        raise Refusal(ErrorCode.NOT_YOUR_TURN, "Your partner answers the questions you ask.")
    if question["answer"] is not None:
        raise Refusal(ErrorCode.ALREADY_DONE, "That question has been answered.")
    text = _clean_text(text, "answer", MAX_QUESTION, required=True)
    new = copy.deepcopy(neg)
    target = next(q for q in new["questions"] if q["id"] == question_id)
    target["answer"] = text
    target["answered_at"] = now
    return new


def counter(neg: dict, *, by: str, draft: dict, now: float) -> dict:
    _require_party(neg, by)
    _require_open(neg)
    _require_responder(neg, by, "can suggest changes")
    current = latest(neg)
    if all(current[k] == draft[k] for k in ("statement", "consequence", "review_weeks")):
        raise Refusal(ErrorCode.INVALID, "That's the same version: accept it instead.")
    new = copy.deepcopy(neg)
    n = current["n"] + 1
    new["drafts"].append({"n": n, "by": by, "at": now, **draft})
    new["accepted"] = {by: n}  # a counter-proposal is its author's acceptance of it
    return new


def accept(neg: dict, *, by: str, version, now: float) -> dict:
    """Accept the latest draft. Naming its number guards against accepting a stale one."""
    _require_party(neg, by)
    _require_open(neg)
    _require_responder(neg, by, "accepts this version")
    if version != latest(neg)["n"] or isinstance(version, bool):
        raise Refusal(
            ErrorCode.INVALID, "A newer version is on the table: read it before accepting."
        )
    new = copy.deepcopy(neg)
    new["accepted"][by] = version
    new["accepted_at"] = {**new.get("accepted_at", {}), by: now}
    if is_agreed(new):
        new["status"] = AGREED
        new["closed_at"] = now
        new["closed_by"] = by
    return new


def is_agreed(neg: dict) -> bool:
    """Both parties accepted the same, latest draft."""
    n = latest(neg)["n"]
    return all(neg["accepted"].get(p) == n for p in neg["parties"])


def decline(neg: dict, *, by: str, reason: str = "", now: float) -> dict:
    _require_party(neg, by)
    _require_open(neg)
    _require_responder(neg, by, "can decline")
    reason = _clean_text(reason, "reason", MAX_CONSEQUENCE, required=False)
    return _close(neg, DECLINED, by, now, reason)


def withdraw(neg: dict, *, by: str, now: float) -> dict:
    _require_party(neg, by)
    _require_open(neg)
    if latest(neg)["by"] != by:
        raise Refusal(ErrorCode.NOT_YOUR_TURN, "You can withdraw a version you wrote.")
    return _close(neg, WITHDRAWN, by, now, "")


def _close(neg: dict, status: str, by: str, now: float, reason: str) -> dict:
    new = copy.deepcopy(neg)
    new["status"] = status
    new["closed_at"] = now
    new["closed_by"] = by
    new["reason"] = reason
    return new


def relabel(neg: dict, mapping: dict[str, str]) -> dict:
    """The same negotiation with parties renamed (room roles <-> user ids)."""
    new = copy.deepcopy(neg)

    def m(party):
        return mapping.get(party, party)

    new["parties"] = [m(p) for p in new["parties"]]
    for draft in new["drafts"]:
        draft["by"] = m(draft["by"])
    for question in new["questions"]:
        question["by"] = m(question["by"])
    new["accepted"] = {m(p): n for p, n in new["accepted"].items()}
    if "accepted_at" in new:
        new["accepted_at"] = {m(p): t for p, t in new["accepted_at"].items()}
    if new.get("closed_by"):
        new["closed_by"] = m(new["closed_by"])
    return new


# --- Reviews of agreed boundaries ------------------------------------------------

REVIEW_DECISIONS = ("keep", "retire")


def review(pending: dict | None, *, by: str, decision: str, reason: str, now: float):
    """One partner's review decision. Returns (pending, decided).

    Keeping or retiring takes both partners: the first proposes, the other
    confirms with the same decision (a different one replaces the proposal and
    waits for the first partner in turn). `decided` is the decision once both agree.
    """
    if decision not in REVIEW_DECISIONS:
        raise Refusal(ErrorCode.INVALID, "Choose keep, amend or retire.")
    confirming = bool(pending and pending["by"] != by and pending["decision"] == decision)
    # Whoever proposes retiring says why; the partner who confirms needn't repeat it.
    reason = _clean_text(
        reason, "reason", MAX_CONSEQUENCE, required=decision == "retire" and not confirming
    )
    if confirming:
        decided = {
            "decision": decision,
            "reason": reason or pending.get("reason", ""),
            "proposed_by": pending["by"],
            "confirmed_by": by,
        }
        return None, decided
    if pending and pending["by"] == by and pending["decision"] == decision:
        raise Refusal(ErrorCode.ALREADY_DONE, "Waiting for your partner to confirm.")
    return {"by": by, "decision": decision, "reason": reason, "at": now}, None
