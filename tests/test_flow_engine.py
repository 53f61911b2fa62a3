"""The flow engine's rules beyond turn order: data, breaks, reveals, agendas."""

import copy
import json

import pytest

from practice import flow
from practice.flow import ErrorCode, Refusal
from practice.flow.engine import BREAK_PAUSE_AFTER, MAX_TEXT
from tests.flow_helpers import T0, Play


def refused(result, code):
    assert isinstance(result, Refusal), f"expected {code}, was accepted"
    assert result.code == code, f"{result.code} != {code}: {result.message}"
    assert result.message  # every refusal has a human sentence
    return result


# --- Input validation -------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"mood": 3},
        {"mood": 0, "connection": 3},
        {"mood": 6, "connection": 3},
        {"mood": "3", "connection": 3},
        {"mood": 3.5, "connection": 3},
        {"mood": True, "connection": 3},
        {"mood": 3, "connection": None},
        {"mood": 3, "connection": 3, "word": 12},
    ],
)
def test_arrive_refuses_bad_ratings(data):
    refused(Play().try_("a", "arrive", data), ErrorCode.INVALID)


def test_arrive_word_is_short():
    refused(
        Play().try_("a", "arrive", {"mood": 3, "connection": 3, "word": "x" * 41}),
        ErrorCode.TOO_LONG,
    )


@pytest.mark.parametrize("text", ["", "   ", None, 42, ["a"], {"t": 1}])
def test_text_actions_need_text(text):
    play = Play().arrive()
    refused(play.try_("a", "appreciate", {"text": text}), ErrorCode.INVALID)


def test_text_up_to_the_limit_is_accepted_and_over_it_refused():
    play = Play().arrive()
    assert not isinstance(play.try_("a", "appreciate", {"text": "é" * MAX_TEXT}), Refusal)
    result = refused(
        play.try_("a", "appreciate", {"text": "é" * (MAX_TEXT + 1)}), ErrorCode.TOO_LONG
    )
    assert "2000" in result.message


def test_text_is_stored_trimmed_and_whole():
    play = Play().arrive().do("a", "appreciate", {"text": "  thank you\nfor the tea  "})
    assert play.state["steps"]["appreciations"]["items"][0]["text"] == "thank you\nfor the tea"
    assert play.turns[-1].text == "thank you\nfor the tea"


def test_unknown_actions_and_bad_shapes_are_refused_not_raised():
    state = Play().state
    refused(flow.apply(state, "a", "dance", {}, T0), ErrorCode.UNKNOWN_ACTION)
    refused(flow.apply(state, "a", None, {}, T0), ErrorCode.UNKNOWN_ACTION)
    refused(flow.apply(state, "a", "arrive", "not a dict", T0), ErrorCode.INVALID)
    refused(flow.apply(state, "c", "arrive", {}, T0), ErrorCode.FORBIDDEN)


def test_acknowledge_needs_a_real_partner_item():
    play = Play().arrive().do("a", "appreciate").do("b", "appreciate")
    refused(play.try_("b", "acknowledge", {"id": 999}), ErrorCode.INVALID)
    refused(play.try_("b", "acknowledge", {"id": True}), ErrorCode.INVALID)
    refused(play.try_("b", "acknowledge", {"id": 2}), ErrorCode.NOT_YOUR_TURN)  # b's own
    play.do("b", "acknowledge", {"id": 1})
    refused(play.try_("b", "acknowledge", {"id": 1}), ErrorCode.NOT_YOUR_TURN)


def test_rate_needs_a_rating():
    play = Play().arrive().appreciations().floor().both("next").respond()
    refused(play.try_("a", "rate", {}), ErrorCode.INVALID)
    refused(play.try_("a", "rate", {"rating": 9}), ErrorCode.INVALID)


# --- apply is pure --------------------------------------------------------------------


def test_apply_never_mutates_its_input():
    play = Play().arrive().appreciations()
    before = copy.deepcopy(play.state)
    flow.apply(play.state, "a", "take_floor", {}, T0 + 100)
    flow.apply(play.state, "b", "share", {"text": "x"}, T0 + 100)
    assert play.state == before


def test_state_and_views_are_json():
    play = Play().arrive().appreciations().do("a", "take_floor").do("a", "share")
    assert json.loads(json.dumps(play.state)) == play.state
    for role in flow.ROLES:
        json.dumps(flow.view(play.state, role, play.now))


# --- Arrive: hidden until both answered --------------------------------------------------


