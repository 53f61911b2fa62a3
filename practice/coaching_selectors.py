"""Reads for coaching: what the room page needs for tips, and one partner's progress.

Coaching is private to whoever wrote: the live coach shows only to the partner
typing, and the progress here is only ever the viewer's own.
"""

from couples.models import User
from couples.selectors import shared_attachment_style

from .coaching import STYLES, tips_table
from .models import CheckIn, Turn

RECENT = 5
# Turns where the writer speaks for themselves (the listener's validation and
# empathy are coached live but are not counted as I-statements).
OWN_WORDS = ("share", "clarify", "appreciate", "respond", "propose", "counter")


def _style(shared: dict | None) -> str | None:
    style = (shared or {}).get("style")
    return style if style in STYLES else None


def room_coach_context(user: User, partner: User | None) -> dict:
    """Styles (yours, and your partner's only if they shared it with you) and the tips."""
    mine = _style(shared_attachment_style(user, user))
    theirs = _style(shared_attachment_style(partner, user)) if partner is not None else None
    return {"my_style": mine, "partner_style": theirs, "tips": tips_table(mine, theirs)}


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def coaching_progress(checkin: CheckIn, user: User) -> dict:
    """The viewer's own coaching figures for this check-in and the couple's recent ones.

    Two queries: the recent check-ins, and the viewer's coached turns in them.
    """
    recent = list(
        CheckIn.objects.filter(couple_id=checkin.couple_id, started_at__lte=checkin.started_at)
        .exclude(status=CheckIn.Status.ACTIVE)
        .exclude(pk=checkin.pk)
        .only("id", "started_at", "agenda")
        .order_by("-started_at")[: RECENT - 1]
    )
    checkins = [checkin, *recent]
    turns = Turn.objects.filter(
        checkin_id__in=[c.pk for c in checkins], author=user, coaching__isnull=False
    ).values_list("checkin_id", "action", "coaching")
    figures = {
        c.pk: {"statements": 0, "i_statements": 0, "blame": 0, "mirrors": 0, "good": 0}
        for c in checkins
    }
    for checkin_id, action, review in turns:
        row = figures[checkin_id]
        kind = review.get("type") if isinstance(review, dict) else None
        if kind == "mirror":
            row["mirrors"] += 1
            row["good"] += review.get("verdict") == "good"
        elif kind == "statement" and action in OWN_WORDS:
            row["statements"] += 1
            row["i_statements"] += review.get("kind") == "i_statement"
            row["blame"] += review.get("kind") == "blame"
    history = []
    for c in reversed(checkins):  # oldest first, this one last
        row = figures[c.pk]
        history.append(
            {
                "date": c.started_at,
                "current": c.pk == checkin.pk,
                **row,
                "i_share": _share(row["i_statements"], row["statements"]),
                "good_share": _share(row["good"], row["mirrors"]),
            }
        )
    this = history[-1]
    earlier = [h for h in history[:-1] if h["statements"] or h["mirrors"]]
    return {
        "this": this,
        "history": history if earlier else [],
        "has_any": bool(this["statements"] or this["mirrors"]),
        "note": _note(this, earlier),
    }


def _note(this: dict, earlier: list[dict]) -> str:
    if not (this["statements"] or this["mirrors"]):
        return ""
    shares = [h["i_share"] for h in earlier if h["i_share"] is not None]
    if this["i_share"] is not None and shares:
        before = sum(shares) / len(shares)
        if this["i_share"] > before + 5:
            return "More of what you said started from you this time. That's the practice working."
        if this["i_share"] < before - 5:
            return "A harder talk, perhaps. Starting from “I feel…” gets easier with practice."
    if this["blame"] == 0 and this["statements"]:
        return "Nothing you said came across as blame. Gentle and clear."
    return "Every check-in is practice. Small steps count."
