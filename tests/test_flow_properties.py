"""Random action sequences never raise and always keep the room's invariants."""

import copy
import json

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from practice import flow
from practice.flow import Refusal
from practice.flow.engine import BREAK_PAUSE_AFTER
from tests.flow_helpers import T0, valid_data

# end_early ends everything, so it is drawn rarely (below), not here.
ACTION_NAMES = [*sorted(set(flow.ACTIONS) - {"end_early"}), "dance", ""]

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 9),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=2),
)
payloads = st.one_of(
    st.just("valid"),
    st.just("valid"),
    st.just("valid"),
    st.dictionaries(
        st.sampled_from(["text", "mood", "connection", "rating", "id", "early", "kept", "word"]),
        junk,
        max_size=4,
    ),
)
steps = st.tuples(
    st.sampled_from(flow.ROLES),
    st.sampled_from(ACTION_NAMES),
    payloads,
    st.sampled_from([0, 1, 5, 60, 1200, BREAK_PAUSE_AFTER]),
)


def check_invariants(state):
    assert state["status"] in (flow.ACTIVE, flow.PAUSED, flow.FINISHED, flow.ENDED)
    step = flow.current_step(state)
    data = state["steps"][step.key]
    if step.kind == "floor":
        # Exactly one floor holder while a round is under way, none otherwise.
        if data["phase"] in ("choose", "done"):
            assert data["speaker"] is None
        else:
            assert data["speaker"] in flow.ROLES
        assert 0 <= data["rounds_done"] <= data["rounds"]
    if state["break"] is not None:
        assert state["status"] == flow.ACTIVE
        assert state["break"]["ends_at"] > state["break"]["started_at"]
    for role in flow.ROLES:
        json.dumps(flow.view(state, role, T0))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agenda=st.sampled_from(sorted(flow.AGENDAS)), data=st.data())
def test_random_sequences_keep_the_invariants(agenda, data):
    state = flow.new_state(agenda, now=T0, last_commitments={"a": "walk"})
    now = T0
    for _ in range(data.draw(st.integers(0, 160), label="length")):
        role, action, payload, dt = data.draw(steps)
        # Mostly pick something the partner may do now, so runs get deep into the agenda.
        allowed = set(flow.allowed(state, role, now + dt))
        # Hypothesis favours boundary values, so the rare picks sit mid-range.
        rare = data.draw(st.integers(0, 199))
        if rare == 117 and "end_early" in allowed:
            action = "end_early"
        elif 50 <= rare <= 53 and "call_break" in allowed:
            action = "call_break"
        elif allowed - {"end_early", "call_break"} and data.draw(st.integers(0, 9)) not in (4, 5):
            action = data.draw(st.sampled_from(sorted(allowed - {"end_early", "call_break"})))
        now += dt
        ticked = flow.tick(state, now)
        if ticked is not None:
            state = ticked.state
        before = copy.deepcopy(state)
        payload_data = valid_data(state, role, action) if payload == "valid" else payload
        result = flow.apply(state, role, action, payload_data, now)
        assert state == before, "apply mutated its input"
        if isinstance(result, Refusal):
            assert result.code in flow.ErrorCode
            assert result.message
            continue
        new = result.state
        if before["break"] is not None:
            # Nothing is recorded during a break: only the break itself may change.
            assert action in ("resume", "end_early")
            assert new["steps"] == before["steps"]
            assert new["step"] == before["step"]
        if before["status"] != flow.ACTIVE:
            assert action in ("reopen", "end_early")
        assert new["step"] >= before["step"]
        assert result.turn.action == action
        assert result.turn.actor == role
        check_invariants(new)
        state = new
    event(f"{agenda} reached step {state['step']} ({state['status']})")
    check_invariants(state)