def test_arrive_answers_are_absent_from_the_partners_view_until_both_answered():
    play = Play().do("a", "arrive", {"mood": 2, "connection": 5, "word": "raw"})
    seen_by_b = flow.view(play.state, "b", play.now)
    assert seen_by_b["steps"]["arrive"]["answers"] == {"a": {"hidden": True}}
    assert "raw" not in json.dumps(seen_by_b)
    seen_by_a = flow.view(play.state, "a", play.now)
    assert seen_by_a["steps"]["arrive"]["answers"]["a"]["word"] == "raw"
    play.do("b", "arrive", {"mood": 4, "connection": 4, "word": "calm"})
    for role in flow.ROLES:
        answers = flow.view(play.state, role, play.now)["steps"]["arrive"]["answers"]
        assert answers["a"]["word"] == "raw"
        assert answers["b"]["word"] == "calm"


def test_last_weeks_commitment_is_asked_of_each_partner_who_made_one():
    play = Play(last_commitments={"a": "Cook on Sunday", "b": None})
    refused(play.try_("a", "arrive", {"mood": 3, "connection": 3}), ErrorCode.INVALID)
    refused(
        play.try_("a", "arrive", {"mood": 3, "connection": 3, "kept": "maybe"}), ErrorCode.INVALID
    )
    play.do("a", "arrive", {"mood": 3, "connection": 3, "kept": "yes"})
    play.do("b", "arrive", {"mood": 3, "connection": 3})
    answers = play.state["steps"]["arrive"]["answers"]
    assert answers["a"]["kept"] == "yes"
    assert "kept" not in answers["b"]
    assert flow.view(play.state, "a")["last_commitment"] == "Cook on Sunday"
    assert flow.view(play.state, "b")["last_commitment"] is None
    assert "Cook on Sunday" not in json.dumps(flow.view(play.state, "b"))


def test_repair_feelings_are_revealed_together():
    play = Play("repair").do("a", "respond", {"text": "ashamed"})
    assert "ashamed" not in json.dumps(flow.view(play.state, "b"))
    play.do("b", "respond", {"text": "lonely"})
    assert "ashamed" in json.dumps(flow.view(play.state, "b"))


# --- Appreciations ------------------------------------------------------------------------


def test_the_couple_chooses_how_many_appreciations():
    play = Play(appreciations=1).arrive().both("appreciate")
    refused(play.try_("a", "appreciate"), ErrorCode.ALREADY_DONE)
    play.both("acknowledge").both("next")
    assert play.step == "listen"


# --- The floor -------------------------------------------------------------------------------


def test_the_floor_passes_to_the_other_partner_and_ends_after_the_rounds():
    play = Play("listening").do("b", "take_floor")
    assert play.state["steps"]["listen"]["speaker"] == "b"
    play.floor_round("b", clarify=True)
    assert play.state["steps"]["listen"]["speaker"] == "a"
    assert play.phase() == "share"
    play.floor_round("a")
    assert play.phase() == "done"
    history = play.state["steps"]["listen"]["history"]
    assert [h["speaker"] for h in history] == ["b", "a"]
    assert history[0]["clarifications"] == 1


def test_clarify_loops_until_confirmed():
    play = Play("listening").do("a", "take_floor").do("a", "share", {"text": "I felt alone"})
    for i in range(3):
        play.do("b", "mirror", {"text": f"try {i}"})
        play.do("a", "clarify", {"text": f"not quite {i}"})
    play.do("b", "mirror", {"text": "you felt alone"}).do("a", "confirm")
    piece = play.state["steps"]["listen"]["pieces"][0]
    assert piece["mirrors"] == ["try 0", "try 1", "try 2", "you felt alone"]
    assert piece["clarifications"] == ["not quite 0", "not quite 1", "not quite 2"]
    assert piece["confirmed"] is True


def test_heard_needs_a_confirmed_piece_first():
    play = Play("listening").do("a", "take_floor")
    refused(play.try_("a", "heard"), ErrorCode.NOT_YOUR_TURN)


def test_the_listener_cannot_propose_or_rebut_while_the_other_holds_the_floor():
    play = Play("listening").do("a", "take_floor").do("a", "share")
    for action in ("share", "clarify", "confirm", "heard", "pass_floor", "take_floor"):
        refused(play.try_("b", action), ErrorCode.NOT_YOUR_TURN)


# --- Breaks ----------------------------------------------------------------------------------


