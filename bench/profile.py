"""Summarise py-spy's collapsed stacks: where a server's samples go, by function and by area."""

from collections import Counter
from pathlib import Path

# Areas by file path, first match wins: what is ours and what is the stack's.
AREAS = (
    ("practice/coaching", "app: coaching"),
    ("practice/flow", "app: flow engine"),
    ("practice/", "app: practice (services, consumers, hooks)"),
    ("couples/", "app: couples"),
    ("bench/", "bench relay"),
    ("django/db/backends", "Django DB backend + psycopg"),
    ("psycopg", "Django DB backend + psycopg"),
    ("django/db/models", "Django ORM"),
    ("django/", "Django (other)"),
    ("channels_redis", "channels-redis"),
    ("redis/", "redis-py"),
    ("msgpack", "channels-redis"),
    ("channels/", "Channels"),
    ("asgiref", "asgiref (sync_to_async threads)"),
    ("autobahn", "Daphne/Autobahn/Twisted"),
    ("twisted", "Daphne/Autobahn/Twisted"),
    ("daphne", "Daphne/Autobahn/Twisted"),
    ("json/", "json"),
    ("copy.py", "copy.deepcopy"),
    ("asyncio", "asyncio"),
    ("concurrent/futures", "thread pool"),
    ("threading.py", "thread pool"),
)


def area_of(frame: str) -> str | None:
    for needle, name in AREAS:
        if needle in frame:
            return name
    return None


def summarise(path: str, top: int = 25) -> str:
    own, inclusive, areas = Counter(), Counter(), Counter()
    total = 0
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
        # The innermost frame that belongs to a known area names the sample's area.
        for frame in reversed(frames):
            area = area_of(frame)
            if area:
                areas[area] += n
                break
        else:
            areas["other"] += n
    lines = [f"{total} samples", "", "By area (innermost known frame):"]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in areas.most_common()]
    lines += ["", "Inclusive (any frame on the stack):"]
    lines += [f"  {100 * n / total:5.1f}%  {f}" for f, n in inclusive.most_common(top)]
    lines += ["", "Self:"]
    lines += [f"  {100 * n / total:5.1f}%  {f}" for f, n in own.most_common(top)]
    return "\n".join(lines)
