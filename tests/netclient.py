"""A room client over a real network socket (the `websockets` library)."""

import asyncio
import json
import uuid

import websockets
from asgiref.sync import sync_to_async
from django.conf import settings

from tests.ws import session_cookie_for


class RoomClient:
    """One partner's connection to a real server: tracks the newest state and every ack."""

    def __init__(self, server, token: str, user):
        self.server = server
        self.token = token
        self.user = user
        self.ws = None
        self.state = None
        self.version = -1
        self.acks: dict[str, int] = {}
        self.errors: dict[str, dict] = {}
        self.messages: list[dict] = []
        self._reader = None
        self._changed = asyncio.Condition()

    async def connect(self, server=None):
        if server is not None:
            self.server = server
        cookie = await sync_to_async(session_cookie_for)(self.user)
        self.ws = await websockets.connect(
            f"{self.server.ws_url}/ws/c/{self.token}/",
            origin=self.server.url,
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
            open_timeout=10,
        )
        self._reader = asyncio.create_task(self._read())
        await self.wait_for(lambda: self.version >= 0)
        return self

    async def _read(self):
        try:
            async for raw in self.ws:
                message = json.loads(raw)
                self.messages.append(message)
                if message["type"] == "state" and message["version"] >= self.version:
                    self.version = message["version"]
                    self.state = message["state"]
                elif message["type"] == "ack":
                    self.acks[message["client_id"]] = message["version"]
                    if message["version"] > self.version:
                        await self.ws.send(json.dumps({"type": "sync", "version": self.version}))
                elif message["type"] == "error" and message.get("client_id"):
                    self.errors[message["client_id"]] = message
                async with self._changed:
                    self._changed.notify_all()
        except websockets.ConnectionClosed:
            pass
        finally:
            async with self._changed:
                self._changed.notify_all()

    async def wait_for(self, predicate, timeout: float = 10):
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def act(self, name: str, data: dict | None = None, client_id: str | None = None) -> int:
        """Send an action and wait until it is accepted and its state has arrived."""
        client_id = client_id or str(uuid.uuid4())
        await self.ws.send(
            json.dumps(
                {"type": "action", "action": name, "data": data or {}, "client_id": client_id}
            )
        )
        await self.wait_for(lambda: client_id in self.acks or client_id in self.errors)
        if client_id in self.errors:
            raise AssertionError(f"{name} refused: {self.errors[client_id]}")
        version = self.acks[client_id]
        await self.wait_for(lambda: self.version >= version)
        return version

    async def close(self):
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