def test_a_break_uses_the_server_clock_and_needs_both_partners():
    play = Play().arrive()
    play.do("b", "call_break", at=T0 + 1000)
    brk = play.state["break"]
    assert brk["by"] == "b"
    assert brk["ends_at"] == T0 + 1000 + 20 * 60
    refused(play.try_("a", "appreciate"), ErrorCode.ON_BREAK)
    refused(play.try_("a", "call_break"), ErrorCode.ON_BREAK)
    # Before the cool-down ends, being ready means agreeing to end it early.
    play.now = T0 + 1100
    refused(play.try_("a", "resume", {}), ErrorCode.BREAK_NOT_OVER)
    play.do("a", "resume", {"early": True}, at=T0 + 1100)
    assert play.state["break"] is not None  # one partner isn't enough
    refused(play.try_("a", "resume", {"early": True}), ErrorCode.ALREADY_DONE)
    # After the cool-down, plain readiness is enough.
    play.do("b", "resume", {}, at=T0 + 1000 + 20 * 60)
    assert play.state["break"] is None
    assert play.state["breaks"] == [{"by": "b", "started_at": T0 + 1000, "ended_at": T0 + 2200}]
    play.do("a", "appreciate")


def test_nothing_is_recorded_during_a_break():
    play = Play().arrive().do("a", "call_break")
    before = copy.deepcopy(play.state["steps"])
    for role in flow.ROLES:
        for action in flow.ACTIONS:
            if action not in ("resume", "end_early"):
                refused(play.try_(role, action), ErrorCode.ON_BREAK)
    assert play.state["steps"] == before


def test_a_break_not_resumed_within_a_day_pauses_the_checkin_and_it_can_reopen():
    play = Play().arrive().do("a", "call_break", at=T0 + 100)
    assert flow.tick(play.state, T0 + 100 + BREAK_PAUSE_AFTER - 1) is None
    outcome = flow.tick(play.state, T0 + 100 + BREAK_PAUSE_AFTER)
    assert outcome.turn.action == "pause"
    assert outcome.turn.actor is None
    play.state = outcome.state
    assert play.state["status"] == flow.PAUSED
    assert play.state["break"] is None
    play.now = T0 + 200_000
    refused(play.try_("a", "appreciate"), ErrorCode.PAUSED)
    play.do("b", "reopen")
    assert play.state["status"] == flow.ACTIVE
    play.do("a", "appreciate")


def test_ending_early_is_always_possible_and_final():
    play = Play().arrive().do("a", "call_break").do("b", "end_early")
    assert play.state["status"] == flow.ENDED
    assert play.state["ended_by"] == "b"
    assert play.state["break"] is None
    refused(play.try_("a", "resume"), ErrorCode.FINISHED)


# --- Whole agendas ---------------------------------------------------------------------------


def test_weekly_checkin_end_to_end():
    play = Play().arrive().appreciations().floor(first="b").both("next").respond().close()
    assert play.state["status"] == flow.FINISHED
    assert play.state["ended_at"] == play.now
    assert [t.step for t in play.turns][:2] == ["arrive", "arrive"]


def test_listening_practice_end_to_end():
    play = Play("listening").floor().close()
    assert play.state["status"] == flow.FINISHED


def test_repair_end_to_end():
    play = Play("repair").respond().floor().respond().respond().respond().close()
    assert play.state["status"] == flow.FINISHED
    assert [s.key for s in flow.AGENDAS["repair"].steps] == [
        "feelings",
        "realities",
        "triggers",
        "ownership",
        "next_time",
        "close",
    ]


def test_agendas_are_data():
    agenda = flow.Agenda(
        "tiny",
        "Tiny",
        "A respond step and a close.",
        (flow.Step("hello", "respond", "Hello", "Say hello."), flow.agendas.CLOSE),
    )
    flow.AGENDAS["tiny"] = agenda
    try:
        Play("tiny").respond().close()
    finally:
        del flow.AGENDAS["tiny"]
    with pytest.raises(ValueError):
        flow.Agenda("bad", "Bad", "", (flow.Step("x", "respond", "X", "x"),))
    with pytest.raises(ValueError):
        flow.Step("x", "juggling", "X", "x")


def test_the_view_tells_each_partner_what_they_can_do_now():
    play = Play("listening").do("a", "take_floor")
    assert "share" in flow.view(play.state, "a", play.now)["can"]
    assert "share" not in flow.view(play.state, "b", play.now)["can"]
    assert flow.view(play.state, "b", play.now)["you"] == "b"
