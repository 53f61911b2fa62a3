"""Figures for the coach on the labelled sets in tests/data/.

    python -m practice.coaching.evaluate            # dev and test splits, and all
    python -m practice.coaching.evaluate --errors   # also list what it got wrong (dev only)

The rules were tuned on the "dev" split; "test" was written afterwards and is
reported as it comes. Errors are listed for dev only, so tuning never looks at test.
"""

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import review_mirror, review_statement

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
STATEMENT_KINDS = ("i_statement", "blame", "neutral")
MIRROR_VERDICTS = ("good", "partial", "missed")


def load(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@dataclass(frozen=True)
class Scores:
    n: int
    accuracy: float
    per_class: dict[str, tuple[float, float, int]]  # precision, recall, support
    confusion: dict[tuple[str, str], int]

    def recall(self, label: str) -> float:
        return self.per_class[label][1]


def score(pairs: list[tuple[str, str]], labels: tuple[str, ...]) -> Scores:
    """pairs: (gold, predicted)."""
    confusion = Counter(pairs)
    per_class = {}
    for label in labels:
        tp = confusion[(label, label)]
        predicted = sum(v for (g, p), v in confusion.items() if p == label)
        support = sum(v for (g, p), v in confusion.items() if g == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        per_class[label] = (precision, recall, support)
    correct = sum(v for (g, p), v in confusion.items() if g == p)
    n = len(pairs)
    return Scores(n, correct / n if n else 0.0, per_class, dict(confusion))


def statement_pairs(rows: list[dict]) -> list[tuple[str, str]]:
    return [(r["kind"], review_statement(r["text"]).kind) for r in rows]


def mirror_pairs(rows: list[dict]) -> list[tuple[str, str]]:
    return [(r["verdict"], review_mirror(r["original"], r["mirror"]).verdict) for r in rows]


def evaluate(split: str | None = None) -> dict[str, Scores]:
    statements = [r for r in load("coaching_statements.jsonl") if split in (None, r["split"])]
    mirrors = [r for r in load("coaching_mirrors.jsonl") if split in (None, r["split"])]
    return {
        "statements": score(statement_pairs(statements), STATEMENT_KINDS),
        "mirrors": score(mirror_pairs(mirrors), MIRROR_VERDICTS),
    }


def _table(title: str, scores: Scores, labels: tuple[str, ...]) -> list[str]:
    lines = [f"{title}: n={scores.n}  accuracy={scores.accuracy:.3f}"]
    lines.append(f"  {'class':<12} {'precision':>9} {'recall':>7} {'support':>8}")
    for label in labels:
        p, r, s = scores.per_class[label]
        lines.append(f"  {label:<12} {p:>9.3f} {r:>7.3f} {s:>8}")
    header = "  gold \\ predicted " + " ".join(f"{lb:>11}" for lb in labels)
    lines.append(header)
    for gold in labels:
        row = " ".join(f"{scores.confusion.get((gold, p), 0):>11}" for p in labels)
        lines.append(f"  {gold:<17} {row}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list dev-split mistakes")
    args = parser.parse_args(argv)
    out: list[str] = []
    for split in ("dev", "test", None):
        results = evaluate(split)
        name = split or "all"
        out.append(f"== {name} ==")
        out += _table("statement kind", results["statements"], STATEMENT_KINDS)
        out += _table("mirror verdict", results["mirrors"], MIRROR_VERDICTS)
        out.append("")
    if args.errors:
        out.append("== dev errors ==")
        for r in load("coaching_statements.jsonl"):
            if r["split"] != "dev":
                continue
            review = review_statement(r["text"])
            if review.kind != r["kind"]:
                flags = [(s.reason, s.severity, s.text) for s in review.spans]
                out.append(f"{r['id']} gold={r['kind']} got={review.kind} {r['text']!r} {flags}")
        for r in load("coaching_mirrors.jsonl"):
            if r["split"] != "dev":
                continue
            review = review_mirror(r["original"], r["mirror"])
            if review.verdict != r["verdict"]:
                added = [(a.reason, a.text) for a in review.added]
                out.append(
                    f"{r['id']} gold={r['verdict']} got={review.verdict} {review.score} "
                    f"{r['mirror']!r} {added}"
                )
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
