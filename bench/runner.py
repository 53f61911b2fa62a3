"""One bench run: prepare the database, start the servers, drive the room then the relay.

The parent process (this module) owns Django: it migrates the bench database,
creates couples, check-ins and sessions, times the HTTP pages, starts Daphne,
and at the end checks every acknowledged action against the turn log. The load
itself comes from `--procs` worker processes (bench.load), which know nothing
of Django.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-key-not-for-production-" + "b" * 30
PREFIX = "hearth-bench"

SETUPS = {
    # name: (database, channel layer, Daphne processes)
    "sqlite": ("sqlite", "memory", 1),
    "redis": ("postgres", "redis", 1),
    "redis2": ("postgres", "redis", 2),
}
SETUP_TITLES = {
    "sqlite": "SQLite + in-memory layer + 1 Daphne",
    "redis": "PostgreSQL + Redis + 1 Daphne",
    "redis2": "PostgreSQL + Redis + 2 Daphne (partners split)",
}


def configure(args) -> dict:
    """The environment shared by this process and the servers. Call before Django loads."""
    database, layer, _ = SETUPS[args.setup]
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": SECRET,  # sessions written here must verify in the servers
        "DEBUG": "0",
        "INSECURE_HTTP": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "CHANNEL_LAYER_PREFIX": PREFIX,
        "BENCH_RELAY": "1",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # The room's per-socket rate limit protects against one noisy client; flat out,
        # one bench couple acts faster than a person can, so the limit is lifted here.
        "ROOM_RATE_PER_SECOND": str(args.rate_limit),
        "ROOM_RATE_BURST": str(int(max(20, args.rate_limit))),
        "DATABASE_CONN_MAX_AGE": "60",
    }
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{args.sqlite_path}"
    else:
        env["DATABASE_URL"] = args.database_url
    if layer == "redis":
        env["REDIS_URL"] = args.redis_url
    os.environ.pop("REDIS_URL", None)
    os.environ.update(env)
    return env


def ensure_database(url: str) -> None:
    """Create the bench's PostgreSQL database if it doesn't exist yet."""
    if not url.startswith("postgres"):
        return
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[-1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def flush_redis(url: str | None) -> None:
    if not url:
        return
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{PREFIX}*", count=1000))
    for i in range(0, len(keys), 1000):
        client.delete(*keys[i : i + 1000])


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"p50": None, "p90": None, "p99": None, "max": None}
    ordered = sorted(values)

    def at(q):
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"p50": at(0.50), "p90": at(0.90), "p99": at(0.99), "max": round(ordered[-1], 1)}


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class Phase:
    """One side of the run (the room or the relay): workers, a window, their results."""

    def __init__(self, mode: str, args, couples: list[dict], log_dir: Path):
        self.mode = mode
        self.args = args
        self.couples = couples
        self.log_dir = log_dir

    def profile(self, monitor, seconds: float) -> list:
        """py-spy on each server for the measured window (collapsed stacks, one file each)."""
        out = Path(self.args.profile)
        out.mkdir(parents=True, exist_ok=True)
        procs = []
        for i, proc in enumerate(monitor.procs):
            target = out / f"{self.args.setup}-{self.args.couples}-{self.mode}-server{i}.txt"
            procs.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).parent / "py-spy"),
                        "record",
                        "--pid",
                        str(proc.pid),
                        "--duration",
                        str(int(seconds)),
                        "--rate",
                        "200",
                        "--format",
                        "raw",
                        "--output",
                        str(target),
                        "--nonblocking",
                        *(["--gil"] if self.args.profile_gil else []),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        return procs

    def run(self, monitor) -> dict:
        from .servers import delta

        args = self.args
        procs = max(1, min(args.procs, len(self.couples)))
        monitor.reset_peak()  # this phase's peak, connections included
        workers = []
        for k in range(procs):
            spec = {
                "mode": self.mode,
                "pace": args.pace,
                "interval": args.interval,
                "ping": args.ping,
                "cookie_name": "sessionid",
                "connect_concurrency": args.connect_concurrency,
                "couples": self.couples[k::procs],
            }
            err = open(self.log_dir / f"worker-{self.mode}-{k}.log", "wb")  # noqa: SIM115
            proc = subprocess.Popen(
                [sys.executable, "-m", "bench", "worker"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
            )
            proc.stdin.write((json.dumps(spec) + "\n").encode())
            proc.stdin.flush()
            workers.append((proc, err))
        t0 = time.time()
        for proc, _ in workers:
            line = proc.stdout.readline().decode().strip()
            if line != "ready":
                raise RuntimeError(f"a {self.mode} worker failed to connect: {line!r}")
        connect_s = time.time() - t0
        begin = time.time() + 0.5
        start = begin + args.warmup
        end = start + args.seconds
        for proc, _ in workers:
            proc.stdin.write(f"go {begin} {start} {end}\n".encode())
            proc.stdin.flush()
        time.sleep(max(0.0, start - time.time()))
        profilers = self.profile(monitor, args.seconds) if args.profile else []
        mark0 = monitor.mark()
        time.sleep(max(0.0, end - time.time()))
        mark1 = monitor.mark()
        peak = list(monitor.peak_rss)
        for proc in profilers:
            proc.wait(timeout=60)
        results = []
        for proc, err in workers:
            line = proc.stdout.readline().decode()
            proc.wait(timeout=120)
            err.close()
            if not line.startswith("result "):
                raise RuntimeError(f"a {self.mode} worker ended without a result: {line!r}")
            results.append(json.loads(line[len("result ") :]))
        usage = delta(mark0, mark1)
        latencies = [x for r in results for x in r["latencies"]]
        completed = sum(r["completed"] for r in results)
        seconds = usage["seconds"]
        server_cpu = sum(usage["server_cpu_s"])
        client_cpu = sum(r["cpu_s"] for r in results)

        def total(key):
            return sum(r[key] for r in results)

        def merged(key):
            out: dict[str, int] = {}
            for r in results:
                for k, v in r[key].items():
                    out[k] = out.get(k, 0) + v
            return out

        return {
            "connect_s": round(connect_s, 1),
            "per_s": round(completed / seconds, 1) if seconds else None,
            "completed": completed,
            "latency_ms": percentiles(latencies),
            "refusals": merged("refusals"),
            "errors": merged("errors"),
            "reconnects": total("reconnects"),
            "connection_refused": total("handshake_refused") + total("connect_failures"),
            "ack_timeouts": total("ack_timeouts"),
            "gap_resyncs": total("gap_resyncs"),
            "late": total("late"),
            "rooms_started": total("rooms_started"),
            "relay_lost": total("relay_lost"),
            "unseen": [u for r in results for u in r["unseen"]],
            "acked": [a for r in results for a in r["acked"]],
            "server_cpu_s": usage["server_cpu_s"],
            "server_cpu_ms_per_msg": round(1000 * server_cpu / completed, 2) if completed else None,
            "server_peak_rss_mb": [round(x / 2**20) for x in peak],
            "redis_cpu_s": usage["redis_cpu_s"],
            "postgres_cpu_s": usage["postgres_cpu_s"],
            "machine_busy_pct": usage["machine_busy_pct"],
            "client_cpu_s": round(client_cpu, 2),
            "client_cpu_pct": [round(100 * r["cpu_s"] / seconds) for r in results],
            "seconds": seconds,
        }


def run(args) -> dict:
    env = configure(args)
    load_before = load_average()
    import django

    django.setup()
    from django.core.management import call_command

    from . import data
    from .servers import Daphne, Monitor, environ_for

    ensure_database(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0, interactive=False)
    flush_redis(env.get("REDIS_URL"))
    log_dir = Path(tempfile.mkdtemp(prefix="hearth-bench-"))

    pages = None
    if args.pages:
        from .pages import time_pages

        pages = time_pages()

    couples = data.ensure_couples(range(args.couples))
    data.reset_checkins(couples)
    checkins = data.start_checkins(couples)
    sessions = data.make_sessions([u for c in couples for u in (c.a, c.b)])

    _, _, n_servers = SETUPS[args.setup]
    servers = [Daphne(environ_for(env), log_dir).start() for _ in range(n_servers)]
    result: dict = {
        "setup": args.setup,
        "setup_title": SETUP_TITLES[args.setup],
        "couples": args.couples,
        "sockets": 2 * args.couples,
        "pace": args.pace,
        "seconds": args.seconds,
        "load_procs": args.procs,
        "load_before": load_before,
    }
    try:
        specs = [
            {
                "couple": c.index,
                "token": checkins[c.index].token,
                # Partners split across the servers when there are two.
                "a": {"server": servers[0].url, "session": sessions[c.a.pk]},
                "b": {"server": servers[-1].url, "session": sessions[c.b.pk]},
            }
            for c in couples
        ]
        with Monitor([s.process.pid for s in servers], env.get("REDIS_URL")) as monitor:
            app = Phase("app", args, specs, log_dir).run(monitor) if args.app else None
            if app is not None:
                app["missing_in_db"] = data.missing_turns(app.pop("acked"))
            bare = Phase("bare", args, specs, log_dir).run(monitor) if args.bare else None
            if bare is not None:
                bare.pop("acked")
                bare.pop("unseen")
        for server in servers:
            if server.process.poll() is not None:
                result.setdefault("server_died", []).append(server.log_tail())
    finally:
        for server in servers:
            server.stop()
    result["load_after"] = load_average()
    if app is not None:
        lost = len(app["unseen"]) + len(app["missing_in_db"])
        result.update(
            {
                "actions_per_s": app["per_s"],
                "latency_ms": app["latency_ms"],
                "lost_turns": lost,
                "lost_detail": {
                    "unseen_by_partner": app.pop("unseen")[:20],
                    "missing_in_db": app.pop("missing_in_db")[:20],
                },
                "refusals": app["refusals"],
                "errors": app["errors"],
                "reconnects": app["reconnects"],
                "connection_refused": app["connection_refused"],
                "server_cpu_s": app["server_cpu_s"],
                "server_peak_rss_mb": app["server_peak_rss_mb"],
                "client_cpu_pct": app["client_cpu_pct"],
                "app": app,
            }
        )
    if bare is not None:
        result.update(
            {
                "bare_messages_per_s": bare["per_s"],
                "bare_latency_ms": bare["latency_ms"],
                "bare_lost": bare["relay_lost"],
                "bare": bare,
            }
        )
    if app is not None and bare is not None and bare["per_s"]:
        result["ratio_throughput"] = round(app["per_s"] / bare["per_s"], 2)
    if pages is not None:
        result["pages"] = pages
    result["logs"] = str(log_dir)
    return result


def summary(r: dict) -> str:
    lines = [
        f"{r['setup_title']}, {r['couples']} couples ({r['sockets']} sockets), "
        f"{r['pace']} pace, {r['seconds']} s, load generator in {r['load_procs']} process(es)",
        f"load average before {r['load_before']}, after {r['load_after']}",
    ]
    if "actions_per_s" in r:
        app = r["app"]
        lat = r["latency_ms"]
        lines += [
            f"room:  {r['actions_per_s']} actions/s, action->partner p50 {lat['p50']} ms, "
            f"p99 {lat['p99']} ms, max {lat['max']} ms",
            f"       lost turns {r['lost_turns']}, refusals {r['refusals'] or 0}, "
            f"errors {r['errors'] or 0}, reconnects {r['reconnects']}, "
            f"connections refused {r['connection_refused']}, gap resyncs {app['gap_resyncs']}, "
            f"seen only after 25 s {app['late']}, rooms started {app['rooms_started']}, "
            f"connecting {app['connect_s']} s",
            f"       server CPU {app['server_cpu_s']} s ({app['server_cpu_ms_per_msg']} ms/action),"
            f" peak RSS {app['server_peak_rss_mb']} MiB, redis CPU {app['redis_cpu_s']} s,"
            f" postgres CPU {app['postgres_cpu_s']} s, machine busy {app['machine_busy_pct']}%,"
            f" load generator CPU {app['client_cpu_pct']}% of a core",
        ]
    if "bare_messages_per_s" in r:
        bare = r["bare"]
        lat = r["bare_latency_ms"]
        lines += [
            f"relay: {r['bare_messages_per_s']} messages/s, p50 {lat['p50']} ms, "
            f"p99 {lat['p99']} ms, lost {r['bare_lost']}, server CPU {bare['server_cpu_s']} s "
            f"({bare['server_cpu_ms_per_msg']} ms/message), load generator CPU "
            f"{bare['client_cpu_pct']}% of a core",
        ]
    if "ratio_throughput" in r:
        lines.append(f"ratio room/relay throughput: {r['ratio_throughput']}")
    for name, page in (r.get("pages") or {}).items():
        lines.append(f"page {name}: median {page['median_ms']} ms, {page['queries']} queries")
    return "\n".join(lines)
