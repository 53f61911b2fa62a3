"""The load generator: one process's share of the couples, over the public protocol.

No Django here: a worker speaks only WebSocket (the `websockets` library) and one
HTTP POST (starting the next check-in, as the dashboard's button does), so what it
measures is what a real client sees. The parent (bench.runner) sends a spec as one
JSON line on stdin, waits for "ready", sends "go <start> <end>" (epoch seconds),
and reads one JSON result line from stdout.

Room (mode "app"): each couple plays the listening-practice agenda from the state
it receives (take the floor, share, mirror, clarify, confirm, heard, validate,
empathize, pass the floor, next, rate) and starts a new check-in when one
finishes. Per action: the time from sending it to the partner's socket receiving
a state at least that new. A client keeps the protocol's duties: it resends an
unacknowledged action with the same client_id after a reconnect, asks for a
snapshot when an ack is ahead of its state, and pings every 20 s.

Relay (mode "bare"): each pair passes a counter back and forth through the relay.
"""

import asyncio
import contextlib
import http.client
import json
import random
import resource
import sys
import time
import traceback
import uuid
from urllib.parse import urlsplit

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

# Like the browser client (static/js/room/connection.js): it waits for an ack as long as
# the socket is open, resends with the same client_id after a reconnect, and asks for a
# snapshot when an ack is 400 ms ahead of its state. A partner learns of a missed
# broadcast from its next ping (every 20 s).
ACK_TIMEOUT = 60.0  # no ack for this long on an open socket: the action is given up
GAP_TIMEOUT = 0.4
PARTNER_TIMEOUT = 25.0  # a ping's period and then some: still unseen, the partner syncs
SEEN_TIMEOUT = 10.0  # ...and if the snapshot doesn't bring it either, it counts as unseen
RELAY_TIMEOUT = 5.0
CSRF = "benchcsrf" + "0" * 23  # a 32-character CSRF secret: cookie and header must match

TEXTS = {
    "share": "I felt alone on Sunday when the plans changed without a word.",
    "mirror": "You felt alone on Sunday when our plans changed and I didn't say.",
    "clarify": "More left out than alone, really.",
    "validate": "That makes sense: I changed things and you found out last.",
    "empathize": "Left out, and a bit hurt?",
}


def other(role: str) -> str:
    return "b" if role == "a" else "a"


def next_action(state: dict) -> tuple[str, str, dict] | None:
    """The next move of the listening agenda, from either partner's view. None: it's over."""
    if state["status"] != "active":
        return None
    data = state["steps"][state["step_key"]]
    if state["step_kind"] == "floor":
        phase, speaker = data["phase"], data["speaker"]
        listener = other(speaker) if speaker else None
        if phase == "choose":
            return "a", "take_floor", {}
        if phase == "share":
            if len(data["pieces"]) < 2:
                return speaker, "share", {"text": TEXTS["share"]}
            return speaker, "heard", {}
        if phase == "mirror":
            return listener, "mirror", {"text": TEXTS["mirror"]}
        if phase == "confirm":
            if len(data["pieces"]) == 2 and not data["pieces"][-1]["clarifications"]:
                return speaker, "clarify", {"text": TEXTS["clarify"]}
            return speaker, "confirm", {}
        if phase == "validate":
            return listener, "validate", {"text": TEXTS["validate"]}
        if phase == "empathy":
            return listener, "empathize", {"text": TEXTS["empathize"]}
        if phase == "pass":
            return speaker, "pass_floor", {}
        role = "a" if not state["ready"]["a"] else "b"
        return role, "next", {}
    if state["step_kind"] == "close":
        role = "a" if "a" not in data["ratings"] else "b"
        return role, "rate", {"rating": 4, "word": "calmer"}
    role = "a" if not state["ready"]["a"] else "b"
    return role, "next", {}


