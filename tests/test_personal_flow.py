"""The engine's side of the personal hand-off: what partners sent ahead, seeded into steps.

Appreciations sent from gratitude notes arrive already shared in the appreciations step;
topics brought for the next check-in are shown at the speaker-listener step. Pure: no
database here.
"""

import json

from practice import flow
from tests.flow_helpers import Play

QUEUED = {
    "appreciations": {
        "queued": [
            {"by": "a", "text": "  Thank you for the coffee every morning.  ", "ref": 11},
            {"by": "b", "text": "You listened on Tuesday.", "ref": 12},
        ]
    },
    "listen": {"topics": [{"by": "b", "text": "How we split the weekend chores", "ref": 13}]},
}


def at_appreciations(**kwargs):
    return Play(**kwargs).arrive()


def finish_appreciations(play):
    """Share what each partner still owes, acknowledge everything, move on."""
    n = play.state["settings"]["appreciations"]
    for role in ("a", "b"):
        items = play.state["steps"]["appreciations"]["items"]
        for _ in range(n - sum(1 for i in items if i["by"] == role)):
            play.do(role, "appreciate")
    while "acknowledge" in flow.allowed(play.state, "a", play.now) or "acknowledge" in (
        flow.allowed(play.state, "b", play.now)
    ):
        for role in ("a", "b"):
            if "acknowledge" in flow.allowed(play.state, role, play.now):
                play.do(role, "acknowledge")
    return play.both("next")


def test_sent_ahead_appreciations_arrive_shared_and_count_toward_the_authors_number():
    play = at_appreciations(appreciations=2, step_inputs=QUEUED)
    items = play.state["steps"]["appreciations"]["items"]
    assert [(i["by"], i["text"], i["acked"], i["sent_ahead"]) for i in items] == [
        ("a", "Thank you for the coffee every morning.", False, True),
        ("b", "You listened on Tuesday.", False, True),
    ]
    assert all("ref" not in i for i in items)  # database ids stay out of the state
    # Each has one more to share; the partner acknowledges the sent-ahead ones as usual.
    play.both("appreciate")
    assert play.try_("a", "appreciate").code == flow.ErrorCode.ALREADY_DONE
    ids = {i["by"]: i["id"] for i in play.state["steps"]["appreciations"]["items"]}
    assert len(set(ids.values())) == 2  # ids stay unique after the seeded ones
    for _ in range(2):
        play.both("acknowledge")
    assert flow.step_complete(play.state)
    play.both("next")
    assert play.step == "listen"


def test_no_more_than_the_couples_number_arrive_per_partner():
    many = {"appreciations": {"queued": [{"by": "a", "text": f"Thanks {n}"} for n in range(5)]}}
    play = at_appreciations(appreciations=2, step_inputs=many)
    items = play.state["steps"]["appreciations"]["items"]
    assert [i["text"] for i in items] == ["Thanks 0", "Thanks 1"]
    assert play.try_("a", "appreciate").code == flow.ErrorCode.ALREADY_DONE


def test_malformed_inputs_are_dropped_not_trusted():
    bad = {
        "appreciations": {
            "queued": [
                {"by": "c", "text": "not a role"},
                {"by": "a", "text": "   "},
                {"by": "a", "text": 42},
                {"by": "a", "text": "x" * (flow.engine.MAX_TEXT + 1)},
                "not a dict",
                {"by": "b", "text": "kept"},
            ]
        },
        "listen": {"topics": "not a list"},
    }
    play = at_appreciations(step_inputs=bad)
    assert [i["text"] for i in play.state["steps"]["appreciations"]["items"]] == ["kept"]
    finish_appreciations(play)
    assert play.state["steps"]["listen"]["topics"] == []


def test_topics_show_at_the_floor_for_both_partners_with_only_their_words():
    play = finish_appreciations(at_appreciations(step_inputs=QUEUED))
    assert play.step == "listen"
    for role in ("a", "b"):
        seen = flow.view(play.state, role, play.now)
        assert seen["steps"]["listen"]["topics"] == [
            {"by": "b", "text": "How we split the weekend chores"}
        ]
        assert seen["inputs"] == {}  # the refs never reach a partner
        assert "ref" not in json.dumps(seen["steps"])


def test_without_inputs_the_steps_start_empty_as_before():
    play = at_appreciations()
    assert play.state["steps"]["appreciations"] == {"items": [], "next_id": 1}
    play.appreciations()
    assert play.state["steps"]["listen"]["topics"] == []


def test_a_repair_talk_has_no_topics_step_and_ignores_them():
    play = Play("repair", step_inputs=QUEUED)
    assert "appreciations" not in json.dumps(play.state["steps"])
