"""The live room over a real WebSocket stack (origin check, session auth, consumer)."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from couples import services as couple_services
from practice import services
from practice.models import CheckIn, Turn
from tests.factories import make_user
from tests.ws import action, connect, join

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def room(couple):
    _, alex, sam = couple
    checkin = services.checkin_start(user=alex, agenda="listening")
    return checkin, alex, sam


def path(checkin):
    return f"/ws/c/{checkin.token}/"


# --- Who may connect ------------------------------------------------


async def test_anonymous_visitor_is_refused(room):
    checkin, _, _ = room
    _, connected = await connect(path(checkin), None, expect=False)
    assert not connected


async def test_outsider_is_refused_the_same_way(room):
    checkin, _, _ = room
    outsider = await sync_to_async(make_user)("eve@example.com", "Eve")
    _, connected = await connect(path(checkin), outsider, expect=False)
    assert not connected


async def test_unknown_token_is_refused(room):
    _, alex, _ = room
    _, connected = await connect("/ws/c/not-a-room/", alex, expect=False)
    assert not connected


async def test_foreign_origin_is_refused(room):
    checkin, alex, _ = room
    _, connected = await connect(
        path(checkin), alex, origin=(b"origin", b"https://evil.example"), expect=False
    )
    assert not connected


async def test_a_former_partner_is_refused_and_live_sockets_close(room):
    checkin, alex, sam = room
    a = await join(path(checkin), alex)
    b = await join(path(checkin), sam)
    await sync_to_async(couple_services.couple_leave)(user=sam)
    # Both live sockets close with 4403: the couple is over.
    for client in (a, b):
        message = await client.recv_until("error")
        assert message["code"] == "forbidden"
        closed = await client.ws.receive_output(timeout=3)
        while closed["type"] != "websocket.close":
            closed = await client.ws.receive_output(timeout=3)
        assert closed["code"] == 4403
    _, connected = await connect(path(checkin), sam, expect=False)
    assert not connected


# --- A listening round ------------------------------------------------


async def test_two_partners_complete_a_listening_round(room):
    checkin, alex, sam = room
    a = await join(path(checkin), alex)
    b = await join(path(checkin), sam)
    script = [
        (a, "take_floor", {}),
        (a, "share", {"text": "I felt alone on Sunday."}),
        (b, "mirror", {"text": "You felt alone on Sunday."}),
        (a, "confirm", {}),
        (a, "heard", {}),
        (b, "validate", {"text": "That makes sense, I was on my phone."}),
        (b, "empathize", {"text": "Lonely?"}),
        (a, "pass_floor", {}),
    ]
    for who, name, data in script:
        client_id = await who.act(name, data)
        reply = await who.reply_to(client_id)
        assert reply["type"] == "ack", reply
        for client in (a, b):
            await client.wait_version(reply["version"])
    assert a.state["steps"]["listen"]["speaker"] == "b"
    assert b.state["steps"]["listen"]["speaker"] == "b"
    assert "share" in b.state["can"] and "share" not in a.state["can"]
    assert a.version == b.version == len(script)
    turns = await sync_to_async(list)(
        Turn.objects.filter(checkin=checkin).values_list("action", "role")
    )
    assert turns == [(name, "a" if who is a else "b") for who, name, _ in script]
    for client in (a, b):
        await client.ws.disconnect()


async def test_a_refusal_goes_to_the_sender_only_and_the_socket_stays_open(room):
    checkin, alex, sam = room
    a = await join(path(checkin), alex)
    b = await join(path(checkin), sam)
    await a.drain()
    await b.drain()
    client_id = await b.act("share", {"text": "me first"})
    reply = await b.reply_to(client_id)
    assert reply == {
        "type": "error",
        "code": "not_your_turn",
        "message": "First, one of you takes the floor.",
        "client_id": client_id,
    }
    assert await a.ws.receive_nothing(timeout=0.3)
    client_id = await b.act("take_floor")
    assert (await b.reply_to(client_id))["type"] == "ack"
    await a.ws.disconnect()
    await b.ws.disconnect()


async def test_each_partner_receives_only_their_own_view(couple):
    _, alex, sam = couple
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="weekly")
    a = await join(path(checkin), alex)
    b = await join(path(checkin), sam)
    client_id = await a.act("arrive", {"mood": 2, "connection": 3, "word": "bruised"})
    await a.reply_to(client_id)
    raw = await b.ws.receive_from(timeout=3)
    while json.loads(raw)["type"] != "state":
        raw = await b.ws.receive_from(timeout=3)
    assert "bruised" not in raw  # not hidden by the page: absent from the message
    assert json.loads(raw)["state"]["steps"]["arrive"]["answers"] == {"a": {"hidden": True}}
    await a.ws.disconnect()
    await b.ws.disconnect()


# --- Idempotency ------------------------------------------------


async def test_a_repeated_client_id_is_applied_once(room):
    checkin, alex, _ = room
    a = await join(path(checkin), alex)
    message = action("take_floor")
    await a.ws.send_to(text_data=json.dumps(message))
    first = await a.reply_to(message["client_id"])
    await a.ws.send_to(text_data=json.dumps(message))
    second = await a.reply_to(message["client_id"])
    assert first["type"] == second["type"] == "ack"
    assert first["version"] == second["version"] == 1
    assert first["duplicate"] is False and second["duplicate"] is True
    assert await sync_to_async(Turn.objects.filter(checkin=checkin).count)() == 1
    # Resent after a reconnect, it is still applied once.
    await a.ws.disconnect()
    a = await join(path(checkin), alex)
    await a.ws.send_to(text_data=json.dumps(message))
    third = await a.reply_to(message["client_id"])
    assert third["duplicate"] is True
    assert await sync_to_async(Turn.objects.filter(checkin=checkin).count)() == 1
    await a.ws.disconnect()


# --- Bad input ------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_message"),
        ('"hello"', "bad_message"),
        ('{"type": "dance"}', "bad_message"),
        ('{"type": "action", "action": "share", "data": {}}', "bad_message"),
        ('{"type": "action", "action": "share", "client_id": "nope"}', "bad_message"),
        (
            '{"type": "action", "action": 5, "client_id": "8d0c4bd4-7f0c-4a0c-9f59-7c1f0e6b4a11"}',
            "bad_message",
        ),
        (
            '{"type": "action", "action": "share", "data": [1],'
            ' "client_id": "8d0c4bd4-7f0c-4a0c-9f59-7c1f0e6b4a11"}',
            "bad_message",
        ),
    ],
)
async def test_malformed_messages_get_an_error_and_the_socket_stays_open(room, frame, code):
    checkin, alex, _ = room
    a = await join(path(checkin), alex)
    await a.ws.send_to(text_data=frame)
    reply = await a.recv_until("error")
    assert reply["code"] == code
    assert reply["message"]
    client_id = await a.act("take_floor")
    assert (await a.reply_to(client_id))["type"] == "ack"
    await a.ws.disconnect()


async def test_binary_frames_are_refused(room):
    checkin, alex, _ = room
    a = await join(path(checkin), alex)
    await a.ws.send_to(bytes_data=b"\x00\x01")
    assert (await a.recv_until("error"))["code"] == "bad_message"
    await a.ws.disconnect()


async def test_oversized_messages_are_refused_with_their_client_id(room):
    checkin, alex, _ = room
    a = await join(path(checkin), alex)
    message = action("take_floor")
    message["data"] = {"text": "x" * 20_000}
    await a.ws.send_to(text_data=json.dumps({"client_id": message["client_id"], **message}))
    reply = await a.recv_until("error")
    assert reply["code"] == "too_large"
    assert reply["client_id"] == message["client_id"]
    assert await sync_to_async(Turn.objects.filter(checkin=checkin).count)() == 0
    await a.ws.disconnect()


async def test_text_over_2000_characters_is_refused_by_the_room(room):
    checkin, alex, _ = room
    a = await join(path(checkin), alex)
    await a.reply_to(await a.act("take_floor"))
    reply = await a.reply_to(await a.act("share", {"text": "y" * 2001}))
    assert reply["code"] == "too_long"
    reply = await a.reply_to(await a.act("share", {"text": "y" * 2000}))
    assert reply["type"] == "ack"
    await a.ws.disconnect()


async def test_a_flood_is_answered_with_rate_limited(room, settings):
    settings.ROOM_RATE_PER_SECOND = 1
    settings.ROOM_RATE_BURST = 3
    checkin, alex, _ = room
    a = await join(path(checkin), alex)
    for _ in range(10):
        await a.ws.send_to(text_data=json.dumps({"type": "ping", "version": 0}))
    codes = []
    while len(codes) < 10:
        message = await a.recv()
        if message["type"] in ("pong", "state", "error"):
            codes.append(message.get("code", message["type"]))
    assert codes.count("rate_limited") >= 6
    await a.ws.disconnect()


# --- Resync on a gap ------------------------------------------------


class Dropper:
    """Drops room broadcasts on purpose, as a full channel-layer queue would."""

    def __init__(self, monkeypatch, drop: int = 0):
        self.drop = drop
        self.dropped = 0
        layer = get_channel_layer()
        original = layer.group_send

        async def group_send(group, message):
            if message.get("type") == "room.state" and self.drop > 0:
                self.drop -= 1
                self.dropped += 1
                return None
            return await original(group, message)

        monkeypatch.setattr(layer, "group_send", group_send)


async def test_a_dropped_broadcast_loses_nothing_the_client_resyncs(room, monkeypatch):
    checkin, alex, sam = room
    a = await join(path(checkin), alex)
    b = await join(path(checkin), sam)
    await a.drain()
    await b.drain()
    Dropper(monkeypatch, drop=2)
    await a.reply_to(await a.act("take_floor"))
    ack = await a.reply_to(await a.act("share", {"text": "first piece"}))
    assert ack["version"] == 2
    # Neither broadcast arrived: B still sees version 0.
    assert await b.ws.receive_nothing(timeout=0.3)
    assert b.version == 0
    # B's heartbeat carries its version; the server answers with the snapshot it missed.
    await b.ws.send_to(text_data=json.dumps({"type": "ping", "version": b.version}))
    await b.wait_version(2)
    assert b.state["steps"]["listen"]["pieces"][0]["share"] == "first piece"
    assert "mirror" in b.state["can"]
    # A's own state comes right behind each ack, whatever happens to the broadcast.
    await a.wait_version(2)
    await a.ws.disconnect()
    await b.ws.disconnect()


async def test_replaying_received_snapshots_equals_a_fresh_connection(room, monkeypatch):
    """Zulip-style: what a client built from broadcasts equals what a fresh client gets."""
    checkin, alex, sam = room
    a = await join(path(checkin), alex)
    b = await join(path(checkin), sam)
    dropping = Dropper(monkeypatch)
    script = [
        (a, "take_floor", {}),
        (a, "share", {"text": "one"}),
        (b, "mirror", {"text": "uno"}),
        (a, "clarify", {"text": "no, one"}),
        (b, "mirror", {"text": "one"}),
        (a, "confirm", {}),
        (a, "heard", {}),
        (b, "validate", {"text": "makes sense"}),
        (b, "empathize", {"text": "tired?"}),
        (a, "pass_floor", {}),
        (b, "share", {"text": "two"}),
    ]
    for index, (who, name, data) in enumerate(script):
        dropping.drop = 1 if index % 3 == 1 else 0  # drop every third broadcast
        await who.reply_to(await who.act(name, data))
    for client in (a, b):
        await client.ws.send_to(text_data=json.dumps({"type": "ping", "version": client.version}))
        await client.wait_version(len(script))
    assert dropping.dropped == 4
    fresh_b = await join(path(checkin), sam)
    fresh_a = await join(path(checkin), alex)
    for stale, fresh in ((a, fresh_a), (b, fresh_b)):
        assert stale.version == fresh.version
        assert {k: v for k, v in stale.state.items() if k != "can"} == {
            k: v for k, v in fresh.state.items() if k != "can"
        }
    for client in (a, b, fresh_a, fresh_b):
        await client.ws.disconnect()


# --- Presence ------------------------------------------------


async def test_each_partner_sees_whether_the_other_is_in_the_room(room):
    checkin, alex, sam = room
    a = await join(path(checkin), alex)
    # Alone at first: the page can say so instead of "checking".
    assert (await a.recv_until("presence"))["partner_here"] is False
    b = await join(path(checkin), sam)
    assert (await a.recv_until("presence"))["partner_here"] is True
    assert (await b.recv_until("presence", partner_here=True))["partner_here"] is True
    await b.ws.disconnect()
    assert (await a.recv_until("presence"))["partner_here"] is False
    await a.ws.disconnect()


async def test_heartbeats_send_presence_only_when_it_changes(room, monkeypatch):
    checkin, alex, sam = room
    a = await join(path(checkin), alex)
    b = await join(path(checkin), sam)
    assert (await a.recv_until("presence", partner_here=True))["partner_here"] is True
    await b.drain()
    # Sam's heartbeat keeps Sam present for Alex without another frame.
    await b.ws.send_to(text_data=json.dumps({"type": "ping", "version": b.version}))
    assert (await b.recv_until("pong"))["type"] == "pong"
    assert await a.ws.receive_nothing(timeout=0.3)
    # A partner not heard from within the presence window counts as gone at the next ping.
    from practice import consumers

    monkeypatch.setattr(consumers, "PRESENCE_TTL", -1)
    await a.ws.send_to(text_data=json.dumps({"type": "ping", "version": a.version}))
    assert (await a.recv_until("presence"))["partner_here"] is False
    for client in (a, b):
        await client.ws.disconnect()


# --- Concurrency ------------------------------------------------


async def test_simultaneous_actions_are_each_recorded_once_in_one_order(couple):
    _, alex, sam = couple
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="weekly")
    a = await join(path(checkin), alex)
    b = await join(path(checkin), sam)
    replies = await asyncio.gather(
        a.act("arrive", {"mood": 3, "connection": 3}),
        b.act("arrive", {"mood": 4, "connection": 4}),
    )
    for client, client_id in zip((a, b), replies, strict=True):
        assert (await client.reply_to(client_id))["type"] == "ack"
    await asyncio.gather(a.act("next"), b.act("next"))
    # Many rounds of both partners sharing appreciations at the same instant.
    for i in range(3):
        await asyncio.gather(
            a.act("appreciate", {"text": f"a{i}"}), b.act("appreciate", {"text": f"b{i}"})
        )
    version = 2 + 2 + 6
    for client in (a, b):
        await client.wait_version(version)
    turns = await sync_to_async(list)(
        Turn.objects.filter(checkin=checkin).order_by("seq").values_list("seq", "action")
    )
    assert [seq for seq, _ in turns] == list(range(1, version + 1))
    assert a.state["steps"] == b.state["steps"]
    stored = await sync_to_async(CheckIn.objects.get)(pk=checkin.pk)
    assert stored.version == version
    for client in (a, b):
        await client.ws.disconnect()