class Stats:
    def __init__(self):
        self.latencies: list[float] = []  # ms, actions sent inside the window
        self.completed = 0  # actions sent inside the window whose partner saw them
        self.refusals: dict[str, int] = {}
        self.errors: dict[str, int] = {}
        self.reconnects = 0
        self.connect_failures = 0
        self.handshake_refused = 0
        self.ack_timeouts = 0
        self.gap_resyncs = 0
        self.late = 0  # an acked action a partner hadn't seen PARTNER_TIMEOUT later
        self.unseen: list[list] = []  # [checkin, version]: acked, partner never saw it
        self.acked: list[list] = []  # [checkin, client_id, version]
        self.rooms_started = 0
        self.relay_lost = 0

    def error(self, kind: str):
        self.errors[kind] = self.errors.get(kind, 0) + 1


class Socket:
    """One partner's WebSocket: the newest state, acks, and waiters on versions."""

    def __init__(self, worker, url: str, origin: str, cookie: str):
        self.worker = worker
        self.url = url
        self.origin = origin
        self.cookie = cookie
        self.ws = None
        self.version = -1
        self.state: dict | None = None
        self.replies: dict[str, asyncio.Future] = {}
        self.version_waiters: list[tuple[int, asyncio.Future]] = []
        self.text_waiters: dict[str, asyncio.Future] = {}
        # Closed until opened, so that a failed reconnect is retried like a dropped socket.
        self.closed: asyncio.Future = asyncio.get_running_loop().create_future()
        self.closed.set_result(None)
        self.reader: asyncio.Task | None = None
        self.expected_close = False

    async def open(self, *, app: bool, attempts: int = 4):
        stats = self.worker.stats
        for attempt in range(attempts):
            try:
                self.ws = await connect(
                    self.url,
                    origin=self.origin,
                    additional_headers={"Cookie": self.cookie} if self.cookie else None,
                    open_timeout=30,
                    ping_interval=None,  # browsers send no protocol pings; the app pings itself
                    compression=None,
                    max_size=2**20,
                    close_timeout=2,
                )
                break
            except InvalidHandshake:
                stats.handshake_refused += 1
            except (OSError, TimeoutError):
                stats.connect_failures += 1
            await asyncio.sleep(0.5 * 2**attempt)
        else:
            raise ConnectionError(f"could not open {self.url}")
        self.expected_close = False
        self.closed = asyncio.get_running_loop().create_future()
        self.reader = asyncio.create_task(self._read_app() if app else self._read_relay())
        if app:
            await self.wait_version(0, timeout=30)

    async def _read_app(self):
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                message = json.loads(raw)
                kind = message["type"]
                if kind == "state":
                    if message["version"] >= self.version:
                        self.version = message["version"]
                        self.state = message["state"]
                        self._wake(now)
                elif kind in ("ack", "error"):
                    waiter = self.replies.pop(message.get("client_id") or "", None)
                    if waiter is not None and not waiter.done():
                        waiter.set_result(message)
                    elif kind == "error":
                        self.worker.stats.error("error:" + message.get("code", "?"))
                    if kind == "ack" and message["version"] > self.version:
                        # Protocol duty: an ack ahead of our state may mean a lost broadcast.
                        # Give the broadcast a moment first (it is usually just behind).
                        asyncio.get_running_loop().call_later(
                            GAP_TIMEOUT, self._sync_if_behind, message["version"]
                        )
        except ConnectionClosed:
            pass
        finally:
            if not self.closed.done():
                self.closed.set_result(None)
            if not self.expected_close:
                self.worker.stats.error("socket_closed")

    async def _read_relay(self):
        try:
            async for raw in self.ws:
                waiter = self.text_waiters.pop(raw, None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(time.perf_counter())
        except ConnectionClosed:
            pass
        finally:
            if not self.closed.done():
                self.closed.set_result(None)

    def _wake(self, now: float):
        keep = []
        for version, waiter in self.version_waiters:
            if version <= self.version:
                if not waiter.done():
                    waiter.set_result(now)
            else:
                keep.append((version, waiter))
        self.version_waiters = keep

    def _sync_if_behind(self, version: int):
        if self.version < version and not self.closed.done():
            self.worker.stats.gap_resyncs += 1
            task = asyncio.ensure_future(self.send({"type": "sync", "version": self.version}))
            self.worker.background.add(task)
            task.add_done_callback(self.worker.background.discard)

    async def send(self, message: dict | str):
        if self.ws is None:
            return
        with contextlib.suppress(ConnectionClosed):
            await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    async def wait_version(self, version: int, timeout: float) -> float | None:
        """perf_counter time at which a state >= version arrived (now if already), or None."""
        if self.version >= version:
            return time.perf_counter()
        waiter = asyncio.get_running_loop().create_future()
        self.version_waiters.append((version, waiter))
        try:
            return await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            return None

    async def close(self):
        self.expected_close = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)


