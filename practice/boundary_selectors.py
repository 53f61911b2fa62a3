"""Reads for the boundaries pages, each in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from couples.models import Couple, User

from .boundaries import LIVE_STATUSES, couple_today
from .flow import negotiation as neg
from .models import Boundary, BoundaryAcceptance, BoundaryEvent, BoundaryVersion
from .textdiff import word_diff


@dataclass
class BoundaryRow:
    boundary: Boundary
    current: BoundaryVersion | None
    draft: dict | None  # the latest draft of an open negotiation
    due: bool = False
    your_move: bool = False
    in_room: bool = False
    note: str = ""


@dataclass
class Overview:
    due: list[BoundaryRow] = field(default_factory=list)
    agreed: list[BoundaryRow] = field(default_factory=list)
    waiting_for_you: list[BoundaryRow] = field(default_factory=list)
    waiting_for_partner: list[BoundaryRow] = field(default_factory=list)
    closed: list[BoundaryRow] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.due, self.agreed, self.waiting_for_you, self.waiting_for_partner, self.closed)
        )


def _with_versions(queryset):
    return queryset.select_related("live_checkin").prefetch_related(
        Prefetch(
            "versions", queryset=BoundaryVersion.objects.order_by("number"), to_attr="all_versions"
        )
    )


def overview(user: User, couple: Couple) -> Overview:
    """Due for review first, then the rest of the agreed ones, the open proposals, the closed."""
    today = couple_today(couple)
    me = str(user.pk)
    result = Overview()
    boundaries = _with_versions(Boundary.objects.filter(couple=couple)).order_by(
        "next_review_on", "-updated_at", "pk"
    )
    for boundary in boundaries:
        versions = boundary.all_versions
        current = versions[-1] if versions else None
        item = boundary.negotiation
        open_item = item if item and item["status"] == neg.OPEN else None
        in_room = bool(boundary.live_checkin and boundary.live_checkin.status in LIVE_STATUSES)
        row = BoundaryRow(
            boundary=boundary,
            current=current,
            draft=neg.latest(item) if item else None,
            in_room=in_room,
        )
        if boundary.status == Boundary.Status.AGREED:
            pending = boundary.pending_review
            row.due = boundary.next_review_on is not None and boundary.next_review_on <= today
            if open_item:
                row.your_move = neg.can_respond(open_item, me)
                row.note = "A change is being discussed."
            elif pending:
                row.your_move = pending["by"] != me
                row.note = f"Proposed: {pending['decision']}."
            (result.due if row.due else result.agreed).append(row)
            if row.your_move and not in_room:
                result.waiting_for_you.append(row)
        elif boundary.status == Boundary.Status.PROPOSED and open_item:
            row.your_move = neg.can_respond(open_item, me) or _unanswered_for(open_item, me)
            target = result.waiting_for_you if row.your_move else result.waiting_for_partner
            target.append(row)
        else:
            result.closed.append(row)
    return result


def _unanswered_for(item: dict, me: str) -> bool:
    return any(q["by"] != me and q["answer"] is None for q in item["questions"])


def waiting_for_you_count(user: User, couple: Couple) -> int:
    return len(overview(user, couple).waiting_for_you)


def detail(user: User, couple: Couple, pk) -> dict | None:
    boundary = (
        _with_versions(Boundary.objects.filter(couple=couple, pk=pk))
        .prefetch_related(
            Prefetch(
                "all_versions__acceptances",
                queryset=BoundaryAcceptance.objects.select_related("user", "checkin"),
            ),
            Prefetch(
                "events",
                queryset=BoundaryEvent.objects.select_related("actor", "confirmed_by", "checkin"),
            ),
        )
        .select_related("created_by")
        .first()
    )
    if boundary is None:
        return None
    versions = boundary.all_versions
    history = []
    previous = None
    for version in versions:
        history.append(
            {
                "version": version,
                "statement_diff": word_diff(previous.statement, version.statement)
                if previous
                else None,
                "consequence_diff": word_diff(previous.consequence, version.consequence)
                if previous
                else None,
                "cadence_changed": previous is not None
                and previous.review_weeks != version.review_weeks,
                "previous": previous,
            }
        )
        previous = version
    item = boundary.negotiation
    names = _names(couple)
    return {
        "boundary": boundary,
        "current": versions[-1] if versions else None,
        "history": list(reversed(history)),
        "events": list(boundary.events.all()),
        "negotiation": _negotiation_view(item, str(user.pk), names) if item else None,
        "pending_review": boundary.pending_review,
        "pending_mine": bool(
            boundary.pending_review and boundary.pending_review["by"] == str(user.pk)
        ),
        "in_room": bool(boundary.live_checkin and boundary.live_checkin.status in LIVE_STATUSES),
        "due": boundary.status == Boundary.Status.AGREED
        and boundary.next_review_on is not None
        and boundary.next_review_on <= couple_today(couple),
    }


def _names(couple: Couple) -> dict[str, str]:
    users = User.objects.filter(memberships__couple=couple).only("pk", "display_name")
    return {str(u.pk): u.display_name for u in users}


def _negotiation_view(item: dict, me: str, names: dict[str, str]) -> dict:
    drafts = []
    previous = None
    for draft in item["drafts"]:
        drafts.append(
            {
                **draft,
                "by_name": "You" if draft["by"] == me else names.get(draft["by"], "Former partner"),
                "mine": draft["by"] == me,
                "diff": word_diff(previous["statement"], draft["statement"]) if previous else None,
            }
        )
        previous = draft
    questions = [
        {
            **q,
            "by_name": "You" if q["by"] == me else names.get(q["by"], "Former partner"),
            "mine": q["by"] == me,
            "for_me": q["by"] != me and q["answer"] is None,
        }
        for q in item["questions"]
    ]
    return {
        "item": item,
        "drafts": drafts,
        "latest": drafts[-1],
        "questions": questions,
        "open": item["status"] == neg.OPEN,
        "can_respond": neg.can_respond(item, me),
        "can_withdraw": item["status"] == neg.OPEN and item["drafts"][-1]["by"] == me,
    }


def agreed_for_export(couple: Couple) -> list[tuple[Boundary, BoundaryVersion]]:
    boundaries = _with_versions(
        Boundary.objects.filter(couple=couple, status=Boundary.Status.AGREED)
    ).order_by("next_review_on", "pk")
    return [(b, b.all_versions[-1]) for b in boundaries if b.all_versions]
