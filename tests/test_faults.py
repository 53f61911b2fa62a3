"""Faults with real processes: Redis restarted, a Daphne killed, the database cut mid-write.

Each test runs real Daphne processes (tests/servers.py) on the test database and a private
redis-server of its own on a free port (so the shared Redis other engineers use is never
touched), and talks to them over real sockets (the `websockets` library), as browsers do.
What must hold: every acknowledged action is in the database exactly once, resends with the
same client_id are applied at most once, and both partners end on the same version.
"""

import asyncio
import contextlib
import json
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid

import pytest
import redis
import websockets
from asgiref.sync import sync_to_async
from django.conf import settings

from practice import services
from practice.models import CheckIn, Turn
from tests import servers
from tests.servers import DaphneServer, free_port
from tests.ws import session_cookie_for

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.services,
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
]


# --- A private Redis ------------------------------------------------------------------------


class PrivateRedis:
    """redis-server on a port of its own, without persistence: a restart loses everything
    in it, as a crashed cache would."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(5)


@pytest.fixture
def private_redis(redis_url):
    """A redis-server of this test's own (`redis_url` only says Redis belongs in this run)."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis().start()
    yield server
    server.kill()


# --- A room client that survives faults ----------------------------------------------------


class Partner:
    """One partner's socket: remembers acks, errors and the newest state; can reconnect."""

    def __init__(self, token: str, user):
        self.token = token
        self.user = user
        self.ws = None
        self.version = -1
        self.state = None
        self.acks: dict[str, dict] = {}
        self.errors: dict[str, dict] = {}
        self.closed = asyncio.Event()
        self.reader = None

    async def connect(self, server, timeout: float = 15):
        """Connect (retrying while the server can't take us yet) and wait for the state."""
        cookie = await sync_to_async(session_cookie_for)(self.user)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.ws = await websockets.connect(
                    f"{server.ws_url}/ws/c/{self.token}/",
                    origin=server.url,
                    additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
                    open_timeout=3,
                )
                break
            except (OSError, websockets.InvalidHandshake, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
        self.closed = asyncio.Event()
        self.reader = asyncio.create_task(self._read())
        await self.until(lambda: self.state is not None and self.version >= 0)
        return self

    async def _read(self):
        try:
            async for raw in self.ws:
                message = json.loads(raw)
                if message["type"] == "state" and message["version"] >= self.version:
                    self.version, self.state = message["version"], message["state"]
                elif message["type"] == "ack":
                    self.acks[message["client_id"]] = message
                elif message["type"] == "error" and message.get("client_id"):
                    self.errors[message["client_id"]] = message
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed.set()

    async def until(self, predicate, timeout: float = 10):
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; version {self.version}")
            await asyncio.sleep(0.02)

    async def send(self, action: str, data=None, client_id: str | None = None) -> str:
        client_id = client_id or str(uuid.uuid4())
        self.errors.pop(client_id, None)  # a resend's answer is the one that counts
        self.acks.pop(client_id, None)
        frame = {"type": "action", "action": action, "data": data or {}, "client_id": client_id}
        await self.ws.send(json.dumps(frame))
        return client_id

    async def act(self, action: str, data=None, client_id: str | None = None) -> int:
        """Send and wait for the ack and its state; fail on a refusal."""
        client_id = await self.send(action, data, client_id)
        await self.until(lambda: client_id in self.acks or client_id in self.errors)
        assert client_id not in self.errors, self.errors[client_id]
        version = self.acks[client_id]["version"]
        await self.sync_to(version)
        return version

    async def sync_to(self, version: int):
        if self.version < version:  # the broadcast may be lost: ask (protocol duty 3)
            await self.ws.send(json.dumps({"type": "sync", "version": self.version}))
        await self.until(lambda: self.version >= version)

    async def close(self):
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


def turns(checkin) -> list[tuple[int, str | None]]:
    return list(
        Turn.objects.filter(checkin=checkin).order_by("seq").values_list("seq", "client_id")
    )


def assert_log_whole(checkin, acked: dict[str, int]):
    """Versions 1..N, one turn each; every acked client_id once, at its acked version."""
    log = turns(checkin)
    stored = CheckIn.objects.get(pk=checkin.pk)
    assert [seq for seq, _ in log] == list(range(1, stored.version + 1))
    by_client = {str(cid): seq for seq, cid in log if cid is not None}
    assert len(by_client) == len([cid for _, cid in log if cid is not None])  # no doubles
    for client_id, version in acked.items():
        assert by_client.get(client_id) == version, client_id


# --- Redis restarted mid-check-in ---------------------------------------------------------------


async def test_redis_restarted_mid_checkin_rooms_recover_and_no_accepted_turn_is_lost(
    private_redis, couple
):
    _, alex, sam = couple
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="listening")
    one = DaphneServer(redis_url=private_redis.url).start()
    two = DaphneServer(redis_url=private_redis.url).start()
    acked = {}
    try:
        a = await Partner(checkin.token, alex).connect(one)
        b = await Partner(checkin.token, sam).connect(two)  # across processes, through Redis
        for who, name, data in [
            (a, "take_floor", {}),
            (a, "share", {"text": "Work has been heavy."}),
            (b, "mirror", {"text": "Work's been heavy."}),
        ]:
            version = await who.act(name, data, cid := str(uuid.uuid4()))
            acked[cid] = version
            await b.until(lambda v=version: b.version >= v)  # B sees A's turns via Redis

        private_redis.kill()
        # While Redis is down, A confirms. The database takes it; telling the room can't work.
        during = await a.send("confirm")
        await a.until(lambda: during in a.acks or a.closed.is_set())
        # Every consumer's channel-layer read fails with Redis gone: both sockets close, the
        # idle one too, so no socket is left open but deaf to its room.
        await a.until(lambda: a.closed.is_set() and b.closed.is_set())
        private_redis.start()  # same port, empty: every group and queue is gone
        committed = await sync_to_async(
            Turn.objects.filter(checkin=checkin, client_id=during).exists
        )()

        # Both clients find their sockets gone (or going) and reconnect.
        for partner, server in ((a, one), (b, two)):
            if not partner.closed.is_set():
                await partner.close()
            await partner.connect(server)
        # A resends what it never saw acknowledged, with the same client_id.
        version = await a.act("confirm", client_id=during)
        assert a.acks[during]["duplicate"] is committed  # applied once either way
        acked[during] = version
        await b.sync_to(version)
        # The room works across processes again: broadcasts reach the other process.
        cid = str(uuid.uuid4())
        acked[cid] = await a.act("heard", client_id=cid)
        await b.until(lambda: b.version == acked[cid])
        assert b.state["steps"]["listen"]["phase"] == "validate"
        await sync_to_async(assert_log_whole)(checkin, acked)
        await a.close()
        await b.close()
    finally:
        one.stop()
        two.stop()


