"""A Markdown table of bench results (the JSON lines `run --out` appends)."""

from .runner import SETUP_TITLES

ORDER = {name: i for i, name in enumerate(SETUP_TITLES)}


def _n(value, digits=0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def _errors(r: dict) -> str:
    bad = sum((r.get("errors") or {}).values()) + sum((r.get("refusals") or {}).values())
    return str(bad)


def render(rows: list[dict]) -> str:
    rows = sorted(rows, key=lambda r: (ORDER.get(r["setup"], 9), r["pace"], r["couples"]))
    head = (
        "| Setup | Pace | Couples | Room actions/s | Room p50 / p99 ms | Lost turns "
        "| Refusals + errors | Reconnects | Refused conns | Server CPU ms/action "
        "| Server peak RSS MiB | Load gen CPU % | Relay msgs/s | Relay p50 / p99 ms "
        "| Relay lost | Ratio | Load avg before |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        app = r.get("app") or {}
        lat, blat = r.get("latency_ms") or {}, r.get("bare_latency_ms") or {}
        lines.append(
            "| "
            + " | ".join(
                [
                    r["setup"],
                    r["pace"],
                    _n(r["couples"]),
                    _n(r.get("actions_per_s"), 1),
                    f"{_n(lat.get('p50'))} / {_n(lat.get('p99'))}",
                    _n(r.get("lost_turns")),
                    _errors(r),
                    _n(r.get("reconnects")),
                    _n(r.get("connection_refused")),
                    _n(app.get("server_cpu_ms_per_msg"), 1),
                    "+".join(str(x) for x in r.get("server_peak_rss_mb") or []) or "-",
                    "+".join(str(x) for x in r.get("client_cpu_pct") or []) or "-",
                    _n(r.get("bare_messages_per_s"), 1),
                    f"{_n(blat.get('p50'))} / {_n(blat.get('p99'))}",
                    _n(r.get("bare_lost")),
                    _n(r.get("ratio_throughput"), 2),
                    _n((r.get("load_before") or [None])[0], 1),
                ]
            )
            + " |"
        )
    return "\n".join(lines)
