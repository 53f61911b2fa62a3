"""Reads for practice pages. Each returns what a page needs in a fixed number of queries."""

from couples.models import Couple, User
from couples.selectors import can_read_history

from .coaching_selectors import coaching_progress
from .models import CheckIn


def live_checkin(couple: Couple) -> CheckIn | None:
    return CheckIn.objects.filter(couple=couple, status=CheckIn.Status.ACTIVE).first()


def paused_checkins(couple: Couple):
    return CheckIn.objects.filter(couple=couple, status=CheckIn.Status.PAUSED).only(
        "id", "token", "agenda", "started_at", "status", "couple_id"
    )


def dashboard_context(user: User, couple: Couple) -> dict:
    recent = list(
        CheckIn.objects.filter(couple=couple)
        .exclude(status=CheckIn.Status.ACTIVE)
        .only("id", "token", "agenda", "started_at", "ended_at", "status", "couple_id")[:5]
    )
    from .boundary_selectors import overview
    from .flow import AGENDAS
    from .rituals import ritual_overview

    boundaries = overview(user, couple)
    return {
        **ritual_overview(user, couple),
        "boundaries_for_you": len(boundaries.waiting_for_you),
        "boundaries_due": len(boundaries.due),
        "agendas": list(AGENDAS.items()),
        "live_checkin": live_checkin(couple),
        "paused_checkins": [c for c in recent if c.status == CheckIn.Status.PAUSED],
        "recent_checkins": [c for c in recent if c.status != CheckIn.Status.PAUSED],
    }


def checkin_for_reader(user: User, token: str) -> CheckIn | None:
    """A check-in the user may read: a current partner, or the one who stayed after a split."""
    checkin = CheckIn.objects.select_related("partner_a", "partner_b").filter(token=token).first()
    if checkin is None or checkin.role_of(user) is None:
        return None
    if not can_read_history(user, checkin.couple_id):
        return None
    return checkin


def summary_context(checkin: CheckIn, user: User) -> dict:
    """Everything the summary page shows, from the state and one query of the turn log."""
    from . import flow
    from .protocol import partner_names

    state = checkin.state
    names = partner_names(checkin)
    role = checkin.role_of(user)
    agenda = checkin.agenda_obj
    turns = list(
        checkin.turns.filter(action__in=HEARD_ACTIONS).only("seq", "step", "action", "role", "text")
    )
    sections = []
    for step in agenda.steps:
        data = state["steps"].get(step.key)
        if data is None:
            continue
        section = {"step": step, "kind": step.kind}
        if step.kind == "arrive":
            hidden = not all(r in data["answers"] for r in flow.ROLES)
            section["answers"] = [
                {"name": names[r], **data["answers"][r]}
                for r in flow.ROLES
                if r in data["answers"] and (not hidden or r == role)
            ]
        elif step.kind == "appreciations":
            section["items"] = [
                {"name": names[i["by"]], "to": names[flow.other(i["by"])], **i}
                for i in data["items"]
            ]
        elif step.kind == "floor":
            section["rounds"] = _heard_rounds([t for t in turns if t.step == step.key], names)
        elif step.kind == "respond":
            together = step.params.get("reveal") == "together"
            hidden = together and not all(r in data["responses"] for r in flow.ROLES)
            section["responses"] = [
                {"name": names[r], "text": data["responses"][r]}
                for r in flow.ROLES
                if r in data["responses"] and (not hidden or r == role)
            ]
        elif step.kind == "close":
            section["ratings"] = [
                {"name": names[r], **data["ratings"][r]} for r in flow.ROLES if r in data["ratings"]
            ]
        elif step.kind == "boundaries":
            section.update(_boundary_outcomes(checkin, data))
        sections.append(section)
    return {
        "checkin": checkin,
        "names": names,
        "sections": sections,
        "breaks": len(state["breaks"]),
        "is_over": checkin.status in (CheckIn.Status.FINISHED, CheckIn.Status.ENDED),
        "coaching": coaching_progress(checkin, user),
    }


HEARD_ACTIONS = ("take_floor", "share", "mirror", "clarify", "confirm", "validate", "empathize")


def _heard_rounds(turns, names) -> list[dict]:
    """Group a floor step's turns into rounds: who spoke, what was said and mirrored."""
    rounds: list[dict] = []
    current = None
    for turn in turns:
        if turn.action == "share" and (current is None or current["role"] != turn.role):
            current = {
                "role": turn.role,
                "speaker": names[turn.role],
                "pieces": [],
                "validation": "",
                "empathy": "",
            }
            rounds.append(current)
        if current is None:
            continue
        if turn.action == "share":
            current["pieces"].append(
                {"share": turn.text, "mirrors": [], "clarifications": [], "exchange": []}
            )
        elif turn.action == "mirror" and current["pieces"]:
            current["pieces"][-1]["mirrors"].append(turn.text)
            current["pieces"][-1]["exchange"].append({"kind": "mirror", "text": turn.text})
        elif turn.action == "clarify" and current["pieces"]:
            current["pieces"][-1]["clarifications"].append(turn.text)
            # Mirrors and clarifications in the order they were said, for the summary page.
            current["pieces"][-1]["exchange"].append({"kind": "clarify", "text": turn.text})
        elif turn.action == "validate":
            current["validation"] = turn.text
        elif turn.action == "empathize":
            current["empathy"] = turn.text
    return rounds


ITEM_OUTCOME = {
    "agreed": "Agreed",
    "declined": "Not agreed",
    "withdrawn": "Withdrawn",
    "parked": "Left for the boundaries page",
    "open": "Still open",
}
REVIEW_OUTCOME = {
    "keep": "Kept",
    "retire": "Retired",
    "amend": "Changed (see below)",
    "later": "Left for another time",
    None: "Not decided",
}


def _boundary_outcomes(checkin: CheckIn, data: dict) -> dict:
    """What the boundaries step decided, each linked to its boundary's page (one query)."""
    from django.urls import reverse

    from .models import Boundary

    by_item = dict(Boundary.objects.filter(origin_checkin=checkin).values_list("origin_item", "pk"))

    def url(pk):
        return reverse("boundary-detail", args=[pk]) if pk else None

    items = [
        {
            "statement": item["drafts"][-1]["statement"],
            "kind": item["kind"],
            "outcome": ITEM_OUTCOME.get(item["status"], item["status"]),
            "versions": len(item["drafts"]),
            "url": url(item["boundary_id"] or by_item.get(item["id"])),
        }
        for item in data.get("items", [])
    ]
    reviews = [
        {
            "statement": due["statement"],
            "outcome": REVIEW_OUTCOME.get(due.get("decision"), due.get("decision")),
            "url": url(due["boundary_id"]),
        }
        for due in data.get("due", [])
    ]
    return {"boundary_items": items, "boundary_reviews": reviews}
