"""Daphne processes for a bench run, and a monitor of their CPU and memory (psutil)."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daphne:
    """One server process, started the way `make run` starts it."""

    def __init__(self, env: dict, log_dir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.log_path = log_dir / f"daphne-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "Daphne":
        self.log = open(self.log_path, "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "--websocket-max-message-size",
                "65536",
                "--websocket-max-frame-size",
                "65536",
                "config.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Daphne exited early; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Daphne did not start in {timeout}s; see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if getattr(self, "log", None):
            self.log.close()

    def log_tail(self, lines: int = 20) -> list[str]:
        try:
            return self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return []


def _cpu(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


class Monitor:
    """Samples the servers' RSS for its peak; reads CPU seconds at marks."""

    def __init__(self, pids: list[int], redis_url: str | None, interval: float = 0.25):
        self.procs = [psutil.Process(pid) for pid in pids]
        self.peak_rss = [0] * len(self.procs)
        self.redis_url = redis_url
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self):
        while not self._stop.is_set():
            for i, proc in enumerate(self.procs):
                with contextlib.suppress(psutil.Error):
                    self.peak_rss[i] = max(self.peak_rss[i], proc.memory_info().rss)
            self._stop.wait(self.interval)

    def reset_peak(self):
        self.peak_rss = [0] * len(self.procs)

    def mark(self) -> dict:
        """CPU seconds so far: per server, Redis, all PostgreSQL processes, and the machine."""
        servers = []
        for proc in self.procs:
            try:
                servers.append(_cpu(proc))
            except psutil.Error:
                servers.append(float("nan"))
        machine = psutil.cpu_times()
        return {
            "servers": servers,
            "redis": self._redis_cpu(),
            "postgres": self._postgres_cpu(),
            "machine_busy": machine.user + machine.system + machine.nice + machine.softirq,
            "machine_total": sum(machine),
            "at": time.time(),
        }

    def _redis_cpu(self) -> float | None:
        if not self.redis_url:
            return None
        import redis

        try:
            info = redis.Redis.from_url(self.redis_url).info("cpu")
        except redis.RedisError:
            return None
        return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])

    @staticmethod
    def _postgres_cpu() -> dict[int, float]:
        """CPU seconds per PostgreSQL process (every database's, not only the bench's)."""
        seen = {}
        for proc in psutil.process_iter(["name"]):
            if proc.info["name"] and proc.info["name"].startswith("postgres"):
                with contextlib.suppress(psutil.Error):
                    seen[proc.pid] = _cpu(proc)
        return seen


def delta(a: dict, b: dict) -> dict:
    seconds = b["at"] - a["at"]
    busy = b["machine_busy"] - a["machine_busy"]
    total = b["machine_total"] - a["machine_total"]
    return {
        "server_cpu_s": [round(y - x, 2) for x, y in zip(a["servers"], b["servers"], strict=True)],
        "redis_cpu_s": None if a["redis"] is None else round(b["redis"] - a["redis"], 2),
        # Processes that ended in between are left out; new ones count from zero.
        "postgres_cpu_s": round(
            sum(cpu - a["postgres"].get(pid, 0.0) for pid, cpu in b["postgres"].items()), 2
        ),
        "machine_busy_pct": round(100 * busy / total, 1) if total else None,
        "seconds": round(seconds, 2),
    }


def environ_for(base: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(base)
    return env