# --- A Daphne process killed --------------------------------------------------------------------


async def test_a_daphne_killed_with_an_action_in_flight_applies_it_once_after_reconnecting(
    private_redis, couple
):
    """tests/test_multiprocess.py kills a process between actions; here it dies while an
    action is on the wire, so nobody knows whether it was applied. The client resends it
    with the same client_id on another process: applied exactly once either way."""
    _, alex, sam = couple
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="listening")
    one = DaphneServer(redis_url=private_redis.url).start()
    two = DaphneServer(redis_url=private_redis.url).start()
    acked = {}
    try:
        a = await Partner(checkin.token, alex).connect(one)
        b = await Partner(checkin.token, sam).connect(two)
        cid = str(uuid.uuid4())
        acked[cid] = await a.act("take_floor", client_id=cid)
        in_flight = await a.send("share", {"text": "The house feels quiet lately."})
        one.kill()  # no goodbye: the socket just drops
        await a.until(a.closed.is_set)
        await a.connect(two)
        acked[in_flight] = await a.act("share", {"text": "ignored if applied"}, in_flight)
        assert a.state["steps"]["listen"]["pieces"][0]["share"] in (
            "The house feels quiet lately.",
            "ignored if applied",
        )
        await b.sync_to(acked[in_flight])
        cid = str(uuid.uuid4())
        acked[cid] = await b.act("mirror", {"text": "It's quiet at home."}, cid)
        await a.until(lambda: a.version == acked[cid])
        assert a.state["steps"]["listen"]["pieces"] == b.state["steps"]["listen"]["pieces"]
        await sync_to_async(assert_log_whole)(checkin, acked)
        # The survivor still enforces Daphne's own frame cap (1 MiB): a 2 MiB frame closes
        # that socket and nothing else.
        await a.ws.send("x" * (2 * 1024 * 1024))
        await a.until(a.closed.is_set)
        cid = str(uuid.uuid4())
        acked[cid] = await b.act("call_break", client_id=cid)  # the server still serves B
        await a.close()
        await b.close()
    finally:
        one.stop()
        two.stop()


# --- The database unavailable for a moment -----------------------------------------------------


