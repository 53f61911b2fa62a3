"""WebSocket test helpers: connect as a user through the full ASGI stack."""

import json
import uuid

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

ORIGIN = (b"origin", b"http://testserver")


def session_cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def connect(path: str, user=None, *, origin=ORIGIN, expect=True):
    from config.asgi import application

    headers = [origin] if origin else []
    if user is not None:
        cookie = await sync_to_async(session_cookie_for)(user)
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    if not connected:
        # A refused consumer left running can hang the event loop's teardown.
        await communicator.disconnect()
    if expect:
        assert connected, f"could not connect to {path}"
    return communicator, connected


def action(name: str, data: dict | None = None, client_id: str | None = None) -> dict:
    return {
        "type": "action",
        "action": name,
        "data": data or {},
        "client_id": client_id or str(uuid.uuid4()),
    }


class Client_:
    """One partner's socket, remembering the newest state it has seen."""

    def __init__(self, communicator):
        self.ws = communicator
        self.state = None
        self.version = -1
        self.log: list[dict] = []

    async def recv(self, timeout: float = 3) -> dict:
        message = json.loads(await self.ws.receive_from(timeout=timeout))
        self.log.append(message)
        if message["type"] == "state" and message["version"] >= self.version:
            self.version = message["version"]
            self.state = message["state"]
        return message

    async def recv_until(self, kind: str, timeout: float = 3, **match) -> dict:
        while True:
            message = await self.recv(timeout)
            if message["type"] == kind and all(message.get(k) == v for k, v in match.items()):
                return message

    async def wait_version(self, version: int, timeout: float = 3):
        while self.version < version:
            await self.recv(timeout)

    async def drain(self, timeout: float = 0.2):
        """Read whatever is queued, until quiet."""
        while not await self.ws.receive_nothing(timeout=timeout):
            await self.recv()

    async def act(self, name: str, data: dict | None = None, client_id: str | None = None):
        message = action(name, data, client_id)
        await self.ws.send_to(text_data=json.dumps(message))
        return message["client_id"]

    async def reply_to(self, client_id: str, timeout: float = 3) -> dict:
        while True:
            message = await self.recv(timeout)
            if message.get("client_id") == client_id and message["type"] in ("ack", "error"):
                return message


async def join(path, user) -> Client_:
    communicator, _ = await connect(path, user)
    client = Client_(communicator)
    await client.recv_until("welcome")
    await client.recv_until("state")
    return client