class Couple:
    def __init__(self, worker, spec: dict):
        self.worker = worker
        self.spec = spec
        self.token = spec["token"]
        self.socks: dict[str, Socket] = {}
        self.acked_version = 0

    def room_url(self, role: str) -> str:
        server = self.spec[role]["server"]
        if self.worker.mode == "bare":
            return f"{server.replace('http', 'ws', 1)}/ws/bench/relay/p{self.spec['couple']}/"
        return f"{server.replace('http', 'ws', 1)}/ws/c/{self.token}/"

    async def open(self):
        app = self.worker.mode == "app"
        for role in ("a", "b"):
            side = self.spec[role]
            cookie = f"{self.worker.cookie_name}={side['session']}" if app else ""
            sock = Socket(self.worker, self.room_url(role), side["server"], cookie)
            self.socks[role] = sock
        await asyncio.gather(*(s.open(app=app) for s in self.socks.values()))

    async def reopen(self, role: str):
        """An unexpected close: reconnect with back-off, as the browser client does."""
        self.worker.stats.reconnects += 1
        old = self.socks[role]
        await old.close()
        side = self.spec[role]
        sock = Socket(old.worker, self.room_url(role), side["server"], old.cookie)
        self.socks[role] = sock
        await sock.open(app=self.worker.mode == "app")

    def newest_state(self) -> dict:
        a, b = self.socks["a"], self.socks["b"]
        return (a if a.version >= b.version else b).state

    # --- The room -------------------------------------------------------------

    async def act(self, role: str, name: str, data: dict) -> tuple[dict | None, float]:
        """Send until acked or refused; resend with the same client_id after a reconnect."""
        client_id = str(uuid.uuid4())
        message = {"type": "action", "action": name, "data": data, "client_id": client_id}
        sent_at = time.perf_counter()
        for _ in range(4):
            sock = self.socks[role]
            if sock.closed.done():
                await self.reopen(role)
                sock = self.socks[role]
            reply = asyncio.get_running_loop().create_future()
            sock.replies[client_id] = reply
            await sock.send(message)
            done, _ = await asyncio.wait(
                {reply, sock.closed}, timeout=ACK_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
            )
            if reply in done:
                return reply.result(), sent_at
            sock.replies.pop(client_id, None)
            if not done:
                self.worker.stats.ack_timeouts += 1
                break
        self.worker.stats.error("action_gave_up")
        return None, sent_at

    async def start_next(self):
        """The check-in finished: partner a starts the next one, as the dashboard does."""
        side = self.spec["a"]
        location = await asyncio.to_thread(
            post_start, side["server"], self.worker.cookie_name, side["session"]
        )
        token = location.rstrip("/").rsplit("/", 1)[-1]
        for sock in self.socks.values():
            await sock.close()
        self.token = token
        self.acked_version = 0
        self.worker.stats.rooms_started += 1
        await self.open()

    async def play(self, begin: float, start: float, end: float):
        stats, pace = self.worker.stats, self.worker.pace
        interval = self.worker.interval
        # Human pace: one action every `interval`, each couple at its own offset.
        tick = begin + random.uniform(0, interval) if pace == "human" else begin
        await asyncio.sleep(max(0.0, tick - time.time()))
        while time.time() < end:
            try:
                state = self.newest_state()
                move = next_action(state) if state else None
                if move is None:
                    await self.start_next()
                    continue
                in_window = time.time() >= start
                role, name, data = move
                reply, sent_at = await self.act(role, name, data)
                if reply is None:
                    continue
                if reply["type"] == "error":
                    code = reply.get("code", "?")
                    stats.refusals[code] = stats.refusals.get(code, 0) + 1
                    await self.resync()
                    continue
                version = reply["version"]
                self.acked_version = max(self.acked_version, version)
                stats.acked.append([self.token, reply["client_id"], version])
                seen_at = await self.partner_sees(other(role), version)
                await self.partner_sees(role, version)  # the actor's own screen too
                if seen_at is not None and in_window and time.time() <= end:
                    stats.completed += 1
                    stats.latencies.append(round((seen_at - sent_at) * 1000, 2))
            except (ConnectionError, OSError, http.client.HTTPException) as exc:
                stats.error(type(exc).__name__)
                traceback.print_exc()
                await asyncio.sleep(1)
            if pace == "human":
                tick += interval
                while tick < time.time():  # fell behind: skip to the next slot
                    tick += interval
                await asyncio.sleep(max(0.0, tick - time.time()))

    async def partner_sees(self, role: str, version: int) -> float | None:
        sock = self.socks[role]
        seen_at = await sock.wait_version(version, PARTNER_TIMEOUT)
        if seen_at is None:
            self.worker.stats.late += 1
            if sock.closed.done():
                await self.reopen(role)  # a fresh socket starts with a snapshot
            else:
                await sock.send({"type": "sync", "version": sock.version})
            seen_at = await self.socks[role].wait_version(version, SEEN_TIMEOUT)
        return seen_at

    async def resync(self):
        for role, sock in list(self.socks.items()):
            if sock.closed.done():
                await self.reopen(role)
            else:
                await sock.send({"type": "sync", "version": sock.version})
        await asyncio.sleep(0.2)

    async def pinger(self, end: float):
        """Protocol duty: a ping every ~20 s per socket, at a random phase."""
        every = self.worker.ping
        await asyncio.sleep(random.uniform(0, every))
        while time.time() < end:
            for sock in list(self.socks.values()):
                if not sock.closed.done():
                    await sock.send({"type": "ping", "version": sock.version})
            await asyncio.sleep(every)

    async def finish(self):
        """After the run: every socket asks for a snapshot; unseen acked versions are lost."""
        for role in ("a", "b"):
            sock = self.socks[role]
            if sock.closed.done():
                with contextlib.suppress(ConnectionError):
                    await self.reopen(role)
            await self.socks[role].send({"type": "sync", "version": self.socks[role].version})
            if await self.socks[role].wait_version(self.acked_version, SEEN_TIMEOUT) is None:
                self.worker.stats.unseen.append([self.token, self.acked_version, role])

    # --- The bare relay ---------------------------------------------------------

    async def relay(self, begin: float, start: float, end: float):
        stats, pace, interval = self.worker.stats, self.worker.pace, self.worker.interval
        tick = begin + random.uniform(0, interval) if pace == "human" else begin
        await asyncio.sleep(max(0.0, tick - time.time()))
        seq = 0
        while time.time() < end:
            sender, receiver = ("a", "b") if seq % 2 == 0 else ("b", "a")
            text = f"{self.spec['couple']}:{seq}"
            seq += 1
            in_window = time.time() >= start
            waiter = asyncio.get_running_loop().create_future()
            self.socks[receiver].text_waiters[text] = waiter
            sent_at = time.perf_counter()
            await self.socks[sender].send(text)
            try:
                seen_at = await asyncio.wait_for(waiter, RELAY_TIMEOUT)
            except TimeoutError:
                self.socks[receiver].text_waiters.pop(text, None)
                stats.relay_lost += 1
                seen_at = None
            if seen_at is not None and in_window and time.time() <= end:
                stats.completed += 1
                stats.latencies.append(round((seen_at - sent_at) * 1000, 2))
            if pace == "human":
                tick += interval
                while tick < time.time():
                    tick += interval
                await asyncio.sleep(max(0.0, tick - time.time()))