class TrapProxy:
    """A TCP proxy between a Daphne and PostgreSQL that can drop the database connection at
    an exact point of the conversation: when the app sends a statement matching `pattern`,
    either before it reaches the server ("before": the transaction dies half-way) or just
    after ("after": the server runs it, the app never hears back). One shot; new
    connections go through again at once, as after a brief outage."""

    def __init__(self, host: str, port: int):
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.trap: tuple[bytes, str] | None = None
        self.sprung = threading.Event()
        self.open = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, pattern: bytes, when: str):
        self.sprung.clear()
        self.trap = (pattern, when)

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.open |= {client, server}
            cut = threading.Event()  # this connection's fate, shared by both directions
            for source, sink, from_app in ((client, server, True), (server, client, False)):
                threading.Thread(
                    target=self._pump, args=(source, sink, from_app, cut), daemon=True
                ).start()

    def _pump(self, source, sink, from_app: bool, cut: threading.Event):
        tail = b""
        try:
            while data := source.recv(65536):
                if cut.is_set():
                    break  # the server's answer never reaches the app
                trap = self.trap if from_app else None
                # Only a match that ends in this chunk counts: an earlier statement's bytes
                # still in `tail` (say, the last transaction's COMMIT) must not spring it.
                if trap and trap[0] in tail[1 - len(trap[0]) :] + data:
                    self.trap = None
                    cut.set()
                    self.sprung.set()
                    if trap[1] == "after":
                        sink.sendall(data)
                        time.sleep(0.3)  # let the server act on it before the line drops
                    break
                sink.sendall(data)
                tail = data[-64:]
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def close(self):
        self.listener.close()
        for end in list(self.open):
            with contextlib.suppress(OSError):
                end.close()


def proxied_database_url(port: int) -> str:
    scheme, rest = servers.test_database_url().split("://", 1)
    credentials, location = rest.rsplit("@", 1)
    database = location.split("/", 1)[1]
    return f"{scheme}://{credentials}@127.0.0.1:{port}/{database}"


async def test_the_database_cut_mid_write_refuses_with_unavailable_and_writes_nothing_half(
    postgres, private_redis, couple
):
    _, alex, sam = couple
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="listening")
    db = settings.DATABASES["default"]
    proxy = TrapProxy(db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432))
    server = DaphneServer(
        redis_url=private_redis.url,
        extra_env={"DATABASE_URL": proxied_database_url(proxy.port)},
    ).start()
    acked = {}
    try:
        a = await Partner(checkin.token, alex).connect(server)
        b = await Partner(checkin.token, sam).connect(server)
        cid = str(uuid.uuid4())
        acked[cid] = await a.act("take_floor", client_id=cid)

        # 1. The connection drops after the row is locked, before the turn is written.
        proxy.arm(b'INSERT INTO "practice_turn"', "before")
        share = await a.send("share", {"text": "I've missed you."})
        await a.until(lambda: share in a.errors or share in a.acks)
        assert proxy.sprung.is_set()
        assert a.errors[share]["code"] == "unavailable"
        stored = await sync_to_async(CheckIn.objects.get)(pk=checkin.pk)
        assert stored.version == 1  # nothing half-written: no turn, no state change
        assert await sync_to_async(lambda: len(turns(checkin)))() == 1
        assert "share" not in str(stored.state["steps"]["listen"]["pieces"])
        # The client retries with the same client_id; the database is back.
        acked[share] = await a.act("share", {"text": "I've missed you."}, share)
        assert acked[share] == 2
        await b.sync_to(2)

        # 2. The connection drops right after COMMIT: it is stored, but the app can't know.
        proxy.arm(b"COMMIT", "after")
        mirror = await b.send("mirror", {"text": "You've missed me."})
        await b.until(lambda: mirror in b.errors or mirror in b.acks)
        assert proxy.sprung.is_set()
        assert b.errors[mirror]["code"] == "unavailable"
        stored_version = await sync_to_async(services.checkin_version)(checkin_id=checkin.pk)
        assert stored_version == 3  # it was committed after all
        acked[mirror] = await b.act("mirror", {"text": "You've missed me."}, mirror)
        assert b.acks[mirror]["duplicate"] is True and acked[mirror] == 3  # applied once
        # A hears of it without waiting for its next ping.
        await a.until(lambda: a.version == 3, timeout=5)
        await sync_to_async(assert_log_whole)(checkin, acked)
        await a.close()
        await b.close()
    finally:
        server.stop()
        proxy.close()
