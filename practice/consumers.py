"""WebSocket consumers: thin. Authenticate, parse and size-check, call a service, send.

No authoritative state lives here. The room's truth is the check-in row; what a
consumer keeps (the last version it sent, who else is connected) is a hint it
can lose on a restart without losing anything a partner did.
"""

import asyncio
import contextlib
import json
import logging
import re
import time
import uuid
import weakref

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import ChannelFull
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError, connection

from couples import notify

from . import flow, services
from .flow import ErrorCode, Refusal
from .protocol import welcome_message

log = logging.getLogger(__name__)

CLOSE_ACCESS_REVOKED = 4403
PRESENCE_TTL = 75
CLIENT_ID_RE = re.compile(
    r'"client_id"\s*:\s*"([0-9a-fA-F-]{36})"'
)  # seconds without news from a partner's socket before it counts as gone


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: Python accepts them, JSON doesn't


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def storable(value) -> bool:
    """False when any string (key or value) holds a NUL or a lone surrogate.

    JSON escapes can carry both ("\\u0000", "\\ud800"); PostgreSQL refuses NUL in text
    and JSON, and neither database can encode a lone surrogate, so such an action would
    crash the consumer or come back as `unavailable` for ever. Iterative: parsed JSON
    can be hundreds of levels deep.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item or _SURROGATE_RE.search(item):
                return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True


class TokenBucket:
    def __init__(self, rate: float, burst: int):
        self.rate = rate
        self.capacity = burst
        self.tokens = float(burst)
        self.updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def room_db(func):
    """Run one unit of the room's database work in a worker thread.

    Channels' default (thread_sensitive) runs every consumer's database work of a
    process in one shared thread, so each action waits for every other room's
    round trips. The room's units are independent (each owns its transaction;
    the row lock orders a room's actions), so on a database that takes concurrent
    writers they run in the event loop's pool instead. SQLite takes one writer at
    a time: there the shared thread queues them better than its busy timeout.
    """
    parallel = connection.vendor != "sqlite"
    return database_sync_to_async(func, thread_sensitive=not parallel)


_room_locks: "weakref.WeakValueDictionary[int, asyncio.Lock]" = weakref.WeakValueDictionary()


def room_lock(checkin_id: int) -> asyncio.Lock:
    """One action at a time per room in this process, in arrival order (the shared
    thread's order), while different rooms' actions run side by side."""
    lock = _room_locks.get(checkin_id)
    if lock is None:
        lock = _room_locks[checkin_id] = asyncio.Lock()
    return lock


class RoomConsumer(AsyncWebsocketConsumer):
    access: services.RoomAccess | None = None

    async def connect(self):
        token = self.scope["url_route"]["kwargs"]["token"]
        user = self.scope.get("user")
        self.access = None
        if user is not None and user.is_authenticated:
            self.access = await room_db(services.room_access)(user=user, token=token)
        if self.access is None:
            # Refuse the handshake the same way whatever the reason: nothing leaks.
            await self.close()
            return
        self.user = user
        self.role = self.access.role
        self.group = notify.room_group(self.access.checkin_id)
        self.sent_version = -1
        self.partner_seen: dict[str, float] = {}
        self.bucket = TokenBucket(settings.ROOM_RATE_PER_SECOND, settings.ROOM_RATE_BURST)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(notify.user_group(user.pk), self.channel_name)
        await self.accept()
        welcome = await room_db(welcome_message)(self.access.checkin_id, self.role)
        await self.send_json(welcome)
        await self.send_snapshot()
        # Alone until a partner's socket answers the announcement below.
        await self.send_presence()
        await self.announce_presence("here")

    async def disconnect(self, code):
        if self.access is None:
            return
        await self.announce_presence("gone")
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.channel_layer.group_discard(notify.user_group(self.user.pk), self.channel_name)

    async def dispatch(self, message):
        # Channels runs close_old_connections in its shared database thread before every
        # message, even a broadcast that needs no database. Every database call here goes
        # through database_sync_to_async, which does that cleanup in its own thread, so
        # the room skips the extra hop: a partner's new state no longer queues behind
        # other rooms' database work.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            return await super().dispatch(message)
        return await handler(message)

    # --- From the client ------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if bytes_data is not None or text_data is None:
            return await self.send_error(ErrorCode.BAD_MESSAGE, "Send JSON text frames.")
        if len(text_data) > settings.ROOM_MAX_MESSAGE_BYTES or (
            len(text_data.encode("utf-8", "surrogatepass")) > settings.ROOM_MAX_MESSAGE_BYTES
        ):
            return await self.send_error(
                ErrorCode.TOO_LARGE, client_id=self._client_id_of(text_data)
            )
        if not self.bucket.take():
            return await self.send_error(
                ErrorCode.RATE_LIMITED, client_id=self._client_id_of(text_data)
            )
        try:
            message = json.loads(text_data, parse_constant=_refuse_constant)
        except (ValueError, RecursionError):  # deep nesting must not kill the consumer
            return await self.send_error(ErrorCode.BAD_JSON)
        if not isinstance(message, dict):
            return await self.send_error(ErrorCode.BAD_MESSAGE, "Send a JSON object.")
        if not storable(message):
            raw_id = message.get("client_id")
            return await self.send_error(
                ErrorCode.INVALID,
                "That has a character the room can't keep (a NUL or a broken one). "
                "Remove it and send again.",
                client_id=raw_id if isinstance(raw_id, str) and storable(raw_id) else None,
            )
        kind = message.get("type")
        if kind == "action":
            return await self.handle_action(message)
        if kind in ("sync", "ping"):
            return await self.handle_sync(message, ping=kind == "ping")
        return await self.send_error(
            ErrorCode.BAD_MESSAGE, "“type” must be one of action, sync or ping."
        )

    async def handle_action(self, message: dict):
        raw_id = message.get("client_id")
        try:
            client_id = uuid.UUID(raw_id) if isinstance(raw_id, str) else None
        except ValueError:
            client_id = None
        if client_id is None:
            return await self.send_error(ErrorCode.BAD_MESSAGE, "“client_id” must be a UUID.")
        action = message.get("action")
        data = message.get("data", {})
        if not isinstance(action, str) or not isinstance(data, dict | None):
            return await self.send_error(
                ErrorCode.BAD_MESSAGE,
                "“action” must be a name and “data” an object.",
                client_id=raw_id,
            )
        try:
            async with room_lock(self.access.checkin_id):
                result = await room_db(services.checkin_act)(
                    checkin_id=self.access.checkin_id,
                    user=self.user,
                    action=action,
                    data=data,
                    client_id=client_id,
                )
        except DatabaseError:
            log.warning("room %s: database unavailable", self.access.checkin_id, exc_info=True)
            return await self.send_error(ErrorCode.UNAVAILABLE, client_id=raw_id)
        if isinstance(result, services.Refused):
            await self.send_json({"type": "error", **result.refusal.as_dict(), "client_id": raw_id})
            if result.refusal.code == ErrorCode.FORBIDDEN:
                await self.close(code=CLOSE_ACCESS_REVOKED)
            return None
        await self.send_json(
            {
                "type": "ack",
                "client_id": raw_id,
                "version": result.version,
                "duplicate": result.duplicate,
            }
        )
        if result.duplicate:
            # The first attempt may have been stored without anyone hearing of it (the
            # database went away at COMMIT): tell the whole room, not only this socket.
            try:
                version, state = await room_db(services.checkin_snapshot)(
                    checkin_id=self.access.checkin_id
                )
            except DatabaseError:
                return None  # the ack is out; a client behind it asks for a sync
            await self.channel_layer.group_send(self.group, services.room_message(version, state))
            return None
        # This socket has the new state at once, right behind its ack; the room's copy
        # (which comes back here too, and is then not newer) can lag behind a busy
        # process's queue, and an ack left ahead of its state makes the client resync:
        # under load that doubled the work of every action.
        await self.send_state(result.version, result.state)
        # Everyone in the room gets the new state.
        await self.channel_layer.group_send(
            self.group, services.room_message(result.version, result.state)
        )
        return None

    async def handle_sync(self, message: dict, *, ping: bool):
        version = message.get("version")
        if ping:
            # A heartbeat for the partner's presence; no reply needed, they ping too.
            await self.announce_presence("here", reply=False)
            if self._expire_presence():
                await self.send_presence()
        try:
            if ping and isinstance(version, int) and not isinstance(version, bool):
                current = await room_db(services.checkin_version)(checkin_id=self.access.checkin_id)
                if current <= version:
                    return await self.send_json({"type": "pong", "version": current})
            await self.send_snapshot(force=True)
        except DatabaseError:
            return await self.send_error(ErrorCode.UNAVAILABLE)
        return None

    # --- From the channel layer -------------------------------------------------

    async def room_state(self, event):
        await self.send_state(event["version"], event["state"])

    async def room_presence(self, event):
        if event["role"] == self.role:
            return
        was_here = bool(self.partner_seen)
        if event["status"] == "here":
            self.partner_seen[event["channel"]] = time.monotonic()
            if event.get("reply", True):
                # Tell the newcomer we're here too, directly. A direct send raises when the
                # newcomer's process is far behind (its queue full) where group_send drops;
                # presence is a hint, so that must not end this socket.
                with contextlib.suppress(ChannelFull):
                    await self.channel_layer.send(
                        event["channel"],
                        {
                            "type": "room.presence",
                            "role": self.role,
                            "status": "here",
                            "channel": self.channel_name,
                            "reply": False,
                        },
                    )
        else:
            self.partner_seen.pop(event["channel"], None)
        # Only a change is worth a frame: heartbeats just keep the partner's entry fresh.
        if was_here != bool(self.partner_seen):
            await self.send_presence()

    async def access_revoked(self, event):
        if event["couple_id"] == self.access.couple_id:
            await self.send_json({"type": "error", **Refusal(ErrorCode.FORBIDDEN).as_dict()})
            await self.close(code=CLOSE_ACCESS_REVOKED)

    # --- Sending ----------------------------------------------------------------

    async def send_json(self, content: dict):
        await self.send(text_data=json.dumps(content, separators=(",", ":")))

    async def send_error(self, code: ErrorCode, message: str | None = None, client_id=None):
        payload = {"type": "error", **Refusal(code, message).as_dict()}
        payload["client_id"] = client_id
        await self.send_json(payload)

    async def send_snapshot(self, force: bool = False):
        version, state = await room_db(services.checkin_snapshot)(checkin_id=self.access.checkin_id)
        await self.send_state(version, state, force=force)

    async def send_state(self, version: int, state: dict, force: bool = False):
        # Group messages from two processes can arrive out of order: never go back.
        if version <= self.sent_version and not force:
            return
        self.sent_version = max(self.sent_version, version)
        now = services.now_ts()
        await self.send_json(
            {
                "type": "state",
                "version": version,
                "server_time": now,
                "state": flow.view(state, self.role, now),
            }
        )

    async def send_presence(self):
        self._expire_presence()
        await self.send_json({"type": "presence", "partner_here": bool(self.partner_seen)})

    async def announce_presence(self, status: str, *, reply: bool = True):
        await self.channel_layer.group_send(
            self.group,
            {
                "type": "room.presence",
                "role": self.role,
                "status": status,
                "channel": self.channel_name,
                "reply": reply,
            },
        )

    def _expire_presence(self) -> bool:
        """Forget partner sockets not heard from for a while; True if that made them gone."""
        was_here = bool(self.partner_seen)
        cutoff = time.monotonic() - PRESENCE_TTL
        for channel, seen in list(self.partner_seen.items()):
            if seen < cutoff:
                del self.partner_seen[channel]
        return was_here and not self.partner_seen

    @staticmethod
    def _client_id_of(text: str) -> str | None:
        """Best effort, without parsing a huge frame: a client_id at either end of it."""
        for part in (text[:512], text[-512:]):
            found = CLIENT_ID_RE.search(part)
            if found:
                return found.group(1).lower()
        return None


class NotificationsConsumer(AsyncWebsocketConsumer):
    """The dashboard's live line: a check-in started, the partner joined or left."""

    async def connect(self):
        from couples.selectors import active_couple

        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        couple = await database_sync_to_async(active_couple)(user)
        self.user = user
        self.groups_joined = [notify.user_group(user.pk)]
        self.couple_id = couple.pk if couple else None
        if couple is not None:
            self.groups_joined.append(notify.couple_group(couple.pk))
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        return None  # listen-only

    async def checkin_started(self, event):
        await self.send(
            text_data=json.dumps(
                {
                    "type": "checkin_started",
                    "url": event["url"],
                    "agenda": event["agenda"],
                    "by_you": event["by"] == self.user.pk,
                    "by_name": event["by_name"],
                }
            )
        )

    async def couple_changed(self, event):
        await self.send(text_data=json.dumps({"type": "couple_changed"}))

    async def room_state(self, event):
        return None

    async def access_revoked(self, event):
        await self.send(text_data=json.dumps({"type": "couple_changed"}))
        await self.close(code=CLOSE_ACCESS_REVOKED)
