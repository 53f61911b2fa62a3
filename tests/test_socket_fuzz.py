"""The room's socket under random and malformed frames: it answers, never dies, never corrupts.

Hypothesis writes the frames; each one is sent through the full ASGI stack (origin check,
session auth, the consumer), followed by a ping whose `pong` proves the socket is still
served. A frame that was not acknowledged must leave the check-in exactly as it was
(state, version, turn log); one that was must have added exactly one turn.

All examples share one event loop (a thread of its own): channel-layer queues belong to
the loop that made them.
"""

import asyncio
import json
import threading
import uuid

import pytest
from asgiref.sync import sync_to_async
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from practice import flow, services
from practice.flow.engine import ACTIONS
from practice.models import CheckIn, Turn
from tests.ws import join

pytestmark = pytest.mark.django_db(transaction=True)

SENTINEL = json.dumps({"type": "ping", "version": 2**31})

# --- Strategies ------------------------------------------------------------------

# Raw frames arrive as UTF-8 over a real socket: no lone surrogates there (JSON escapes
# can still carry them, and the structured frames below do).
raw_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=120)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
# Action names the room knows (minus the two that end or freeze it for every later
# example), and some it doesn't.
action_names = st.sampled_from(sorted(set(ACTIONS) - {"end_early", "call_break"})) | st.text(
    max_size=12
)
DATA_KEYS = ["text", "reply", "word", "mood", "connection", "kept", "id", "item", "version"]
DATA_KEYS += ["rating", "question", "statement", "consequence", "review_weeks", "boundary"]
data_keys = st.sampled_from([*DATA_KEYS, "decision", "early"])
action_data = st.dictionaries(data_keys, json_values, max_size=4) | json_values
client_ids = st.uuids().map(str) | st.text(max_size=40) | st.integers() | st.none()
messages = st.fixed_dictionaries(
    {"type": st.sampled_from(["action", "action", "action", "sync", "ping"]) | st.text(max_size=6)},
    optional={
        "action": action_names,
        "data": action_data,
        "client_id": client_ids,
        "version": json_values,
    },
)


@st.composite
def mutated(draw):
    """A well-formed action with one character cut, doubled or replaced."""
    frame = json.dumps(
        {
            "type": "action",
            "action": draw(action_names),
            "data": {"text": draw(st.text(max_size=20))},
            "client_id": str(draw(st.uuids())),
        }
    )
    at = draw(st.integers(0, len(frame) - 1))
    how = draw(st.sampled_from(["cut", "double", "replace"]))
    if how == "cut":
        return frame[:at] + frame[at + 1 :]
    if how == "double":
        return frame[:at] + frame[at] + frame[at:]
    return frame[:at] + draw(st.sampled_from('{}[]":,\\x0 ')) + frame[at + 1 :]


SPECIAL = [
    "[" * 5000 + "]" * 5000,  # nesting deeper than the JSON parser's recursion limit
    '{"a":' * 3000 + "1" + "}" * 3000,
    '{"type": "ping", "version": NaN}',
    '{"type": "action", "action": "share", "data": {"text": Infinity}, "client_id": "'
    + str(uuid.uuid4())
    + '"}',
    json.dumps({"type": "action", "action": "share", "data": {"text": "a\u0000b"}}),
    json.dumps({"type": "action", "action": "share", "data": {"text": "a\ud800b"}}),
    "x" * 17_000,
    "",
    "null",
    "1e999999",
    "9" * 5000,
]

frames = st.one_of(
    raw_text,
    st.binary(max_size=64),
    json_values.map(json.dumps),
    messages.map(json.dumps),
    mutated(),
    st.sampled_from(SPECIAL),
)


# --- The loop thread ---------------------------------------------------------------


class LoopThread:
    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro, timeout=30):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


async def send(client, frame) -> list[dict]:
    """Send one frame, then the sentinel ping; everything the server said until its pong."""
    # send_input, not send_to: empty frames are frames too.
    key = "bytes" if isinstance(frame, bytes) else "text"
    await client.ws.send_input({"type": "websocket.receive", key: frame})
    await client.ws.send_to(text_data=SENTINEL)
    replies = []
    while True:
        message = await client.recv(timeout=5)
        if message["type"] == "pong":
            return replies
        replies.append(message)


