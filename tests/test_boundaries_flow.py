"""Boundary negotiation in the room: every path, and never agreed on one partner's word."""

import pytest

from practice import flow
from practice.flow import ErrorCode, Refusal
from practice.flow import negotiation as neg
from tests.flow_helpers import DUE, Play


def at_boundaries(**kwargs):
    return Play(**kwargs).arrive().appreciations().floor()


def item(play, n=1):
    return next(i for i in play.state["steps"]["boundaries"]["items"] if i["id"] == n)


def events_of(play, role, action, data):
    result = play.try_(role, action, data)
    assert not isinstance(result, Refusal), result
    play.state = result.state
    play.now += 1
    return result.events


DRAFT = {
    "statement": "When I come home from work, I need twenty quiet minutes before we talk.",
    "consequence": "If one of us forgets, we say 'minutes' and pause.",
    "review_weeks": 4,
}


def test_propose_then_accept():
    play = at_boundaries()
    events = events_of(play, "a", "propose", DRAFT)
    assert events[0]["kind"] == "negotiation"
    assert item(play)["status"] == "open"
    assert item(play)["accepted"] == {"a": 1}  # proposing is accepting one's own draft
    assert not flow.step_complete(play.state)
    events = events_of(play, "b", "accept", {"item": 1, "version": 1})
    agreed = events[0]["item"]
    assert agreed["status"] == "agreed"
    assert agreed["accepted"] == {"a": 1, "b": 1}
    assert agreed["drafts"][-1]["statement"] == DRAFT["statement"]
    play.both("next")
    assert play.step == "commitments"


def test_propose_counter_then_the_proposer_accepts_the_counter():
    play = at_boundaries().do("a", "propose", DRAFT)
    counter = {
        **DRAFT,
        "statement": "When I come home, I need ten quiet minutes.",
        "review_weeks": 2,
    }
    events_of(play, "b", "counter", {"item": 1, **counter})
    current = item(play)
    assert [d["n"] for d in current["drafts"]] == [1, 2]
    assert current["accepted"] == {"b": 2}  # a's acceptance of draft 1 no longer counts
    # b can't accept their own counter; a can't accept the old draft.
    assert play.try_("b", "accept", {"item": 1, "version": 2}).code == ErrorCode.NOT_YOUR_TURN
    assert play.try_("a", "accept", {"item": 1, "version": 1}).code == ErrorCode.INVALID
    events = events_of(play, "a", "accept", {"item": 1, "version": 2})
    assert events[0]["item"]["status"] == "agreed"
    assert events[0]["item"]["drafts"][-1]["review_weeks"] == 2


def test_counter_must_change_something():
    play = at_boundaries().do("a", "propose", DRAFT)
    assert play.try_("b", "counter", {"item": 1, **DRAFT}).code == ErrorCode.INVALID


def test_clarifying_question_answered_by_the_proposer():
    play = at_boundaries().do("a", "propose", DRAFT)
    events_of(play, "b", "ask", {"item": 1, "text": "Does a phone call count as talking?"})
    assert play.try_("b", "answer", {"item": 1, "question": 1, "text": "x"}).code == (
        ErrorCode.NOT_YOUR_TURN
    )
    events_of(play, "a", "answer", {"item": 1, "question": 1, "text": "Yes, calls can wait too."})
    question = item(play)["questions"][0]
    assert question["answer"] == "Yes, calls can wait too."
    assert play.try_("a", "answer", {"item": 1, "question": 1, "text": "again"}).code == (
        ErrorCode.NOT_YOUR_TURN
    )
    events_of(play, "b", "accept", {"item": 1, "version": 1})
    assert item(play)["status"] == "agreed"


def test_decline_closes_the_proposal_and_the_step_can_move_on():
    play = at_boundaries().do("a", "propose", DRAFT)
    events = events_of(
        play, "b", "decline", {"item": 1, "reason": "I'd like to talk it over first."}
    )
    assert events[0]["item"]["status"] == "declined"
    assert events[0]["item"]["reason"] == "I'd like to talk it over first."
    assert play.try_("b", "accept", {"item": 1, "version": 1}).code == ErrorCode.NOT_YOUR_TURN
    play.both("next")


def test_withdraw_and_park():
    play = at_boundaries().do("a", "propose", DRAFT).do("b", "propose", DRAFT)
    assert play.try_("b", "withdraw", {"item": 1}).code == ErrorCode.NOT_YOUR_TURN
    events_of(play, "a", "withdraw", {"item": 1})
    assert item(play)["status"] == "withdrawn"
    assert play.try_("a", "next").code == ErrorCode.STEP_INCOMPLETE  # item 2 is still open
    events = events_of(play, "a", "park", {"item": 2})
    assert events[0]["item"]["status"] == "parked"
    play.both("next")