def post_start(server: str, cookie_name: str, session: str) -> str:
    """POST /checkins/start/ with the session and a CSRF pair; the room's URL comes back."""
    parts = urlsplit(server)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(
            "POST",
            "/checkins/start/",
            body="agenda=listening",
            headers={
                "Cookie": f"{cookie_name}={session}; csrftoken={CSRF}",
                "X-CSRFToken": CSRF,
                "Origin": server,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = conn.getresponse()
        response.read()
        location = response.getheader("Location") or ""
        if response.status != 302 or "/c/" not in location:
            raise http.client.HTTPException(f"start answered {response.status} {location}")
        return location
    finally:
        conn.close()


class Worker:
    def __init__(self, spec: dict):
        self.spec = spec
        self.mode = spec["mode"]
        self.pace = spec["pace"]
        self.interval = spec.get("interval", 5.0)
        self.ping = spec.get("ping", 20.0)
        self.cookie_name = spec.get("cookie_name", "sessionid")
        self.stats = Stats()
        self.background: set[asyncio.Task] = set()  # fire-and-forget sends, kept referenced
        self.couples = [Couple(self, c) for c in spec["couples"]]

    async def connect_all(self, concurrency: int):
        gate = asyncio.Semaphore(concurrency)

        async def one(couple):
            async with gate:
                await couple.open()

        results = await asyncio.gather(*(one(c) for c in self.couples), return_exceptions=True)
        failed = [c for c, r in zip(self.couples, results, strict=True) if isinstance(r, Exception)]
        for couple in failed:
            self.stats.error("couple_not_connected")
            self.couples.remove(couple)

    async def run(self, begin: float, start: float, end: float):
        play = Couple.play if self.mode == "app" else Couple.relay
        players = [play(c, begin, start, end) for c in self.couples]
        pingers = [c.pinger(end) for c in self.couples] if self.mode == "app" and self.ping else []
        await asyncio.gather(*players, *pingers)
        if self.mode == "app":
            await asyncio.gather(*(c.finish() for c in self.couples))

    async def close_all(self):
        await asyncio.gather(
            *(s.close() for c in self.couples for s in c.socks.values()), return_exceptions=True
        )


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main_async(spec: dict) -> dict:
    worker = Worker(spec)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    t0 = time.time()
    await worker.connect_all(spec.get("connect_concurrency", 50))
    connect_s = time.time() - t0
    print("ready", flush=True)
    line = (await reader.readline()).decode().split()
    begin, start, end = (float(x) for x in line[1:4])
    cpu = {}
    for name, at in (("start", start), ("end", end)):
        loop.call_later(max(0.0, at - time.time()), lambda n=name: cpu.update({n: cpu_seconds()}))
    await worker.run(begin, start, end)
    await worker.close_all()
    s = worker.stats
    return {
        "couples": len(worker.couples),
        "connect_s": round(connect_s, 2),
        "latencies": s.latencies,
        "completed": s.completed,
        "refusals": s.refusals,
        "errors": s.errors,
        "reconnects": s.reconnects,
        "connect_failures": s.connect_failures,
        "handshake_refused": s.handshake_refused,
        "ack_timeouts": s.ack_timeouts,
        "gap_resyncs": s.gap_resyncs,
        "late": s.late,
        "unseen": s.unseen,
        "acked": s.acked,
        "rooms_started": s.rooms_started,
        "relay_lost": s.relay_lost,
        "cpu_s": round(cpu["end"] - cpu["start"], 2),
    }


def main():
    spec = json.loads(sys.stdin.buffer.readline())
    result = asyncio.run(main_async(spec))
    sys.stdout.write("result " + json.dumps(result) + "\n")
    sys.stdout.flush()
