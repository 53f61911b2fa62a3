"""python -m bench: run the load benchmark, time the pages, or render a results table."""

import argparse
import json
import sys
import tempfile
from pathlib import Path

from .runner import SETUP_TITLES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Load benchmark for the live room over the real protocol, side by side "
        "with a bare Channels relay on the same Daphne processes.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="start the servers, play check-ins, then the relay; print the figures",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    run.add_argument("--couples", type=int, default=50, help="couples (two sockets each)")
    run.add_argument(
        "--pace",
        choices=("human", "flat"),
        default="flat",
        help="human: one action per couple every --interval seconds; "
        "flat: the next action as soon as both partners have the new state",
    )
    run.add_argument("--seconds", type=float, default=20, help="measured window per phase")
    run.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before it")
    run.add_argument("--interval", type=float, default=5.0, help="human pace, seconds")
    run.add_argument(
        "--setup",
        choices=tuple(SETUP_TITLES),
        default="redis",
        help="; ".join(f"{k}: {v}" for k, v in SETUP_TITLES.items()),
    )
    run.add_argument("--procs", type=int, default=1, help="load generator processes")
    run.add_argument("--ping", type=float, default=20, help="client ping period (0: none)")
    run.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/hearth_bench",
        help="PostgreSQL database of the bench's own (created and migrated)",
    )
    run.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    run.add_argument(
        "--sqlite-path", default=str(Path(tempfile.gettempdir()) / "hearth-bench.sqlite3")
    )
    run.add_argument(
        "--rate-limit", type=float, default=1000, help="ROOM_RATE_PER_SECOND for the servers"
    )
    run.add_argument("--connect-concurrency", type=int, default=50)
    run.add_argument("--no-app", dest="app", action="store_false", help="skip the room")
    run.add_argument("--no-bare", dest="bare", action="store_false", help="skip the relay")
    run.add_argument("--no-pages", dest="pages", action="store_false", help="skip page timing")
    run.add_argument(
        "--profile", metavar="DIR", help="py-spy each server during the window (collapsed stacks)"
    )
    run.add_argument(
        "--profile-gil",
        action="store_true",
        help="profile only the thread holding the GIL (where CPU goes, not where time waits)",
    )
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.add_argument("--out", help="also append the JSON object as a line to this file")

    table = sub.add_parser("table", help="a Markdown table from --out files")
    table.add_argument("files", nargs="+")

    profile = sub.add_parser("profile", help="summarise py-spy collapsed stacks")
    profile.add_argument("file")
    profile.add_argument("--top", type=int, default=25)

    sub.add_parser("worker", help=argparse.SUPPRESS)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.command == "worker":
        from .load import main as worker_main

        return worker_main()
    if args.command == "table":
        from .table import render

        rows = [
            json.loads(line)
            for f in args.files
            for line in Path(f).read_text().splitlines()
            if line.strip()
        ]
        print(render(rows))
        return None
    if args.command == "profile":
        from .profile import summarise

        print(summarise(args.file, args.top))
        return None
    from .runner import run, summary

    result = run(args)
    if args.out:
        with open(args.out, "a") as f:
            f.write(json.dumps(result) + "\n")
    if args.json:
        json.dump(result, sys.stdout)
        sys.stdout.write("\n")
    else:
        print(summary(result))
    return None
