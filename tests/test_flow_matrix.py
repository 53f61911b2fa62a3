"""Every action, by each partner, in every step and phase of the room.

Each situation lists what each partner may do; everything else must be refused
with the code the situation names (or `wrong_step` for another step's action).
"""

import pytest

from practice import flow
from practice.flow import ErrorCode, Refusal
from tests.flow_helpers import DUE, Play

STEP_ACTIONS = {
    "arrive": {"arrive"},
    "appreciations": {"appreciate", "acknowledge"},
    "floor": {
        "take_floor",
        "share",
        "mirror",
        "confirm",
        "clarify",
        "heard",
        "validate",
        "empathize",
        "pass_floor",
    },
    "respond": {"respond"},
    "close": {"rate"},
    "boundaries": {
        "propose",
        "ask",
        "answer",
        "counter",
        "accept",
        "decline",
        "withdraw",
        "park",
        "review",
    },
}
FLOOR_ALL = STEP_ACTIONS["floor"]
ALWAYS = {"call_break", "end_early"}

NYT = ErrorCode.NOT_YOUR_TURN
DONE = ErrorCode.ALREADY_DONE
INCOMPLETE = ErrorCode.STEP_INCOMPLETE


def floor_refusals(allowed_a: set, allowed_b: set, default=NYT):
    return {
        (role, act): default
        for role, allowed in (("a", allowed_a), ("b", allowed_b))
        for act in FLOOR_ALL - allowed
    }


def at_floor():
    return Play().arrive().appreciations()


def at_boundaries(**kwargs):
    return Play(**kwargs).arrive().appreciations().floor()


def boundary_refusals(allowed_a: set, allowed_b: set):
    return {
        (role, act): NYT
        for role, allowed in (("a", allowed_a), ("b", allowed_b))
        for act in STEP_ACTIONS["boundaries"] - allowed
    }


RESPOND = {"ask", "counter", "accept", "decline"}


