"""The Redis channel layer survives an idle blocking receive (redis-py 8's 5 s read timeout).

channels-redis waits for a message with a blocking pop of 5 s; redis-py 8 aborts any
socket read after 5 s unless told otherwise. Left at the default, a consumer's receive
loop raised TimeoutError and its socket closed (found by the load bench).
"""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from channels_redis.core import RedisChannelLayer

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps(settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]))
"""


def layer_host(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "REDIS_SOCKET_TIMEOUT"}}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_the_socket_timeout_outlasts_the_layers_blocking_receive():
    host = layer_host(REDIS_URL="redis://cache.example:6379/2")
    assert host["socket_timeout"] >= 3 * RedisChannelLayer.brpop_timeout
    assert (
        layer_host(REDIS_URL="redis://x:6379/0", REDIS_SOCKET_TIMEOUT="60")["socket_timeout"] == 60
    )


@pytest.mark.services
@pytest.mark.asyncio
async def test_an_idle_receive_outlasts_the_blocking_pop_then_gets_its_message(redis_url):
    from django.conf import settings

    host = {**layer_host(REDIS_URL=redis_url), "address": redis_url}
    layer = RedisChannelLayer(hosts=[host], prefix=f"{settings.CHANNEL_LAYER_PREFIX}-idle")
    channel = await layer.new_channel()
    wait = RedisChannelLayer.brpop_timeout + 1.5

    async def send_later():
        await asyncio.sleep(wait)
        await layer.send(channel, {"type": "room.state", "version": 7})

    sender = asyncio.create_task(send_later())
    try:
        message = await asyncio.wait_for(layer.receive(channel), wait + 10)
    finally:
        await sender
        await layer.flush()
    assert message == {"type": "room.state", "version": 7}
