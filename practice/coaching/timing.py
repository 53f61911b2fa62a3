"""Per-call time of the coach on the labelled sets (CPU, this process).

python -m practice.coaching.timing            # median and p99 per function, in ms
"""

import statistics
import time

from . import review_mirror, review_statement, suggest_feelings
from .evaluate import load


def _measure(calls, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for call in calls:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
    return times


def _line(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (
        f"{name:<18} n={len(times):>5}  median={statistics.median(times):.2f} ms  "
        f"p99={p99:.2f} ms  max={ordered[-1]:.2f} ms"
    )


def main() -> int:
    statements = [r["text"] for r in load("coaching_statements.jsonl")]
    mirrors = [(r["original"], r["mirror"]) for r in load("coaching_mirrors.jsonl")]
    long_text = " ".join(statements)[:2000]  # the longest a partner may send
    review_statement(long_text)  # first call builds the word patterns
    results = {
        "review_statement": _measure([lambda t=t: review_statement(t) for t in statements], 5),
        "review_mirror": _measure([lambda p=p: review_mirror(*p) for p in mirrors], 5),
        "suggest_feelings": _measure([lambda t=t: suggest_feelings(t) for t in statements], 5),
        "statement@2000ch": _measure([lambda: review_statement(long_text)], 50),
        "mirror@2000ch": _measure([lambda: review_mirror(long_text, long_text[:1000])], 50),
    }
    for name, times in results.items():
        print(_line(name, times))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
