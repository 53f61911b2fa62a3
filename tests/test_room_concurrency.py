"""Rooms don't wait for each other: one room's database work never holds up another's.

Channels runs database work in one thread per process by default. The room moves
its units of work off that thread on PostgreSQL, and a broadcast (which needs no
database) doesn't queue behind it at all. The load bench found both limits.
"""

import asyncio
import threading
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import close_old_connections, transaction

from couples import notify
from practice import services
from practice.models import CheckIn
from tests.factories import make_couple
from tests.ws import join

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def room(couple):
    _, alex, sam = couple
    return services.checkin_start(user=alex, agenda="listening"), alex, sam


def path(checkin):
    return f"/ws/c/{checkin.token}/"


async def test_a_broadcast_reaches_the_partner_while_the_database_thread_is_busy(room):
    checkin, alex, sam = room
    a = await join(path(checkin), alex)
    b = await join(path(checkin), sam)
    version, state = await sync_to_async(services.checkin_snapshot)(checkin_id=checkin.pk)
    # Occupy the thread that Channels shares for database work, as a slow query would.
    release = threading.Event()
    busy = asyncio.ensure_future(sync_to_async(release.wait)())
    try:
        await get_channel_layer().group_send(
            notify.room_group(checkin.pk), services.room_message(version + 1, state)
        )
        await b.wait_version(version + 1)
        await a.wait_version(version + 1)
    finally:
        release.set()
        await busy
    await a.ws.disconnect()
    await b.ws.disconnect()


def hold_row_lock(checkin_id: int, locked: threading.Event, release: threading.Event):
    try:
        with transaction.atomic():
            CheckIn.objects.select_for_update().get(pk=checkin_id)
            locked.set()
            release.wait(30)
    finally:
        close_old_connections()


@pytest.mark.services
async def test_a_room_waiting_for_its_row_lock_does_not_hold_up_another_room(room, postgres):
    slow, alex, sam = room
    _, ash, bo = await sync_to_async(make_couple)(
        ("ash@example.com", "Ash"), ("bo@example.com", "Bo")
    )
    fast = await sync_to_async(services.checkin_start)(user=ash, agenda="listening")
    slow_a = await join(path(slow), alex)
    fast_a = await join(path(fast), ash)

    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_row_lock, args=(slow.pk, locked, release))
    holder.start()
    try:
        assert await asyncio.to_thread(locked.wait, 10)
        waiting = await slow_a.act("take_floor")  # blocks on the row lock in the server
        done = await fast_a.act("take_floor")
        reply = await fast_a.reply_to(done, timeout=5)
        assert reply["type"] == "ack"
    finally:
        release.set()
        await asyncio.to_thread(holder.join, 10)
    reply = await slow_a.reply_to(waiting, timeout=10)
    assert reply["type"] == "ack" and reply["version"] == 1
    await slow_a.ws.disconnect()
    await fast_a.ws.disconnect()


async def test_a_presence_reply_to_a_full_queue_does_not_close_the_socket(room):
    """A direct send raises ChannelFull where group_send drops: a process far behind
    (the layer queues per process) must not take its partners' sockets down with it."""
    checkin, alex, _ = room
    a = await join(path(checkin), alex)
    layer = get_channel_layer()
    behind = f"room-test-behind.{uuid.uuid4().hex}"  # queued messages outlive a test run
    for _ in range(layer.get_capacity(behind)):
        await layer.send(behind, {"type": "room.presence"})
    # Sam's socket on a process that is far behind says it's here; Alex's socket replies.
    await layer.group_send(
        notify.room_group(checkin.pk),
        {"type": "room.presence", "role": "b", "status": "here", "channel": behind},
    )
    presence = await a.recv_until("presence", partner_here=True)
    assert presence["partner_here"] is True
    await a.ws.send_json_to({"type": "sync", "version": a.version})
    await a.recv_until("state")  # still open and answering
    await a.ws.disconnect()