def test_no_version_is_agreed_on_one_partners_word():
    play = at_boundaries().do("a", "propose", DRAFT)
    assert item(play)["status"] == "open"
    assert not neg.is_agreed(item(play))
    # The proposer can't accept for the other.
    assert play.try_("a", "accept", {"item": 1, "version": 1}).code == ErrorCode.NOT_YOUR_TURN
    assert play.try_("a", "next").code == ErrorCode.STEP_INCOMPLETE


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({}, ErrorCode.INVALID),
        ({"statement": "   "}, ErrorCode.INVALID),
        ({"statement": "x" * 501}, ErrorCode.TOO_LONG),
        ({"statement": "ok", "consequence": "y" * 301}, ErrorCode.TOO_LONG),
        ({"statement": "ok", "review_weeks": 3}, ErrorCode.INVALID),
        ({"statement": "ok", "review_weeks": True}, ErrorCode.INVALID),
        ({"statement": 12}, ErrorCode.INVALID),
    ],
)
def test_proposals_are_validated(data, code):
    assert at_boundaries().try_("a", "propose", data).code == code


# --- Reviews of due boundaries -------------------------------------------------------------------


def due(play):
    return play.state["steps"]["boundaries"]["due"][0]


def test_review_keep_needs_both_partners():
    play = at_boundaries(step_inputs=DUE)
    assert play.try_("a", "next").code == ErrorCode.STEP_INCOMPLETE
    assert events_of(play, "a", "review", {"boundary": 7, "decision": "keep"}) == ()
    assert due(play)["decision"] is None
    assert due(play)["pending"]["decision"] == "keep"
    assert (
        play.try_("a", "review", {"boundary": 7, "decision": "keep"}).code == ErrorCode.ALREADY_DONE
    )
    events = events_of(play, "b", "review", {"boundary": 7, "decision": "keep"})
    assert events == (
        {
            "kind": "review",
            "boundary_id": 7,
            "decision": "keep",
            "reason": "",
            "proposed_by": "a",
            "confirmed_by": "b",
        },
    )
    assert due(play)["decision"] == "keep"
    play.both("next")


def test_review_retire_needs_a_reason_and_both_partners():
    play = at_boundaries(step_inputs=DUE)
    assert play.try_("a", "review", {"boundary": 7, "decision": "retire"}).code == ErrorCode.INVALID
    events_of(
        play, "a", "review", {"boundary": 7, "decision": "retire", "reason": "We've outgrown it."}
    )
    # A different answer from the other partner replaces the proposal; nothing is decided.
    assert events_of(play, "b", "review", {"boundary": 7, "decision": "keep"}) == ()
    assert due(play)["pending"]["by"] == "b"
    events = events_of(play, "a", "review", {"boundary": 7, "decision": "keep"})
    assert events[0]["decision"] == "keep"


def test_review_amend_opens_a_negotiation_of_a_new_version():
    play = at_boundaries(step_inputs=DUE)
    amended = {**DRAFT, "statement": "When we argue at night, we stop at 10:30 and sleep on it."}
    events = events_of(play, "b", "review", {"boundary": 7, "decision": "amend", **amended})
    opened = events[0]["item"]
    assert opened["kind"] == "amend"
    assert opened["boundary_id"] == 7
    assert due(play)["decision"] == "amend"
    assert play.try_("a", "next").code == ErrorCode.STEP_INCOMPLETE
    events = events_of(play, "a", "accept", {"item": opened["id"], "version": 1})
    assert events[0]["item"]["status"] == "agreed"
    play.both("next")


def test_a_declined_amendment_reopens_the_review():
    play = at_boundaries(step_inputs=DUE)
    events_of(play, "b", "review", {"boundary": 7, "decision": "amend", **DRAFT})
    events_of(play, "a", "decline", {"item": 1})
    assert due(play)["decision"] is None
    assert play.try_("a", "next").code == ErrorCode.STEP_INCOMPLETE
    events_of(play, "a", "review", {"boundary": 7, "decision": "later"})
    play.both("next")


def test_review_refuses_unknown_boundaries_and_decisions():
    play = at_boundaries(step_inputs=DUE)
    assert play.try_("a", "review", {"boundary": 8, "decision": "keep"}).code == ErrorCode.INVALID
    assert play.try_("a", "review", {"boundary": 7, "decision": "burn"}).code == ErrorCode.INVALID


# --- The shared rules, outside the room -----------------------------------------------


def test_relabel_maps_room_roles_to_users_and_back():
    n = neg.start(item_id=1, parties=("a", "b"), by="a", draft=neg.parse_draft(DRAFT), now=1)
    n = neg.ask(n, by="b", text="Why twenty?", now=2)
    mapped = neg.relabel(n, {"a": "12", "b": "34"})
    assert mapped["parties"] == ["12", "34"]
    assert mapped["accepted"] == {"12": 1}
    assert mapped["questions"][0]["by"] == "34"
    assert neg.relabel(mapped, {"12": "a", "34": "b"}) == n
    agreed = neg.accept(mapped, by="34", version=1, now=3)
    assert agreed["status"] == "agreed"
    assert n["status"] == "open"  # inputs are never mutated


def test_outsiders_cannot_take_part():
    n = neg.start(item_id=1, parties=("12", "34"), by="12", draft=neg.parse_draft(DRAFT), now=1)
    with pytest.raises(Refusal) as refusal:
        neg.accept(n, by="99", version=1, now=2)
    assert refusal.value.code == ErrorCode.FORBIDDEN