# name -> (build, allowed step actions per role, in-step refusal codes, "next" code per role)
SITUATIONS = {
    "arrive/fresh": (
        lambda: Play(),
        {"a": {"arrive"}, "b": {"arrive"}},
        {},
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "arrive/a answered": (
        lambda: Play().do("a", "arrive"),
        {"a": set(), "b": {"arrive"}},
        {("a", "arrive"): DONE},
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "arrive/both answered": (
        lambda: Play().both("arrive"),
        {"a": {"next"}, "b": {"next"}},
        {("a", "arrive"): DONE, ("b", "arrive"): DONE},
        {"a": None, "b": None},
    ),
    "arrive/a ready": (
        lambda: Play().both("arrive").do("a", "next"),
        {"a": set(), "b": {"next"}},
        {("a", "arrive"): DONE, ("b", "arrive"): DONE},
        {"a": DONE, "b": None},
    ),
    "appreciations/fresh": (
        lambda: Play().arrive(),
        {"a": {"appreciate"}, "b": {"appreciate"}},
        {("a", "acknowledge"): NYT, ("b", "acknowledge"): NYT},
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "appreciations/a shared one": (
        lambda: Play().arrive().do("a", "appreciate"),
        {"a": {"appreciate"}, "b": {"appreciate", "acknowledge"}},
        {("a", "acknowledge"): NYT},
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "appreciations/all shared": (
        lambda: Play().arrive().both("appreciate").both("appreciate").both("appreciate"),
        {"a": {"acknowledge"}, "b": {"acknowledge"}},
        {("a", "appreciate"): DONE, ("b", "appreciate"): DONE},
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "appreciations/complete": (
        lambda: (
            Play()
            .arrive()
            .both("appreciate")
            .both("appreciate")
            .both("appreciate")
            .both("acknowledge")
            .both("acknowledge")
            .both("acknowledge")
        ),
        {"a": {"next"}, "b": {"next"}},
        {
            ("a", "appreciate"): DONE,
            ("b", "appreciate"): DONE,
            ("a", "acknowledge"): NYT,
            ("b", "acknowledge"): NYT,
        },
        {"a": None, "b": None},
    ),
    "floor/choose": (
        at_floor,
        {"a": {"take_floor"}, "b": {"take_floor"}},
        floor_refusals({"take_floor"}, {"take_floor"}),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "floor/a to share": (
        lambda: at_floor().do("a", "take_floor"),
        {"a": {"share"}, "b": set()},
        floor_refusals({"share"}, set()),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "floor/b to mirror": (
        lambda: at_floor().do("a", "take_floor").do("a", "share"),
        {"a": set(), "b": {"mirror"}},
        floor_refusals(set(), {"mirror"}),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "floor/a to confirm": (
        lambda: at_floor().do("a", "take_floor").do("a", "share").do("b", "mirror"),
        {"a": {"confirm", "clarify"}, "b": set()},
        floor_refusals({"confirm", "clarify"}, set()),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "floor/a after clarifying": (
        lambda: (
            at_floor().do("a", "take_floor").do("a", "share").do("b", "mirror").do("a", "clarify")
        ),
        {"a": set(), "b": {"mirror"}},
        floor_refusals(set(), {"mirror"}),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "floor/a confirmed": (
        lambda: (
            at_floor().do("a", "take_floor").do("a", "share").do("b", "mirror").do("a", "confirm")
        ),
        {"a": {"share", "heard"}, "b": set()},
        floor_refusals({"share", "heard"}, set()),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "floor/b to validate": (
        lambda: (
            at_floor()
            .do("a", "take_floor")
            .do("a", "share")
            .do("b", "mirror")
            .do("a", "confirm")
            .do("a", "heard")
        ),
        {"a": set(), "b": {"validate"}},
        floor_refusals(set(), {"validate"}),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "floor/b to guess a feeling": (
        lambda: (
            at_floor()
            .do("a", "take_floor")
            .do("a", "share")
            .do("b", "mirror")
            .do("a", "confirm")
            .do("a", "heard")
            .do("b", "validate")
        ),
        {"a": set(), "b": {"empathize"}},
        floor_refusals(set(), {"empathize"}),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "floor/a to pass": (
        lambda: (
            at_floor()
            .do("a", "take_floor")
            .do("a", "share")
            .do("b", "mirror")
            .do("a", "confirm")
            .do("a", "heard")
            .do("b", "validate")
            .do("b", "empathize")
        ),
        {"a": {"pass_floor"}, "b": set()},
        floor_refusals({"pass_floor"}, set()),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "floor/b holds the floor": (
        lambda: at_floor().do("a", "take_floor").floor_round("a"),
        {"a": set(), "b": {"share"}},
        floor_refusals(set(), {"share"}),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "floor/done": (
        lambda: at_floor().do("a", "take_floor").floor_round("a").floor_round("b"),
        {"a": {"next"}, "b": {"next"}},
        floor_refusals(set(), set(), default=DONE),
        {"a": None, "b": None},
    ),
    "boundaries/nothing to discuss": (
        at_boundaries,
        {"a": {"next", "propose"}, "b": {"next", "propose"}},
        boundary_refusals({"propose"}, {"propose"}),
        {"a": None, "b": None},
    ),
    "boundaries/a proposed": (
        lambda: at_boundaries().do("a", "propose"),
        {"a": {"propose", "withdraw", "park"}, "b": {"propose", "park", *RESPOND}},
        boundary_refusals({"propose", "withdraw", "park"}, {"propose", "park", *RESPOND}),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "boundaries/b asked a question": (
        lambda: at_boundaries().do("a", "propose").do("b", "ask"),
        {"a": {"propose", "withdraw", "park", "answer"}, "b": {"propose", "park", *RESPOND}},
        boundary_refusals({"propose", "withdraw", "park", "answer"}, {"propose", "park", *RESPOND}),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "boundaries/b countered": (
        lambda: at_boundaries().do("a", "propose").do("b", "counter"),
        {"a": {"propose", "park", *RESPOND}, "b": {"propose", "withdraw", "park"}},
        boundary_refusals({"propose", "park", *RESPOND}, {"propose", "withdraw", "park"}),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "boundaries/agreed": (
        lambda: at_boundaries().do("a", "propose").do("b", "accept"),
        {"a": {"next", "propose"}, "b": {"next", "propose"}},
        boundary_refusals({"propose"}, {"propose"}),
        {"a": None, "b": None},
    ),
    "boundaries/one due for review": (
        lambda: at_boundaries(step_inputs=DUE),
        {"a": {"propose", "review"}, "b": {"propose", "review"}},
        boundary_refusals({"propose", "review"}, {"propose", "review"}),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "boundaries/a proposed keeping it": (
        lambda: at_boundaries(step_inputs=DUE).do("a", "review"),
        {"a": {"propose", "review"}, "b": {"propose", "review"}},
        boundary_refusals({"propose", "review"}, {"propose", "review"}),
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "boundaries/review decided": (
        lambda: at_boundaries(step_inputs=DUE).do("a", "review").do("b", "review"),
        {"a": {"next", "propose"}, "b": {"next", "propose"}},
        boundary_refusals({"propose"}, {"propose"}),
        {"a": None, "b": None},
    ),
    "commitments/fresh": (
        lambda: at_boundaries().both("next"),
        {"a": {"respond"}, "b": {"respond"}},
        {},
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "commitments/b answered": (
        lambda: at_boundaries().both("next").do("b", "respond"),
        {"a": {"respond"}, "b": set()},
        {("b", "respond"): DONE},
        {"a": INCOMPLETE, "b": INCOMPLETE},
    ),
    "close/fresh": (
        lambda: at_boundaries().both("next").respond(),
        {"a": {"rate"}, "b": {"rate"}},
        {},
        {"a": ErrorCode.WRONG_STEP, "b": ErrorCode.WRONG_STEP},
    ),
    "close/a rated": (
        lambda: at_boundaries().both("next").respond().do("a", "rate"),
        {"a": set(), "b": {"rate"}},
        {("a", "rate"): DONE},
        {"a": ErrorCode.WRONG_STEP, "b": ErrorCode.WRONG_STEP},
    ),
}

ALL_ACTIONS = set(flow.ACTIONS)


def expected(situation, state, role, action):
    """The expected outcome: None for accepted, else the refusal code."""
    _, allowed, refusals, next_codes = SITUATIONS[situation]
    kind = flow.current_step(state).kind
    if action in ALWAYS:
        return None
    if action == "resume":
        return ErrorCode.NOT_ON_BREAK
    if action == "reopen":
        return ErrorCode.INVALID
    if action == "next":
        return next_codes[role]
    if action in allowed[role]:
        return None
    if action not in STEP_ACTIONS[kind]:
        return ErrorCode.WRONG_STEP
    return refusals[(role, action)]


CASES = [
    (situation, role, action)
    for situation in SITUATIONS
    for role in flow.ROLES
    for action in sorted(ALL_ACTIONS)
]


@pytest.mark.parametrize(("situation", "role", "action"), CASES)
def test_every_action_in_every_situation(situation, role, action):
    play = SITUATIONS[situation][0]()
    want = expected(situation, play.state, role, action)
    got = play.try_(role, action)
    if want is None:
        assert not isinstance(got, Refusal), f"{role} {action} in {situation}: {got}"
    else:
        assert isinstance(got, Refusal), f"{role} {action} in {situation} was accepted"
        assert got.code == want, f"{role} {action} in {situation}: {got.code} != {want}"


@pytest.mark.parametrize("situation", SITUATIONS)
def test_allowed_lists_exactly_the_accepted_actions(situation):
    """`can` in each snapshot is what the engine would accept (data aside)."""
    play = SITUATIONS[situation][0]()
    for role in flow.ROLES:
        can = set(flow.allowed(play.state, role, play.now + 1))
        accepted = {
            action for action in flow.ACTIONS if not isinstance(play.try_(role, action), Refusal)
        }
        assert can == accepted, situation


def test_the_matrix_covers_every_registered_action_and_step_kind():
    room_actions = set().union(*STEP_ACTIONS.values()) | ALWAYS | {"next", "resume", "reopen"}
    assert room_actions == ALL_ACTIONS
    kinds = {flow.current_step(SITUATIONS[s][0]().state).kind for s in SITUATIONS}
    assert kinds == set(STEP_ACTIONS)


# --- States where nothing but a few actions is possible -------------------------


def on_break():
    return at_floor().do("a", "take_floor").do("a", "share").do("b", "call_break")


def finished():
    return at_boundaries().both("next").respond().close()


@pytest.mark.parametrize("role", flow.ROLES)
@pytest.mark.parametrize("action", sorted(ALL_ACTIONS))
def test_on_break_only_resume_and_ending_are_possible(role, action):
    play = on_break()
    got = play.try_(role, action)
    if action in ("resume", "end_early"):
        assert not isinstance(got, Refusal)
    else:
        assert isinstance(got, Refusal)
        assert got.code == ErrorCode.ON_BREAK


@pytest.mark.parametrize("role", flow.ROLES)
@pytest.mark.parametrize("action", sorted(ALL_ACTIONS))
def test_finished_refuses_everything(role, action):
    got = finished().try_(role, action)
    assert isinstance(got, Refusal)
    assert got.code == ErrorCode.FINISHED


@pytest.mark.parametrize("role", flow.ROLES)
@pytest.mark.parametrize("action", sorted(ALL_ACTIONS))
def test_paused_only_reopen_and_ending_are_possible(role, action):
    play = on_break()
    paused = flow.tick(play.state, play.now + flow.engine.BREAK_PAUSE_AFTER + 1)
    play.state = paused.state
    play.now += flow.engine.BREAK_PAUSE_AFTER + 1
    got = play.try_(role, action)
    if action in ("reopen", "end_early"):
        assert not isinstance(got, Refusal)
    else:
        assert isinstance(got, Refusal)
        assert got.code == ErrorCode.PAUSED
