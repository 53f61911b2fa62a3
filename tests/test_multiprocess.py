"""Two real Daphne processes sharing one Redis: partners on different processes share a room."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from practice import services
from practice.models import Turn
from tests.netclient import RoomClient
from tests.servers import DaphneServer

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.services,
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
]


async def wait_version(clients, version, timeout=10):
    for client in clients:
        await client.wait_for(lambda c=client: c.version >= version, timeout)


async def test_partners_on_two_processes_then_one_process_dies(redis_url, couple):
    _, alex, sam = couple
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="listening")
    one = DaphneServer(redis_url=redis_url).start()
    two = DaphneServer(redis_url=redis_url).start()
    try:
        a = await RoomClient(one, checkin.token, alex).connect()
        b = await RoomClient(two, checkin.token, sam).connect()
        round_one = [
            (a, "take_floor", {}),
            (a, "share", {"text": "I missed you this week."}),
            (b, "mirror", {"text": "You missed me."}),
            (a, "clarify", {"text": "Missed us, really: our evenings."}),
            (b, "mirror", {"text": "You missed our evenings together."}),
            (a, "confirm", {}),
            (a, "heard", {}),
            (b, "validate", {"text": "That makes sense; I've been out a lot."}),
            (b, "empathize", {"text": "Lonely?"}),
            (a, "pass_floor", {}),
        ]
        accepted = []
        for who, name, data in round_one:
            version = await who.act(name, data)
            accepted.append(version)
            await wait_version((a, b), version)  # the other process's partner sees it too
        assert a.state["steps"]["listen"]["speaker"] == "b"
        assert b.state["steps"]["listen"]["speaker"] == "b"
        before = a.version

        # Process one dies mid-check-in. A reconnects to the other process.
        one.kill()
        await asyncio.sleep(0.2)
        await a.close()
        a = await RoomClient(two, checkin.token, alex).connect()
        assert a.version == before  # resumes exactly where the room was
        assert a.state == {**b.state, "you": "a", "partner": "b", "can": a.state["can"]}

        round_two = [
            (b, "share", {"text": "I've felt stretched thin."}),
            (a, "mirror", {"text": "You've been stretched thin."}),
            (b, "confirm", {}),
        ]
        for who, name, data in round_two:
            version = await who.act(name, data)
            accepted.append(version)
            await wait_version((a, b), version)
        assert accepted == list(range(1, len(round_one) + len(round_two) + 1))
        seqs = await sync_to_async(list)(
            Turn.objects.filter(checkin=checkin).order_by("seq").values_list("seq", flat=True)
        )
        assert seqs == accepted  # no turn lost, none doubled
        await a.close()
        await b.close()
    finally:
        one.stop()
        two.stop()