def stored(checkin_id: int) -> tuple[int, dict, int]:
    checkin = CheckIn.objects.get(pk=checkin_id)
    return checkin.version, checkin.state, Turn.objects.filter(checkin=checkin).count()


@pytest.fixture
def fuzz_room(couple, settings):
    settings.ROOM_RATE_PER_SECOND = 10_000
    settings.ROOM_RATE_BURST = 10_000
    _, alex, sam = couple
    checkin = services.checkin_start(user=alex, agenda="weekly")
    loop = LoopThread()
    client = loop.run(join(f"/ws/c/{checkin.token}/", alex))
    yield loop, client, checkin, alex
    loop.run(client.ws.disconnect())
    loop.close()


def test_random_and_malformed_frames_never_crash_or_corrupt_the_room(fuzz_room):
    loop, client, checkin, alex = fuzz_room
    seen = {"acked": 0, "refused": 0}

    @hsettings(
        max_examples=120,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(batch=st.lists(frames, min_size=1, max_size=3))
    def check(batch):
        for frame in batch:
            before = stored(checkin.pk)
            replies = loop.run(send(client, frame))  # the pong came: the socket is served
            after = stored(checkin.pk)
            acks = [m for m in replies if m["type"] == "ack" and not m["duplicate"]]
            if acks:
                seen["acked"] += 1
                assert len(acks) == 1
                assert after[0] == before[0] + 1 == acks[0]["version"]
                assert after[2] == before[2] + 1
            else:
                seen["refused"] += 1
                assert after == before, f"refused frame changed the room: {frame!r}"
            for message in replies:
                assert message["type"] in {"ack", "error", "state", "presence"}, message
                if message["type"] == "error":
                    assert message["code"] in {c.value for c in flow.ErrorCode}
                    assert message["message"]

    check()
    assert seen["refused"] > 50  # the fuzz reached the refusals, not only the happy path
    # The room still works and is whole: version = turns = last seq; a fresh view agrees.
    version, state, turns = stored(checkin.pk)
    assert version == turns
    seqs = list(Turn.objects.filter(checkin=checkin).values_list("seq", flat=True))
    assert seqs == list(range(1, version + 1))
    fresh = loop.run(join(f"/ws/c/{checkin.token}/", alex))
    assert fresh.version == client.version == version
    assert {k: v for k, v in fresh.state.items() if k != "can"} == {
        k: v for k, v in client.state.items() if k != "can"
    }
    loop.run(fresh.ws.disconnect())


# --- What the fuzz found, pinned ------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("frame", "code"),
    [
        pytest.param("[" * 5000 + "]" * 5000, "bad_json", id="deep-nesting"),
        pytest.param('{"type": "ping", "version": NaN}', "bad_json", id="nan"),
        pytest.param(
            json.dumps(
                {
                    "type": "action",
                    "action": "take_floor",
                    "data": {"note": "a\u0000b"},
                    "client_id": "8d0c4bd4-7f0c-4a0c-9f59-7c1f0e6b4a11",
                }
            ),
            "invalid",
            id="nul",
        ),
        pytest.param(
            json.dumps(
                {
                    "type": "action",
                    "action": "take_floor",
                    "data": {"note": "a\ud800b"},
                    "client_id": "8d0c4bd4-7f0c-4a0c-9f59-7c1f0e6b4a11",
                }
            ),
            "invalid",
            id="lone-surrogate",
        ),
    ],
)
async def test_frames_that_used_to_kill_the_consumer_are_refused(couple, frame, code):
    """Before the fix: RecursionError and UnicodeEncodeError killed the consumer (socket
    closed, the client's resend of the same action killed it again), and NUL came back as
    `unavailable` on PostgreSQL, which clients retry for ever."""
    _, alex, _ = couple
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="listening")
    a = await join(f"/ws/c/{checkin.token}/", alex)
    await a.ws.send_to(text_data=frame)
    reply = await a.recv_until("error")
    assert reply["code"] == code
    if code == "invalid":
        assert reply["client_id"] == "8d0c4bd4-7f0c-4a0c-9f59-7c1f0e6b4a11"
    assert (await sync_to_async(stored)(checkin.pk))[0] == 0
    assert (await a.reply_to(await a.act("take_floor")))["type"] == "ack"  # still served
    await a.ws.disconnect()
