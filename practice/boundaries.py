"""Boundaries: agreements negotiated in the room or on the boundaries page, kept as versions.

The rules of negotiation are the pure functions in flow/negotiation.py. Here they
meet the database: the room's events are stored as they happen (so the page shows
a negotiation under way), and the page's own actions lock the boundary row, apply
the same rules and store the outcome. A version row exists only once both
partners accepted that wording (two acceptances, written together).
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from couples.models import Couple, User
from couples.selectors import active_couple

from .flow import ErrorCode, Refusal
from .flow import negotiation as neg
from .models import Boundary, BoundaryAcceptance, BoundaryEvent, BoundaryVersion, CheckIn

# A paused check-in keeps its boundaries: resuming it continues where the room was.
LIVE_STATUSES = (CheckIn.Status.ACTIVE, CheckIn.Status.PAUSED)


class BoundaryError(Exception):
    def __init__(self, message: str, code: str = ErrorCode.INVALID):
        self.message = message
        self.code = code
        super().__init__(message)


class BoundaryNotFound(Exception):
    pass


def couple_today(couple: Couple) -> date:
    """Today in the couple's time zone (the ritual's, once set; else UTC)."""
    from .rituals import couple_timezone

    return timezone.localdate(timezone.now(), couple_timezone(couple))


def _dt(ts: float):
    from .services import ts_to_datetime

    return ts_to_datetime(ts)


def _members(couple: Couple) -> dict[str, User]:
    users = User.objects.filter(
        memberships__couple=couple, memberships__left_at__isnull=True
    ).order_by("memberships__joined_at")
    return {str(u.pk): u for u in users}


# --- From the room ------------------------------------------------------------------------


def due_for_review(couple: Couple) -> list[dict]:
    """Agreed boundaries due for review that no one is negotiating, for a new check-in."""
    today = couple_today(couple)
    due = []
    boundaries = (
        Boundary.objects.filter(
            couple=couple,
            status=Boundary.Status.AGREED,
            next_review_on__lte=today,
            negotiation__isnull=True,
        )
        .exclude(live_checkin__status__in=LIVE_STATUSES)
        .order_by("next_review_on", "pk")
    )
    latest = _latest_versions(boundaries)
    for boundary in boundaries:
        version = latest.get(boundary.pk)
        if version is None:
            continue
        due.append(
            {
                "boundary_id": boundary.pk,
                "statement": version.statement,
                "consequence": version.consequence,
                "review_weeks": boundary.review_weeks,
                "version": version.number,
                "next_review_on": boundary.next_review_on.isoformat(),
            }
        )
    return due


def waiting_on_page(couple: Couple) -> int:
    return Boundary.objects.filter(
        couple=couple, negotiation__status=neg.OPEN, live_checkin__isnull=True
    ).count()


def _latest_versions(boundaries) -> dict[int, BoundaryVersion]:
    ids = [b.pk for b in boundaries]
    latest = {}
    for version in BoundaryVersion.objects.filter(boundary_id__in=ids).order_by("number"):
        latest[version.boundary_id] = version
    return latest


def claim_for_checkin(checkin: CheckIn, boundary_ids: list[int]) -> None:
    """Due boundaries under review in a live room: the page defers to the room meanwhile."""
    if boundary_ids:
        Boundary.objects.filter(couple=checkin.couple, pk__in=boundary_ids).update(
            live_checkin=checkin
        )


def release_from_checkin(checkin: CheckIn) -> None:
    """The room is over: what it left open continues on the boundaries page."""
    Boundary.objects.filter(live_checkin=checkin).update(live_checkin=None)


def apply_room_events(checkin: CheckIn, events, now: float) -> None:
    """Store what the room's boundaries step decided. Runs inside the check-in's transaction."""
    roles = {"a": str(checkin.partner_a_id), "b": str(checkin.partner_b_id)}
    users = {"a": checkin.partner_a, "b": checkin.partner_b}
    for event in events:
        if event["kind"] == "negotiation":
            _store_room_negotiation(checkin, neg.relabel(event["item"], roles), users, now)
        elif event["kind"] == "review":
            boundary = (
                Boundary.objects.select_for_update()
                .filter(pk=event["boundary_id"], couple=checkin.couple)
                .first()
            )
            if boundary is not None and boundary.status == Boundary.Status.AGREED:
                _decide(
                    boundary,
                    event["decision"],
                    event["reason"],
                    proposer=users[event["proposed_by"]],
                    confirmer=users[event["confirmed_by"]],
                    checkin=checkin,
                    now=now,
                )


def _store_room_negotiation(checkin: CheckIn, item: dict, users: dict, now: float) -> None:
    actor = _user_of(checkin, item["drafts"][-1]["by"]) if item["status"] == neg.OPEN else None
    if item["kind"] == "new":
        boundary, created = Boundary.objects.select_for_update().get_or_create(
            origin_checkin=checkin,
            origin_item=item["id"],
            defaults={
                "couple": checkin.couple,
                "created_by": _user_of(checkin, item["drafts"][0]["by"]),
                "created_at": _dt(now),
            },
        )
        if created:
            _event(boundary, BoundaryEvent.Kind.PROPOSED, boundary.created_by, checkin, now)
    else:
        boundary = (
            Boundary.objects.select_for_update()
            .filter(pk=item["boundary_id"], couple=checkin.couple)
            .first()
        )
        if boundary is None:
            return
        if boundary.negotiation is None:
            _event(boundary, BoundaryEvent.Kind.AMENDMENT_PROPOSED, actor, checkin, now)
    status = item["status"]
    if status == "parked":
        # Left for later: the page takes over the same negotiation.
        item = {**item, "status": neg.OPEN}
        item.pop("parked_by", None)
        item.pop("parked_at", None)
        boundary.negotiation = item
        boundary.live_checkin = None
    elif status == neg.OPEN:
        boundary.negotiation = item
        boundary.live_checkin = checkin
    else:
        boundary.live_checkin = None
        _close_negotiation(boundary, item, checkin=checkin, now=now)
    boundary.updated_at = _dt(now)
    boundary.save()


def _user_of(checkin: CheckIn, party: str) -> User | None:
    return User.objects.filter(pk=int(party)).first() if party and party.isdigit() else None


# --- Shared by room and page -------------------------------------------------------------


def _close_negotiation(boundary: Boundary, item: dict, *, checkin, now: float) -> None:
    """A negotiation ended: agreed (a new version), or declined/withdrawn."""
    closer = (
        User.objects.filter(pk=int(item["closed_by"])).first() if item.get("closed_by") else None
    )
    if item["status"] == neg.AGREED:
        _record_agreement(boundary, item, checkin=checkin, now=now)
        return
    kind = (
        BoundaryEvent.Kind.DECLINED
        if item["status"] == neg.DECLINED
        else BoundaryEvent.Kind.WITHDRAWN
    )
    if item["kind"] == "new":
        boundary.status = (
            Boundary.Status.DECLINED
            if item["status"] == neg.DECLINED
            else Boundary.Status.WITHDRAWN
        )
        boundary.negotiation = item  # kept, so the page can show what was proposed
        _event(boundary, kind, closer, checkin, now, note=item.get("reason", ""))
    else:
        boundary.negotiation = None
        _event(
            boundary,
            BoundaryEvent.Kind.AMENDMENT_DROPPED,
            closer,
            checkin,
            now,
            note=item.get("reason", ""),
        )


def _record_agreement(boundary: Boundary, item: dict, *, checkin, now: float) -> BoundaryVersion:
    if not neg.is_agreed(item):  # the one place a version is made: never on one word
        raise BoundaryError("Both partners must accept the same version.")
    draft = neg.latest(item)
    parties = item["parties"]
    people = {str(u.pk): u for u in User.objects.filter(pk__in=[int(p) for p in parties])}
    if len(set(parties)) != 2:
        raise BoundaryError("A boundary is agreed between two partners.")
    number = (boundary.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = BoundaryVersion.objects.create(
        boundary=boundary,
        number=number,
        statement=draft["statement"],
        consequence=draft["consequence"],
        review_weeks=draft["review_weeks"],
        proposed_by=people.get(draft["by"]),
        agreed_at=_dt(now),
        checkin=checkin,
        transcript={"drafts": item["drafts"], "questions": item["questions"]},
    )
    accepted_at = item.get("accepted_at", {})
    for party in parties:
        when = draft["at"] if party == draft["by"] else accepted_at.get(party, now)
        BoundaryAcceptance.objects.create(
            version=version, user=people.get(party), accepted_at=_dt(when), checkin=checkin
        )
    boundary.status = Boundary.Status.AGREED
    boundary.review_weeks = draft["review_weeks"]
    boundary.next_review_on = couple_today(boundary.couple) + timedelta(weeks=draft["review_weeks"])
    boundary.agreed_at = boundary.agreed_at or _dt(now)
    boundary.negotiation = None
    boundary.pending_review = None
    kind = BoundaryEvent.Kind.AGREED if number == 1 else BoundaryEvent.Kind.AMENDED
    _event(boundary, kind, people.get(item["closed_by"]), checkin, now, note=f"Version {number}")
    return version


def _decide(boundary, decision, reason, *, proposer, confirmer, checkin, now) -> None:
    boundary.pending_review = None
    if decision == "keep":
        boundary.next_review_on = couple_today(boundary.couple) + timedelta(
            weeks=boundary.review_weeks
        )
        _event(
            boundary,
            BoundaryEvent.Kind.KEPT,
            proposer,
            checkin,
            now,
            note=reason,
            confirmed_by=confirmer,
        )
    else:
        boundary.status = Boundary.Status.RETIRED
        boundary.retired_at = _dt(now)
        boundary.retired_reason = reason
        boundary.negotiation = None
        _event(
            boundary,
            BoundaryEvent.Kind.RETIRED,
            proposer,
            checkin,
            now,
            note=reason,
            confirmed_by=confirmer,
        )
    boundary.updated_at = _dt(now)
    boundary.save()


def _event(boundary, kind, actor, checkin, now, *, note="", confirmed_by=None) -> None:
    BoundaryEvent.objects.create(
        boundary=boundary,
        kind=kind,
        actor=actor,
        confirmed_by=confirmed_by,
        at=_dt(now),
        checkin=checkin,
        note=note,
    )


# --- From the boundaries page -------------------------------------------------------------


def _now() -> float:
    from .services import now_ts

    return now_ts()


def _locked(user: User, boundary_id) -> tuple[Boundary, dict[str, User]]:
    couple = active_couple(user)
    if couple is None:
        raise BoundaryNotFound
    boundary = Boundary.objects.select_for_update().filter(pk=boundary_id, couple=couple).first()
    if boundary is None:
        raise BoundaryNotFound
    live = (
        CheckIn.objects.filter(pk=boundary.live_checkin_id, status__in=LIVE_STATUSES).first()
        if boundary.live_checkin_id
        else None
    )
    if live is not None:
        where = "right now" if live.status == CheckIn.Status.ACTIVE else "that is paused"
        raise BoundaryError(
            f"You're discussing this boundary in a check-in {where}. Continue there, "
            "or end that check-in to continue here."
        )
    members = _members(couple)
    if len(members) != 2:
        raise BoundaryError("Boundaries are agreed between two partners.")
    return boundary, members


def boundary_propose(*, user: User, data: dict) -> Boundary:
    """Propose a new boundary from the page. The partner answers from the same page."""
    with transaction.atomic():
        couple = active_couple(user)
        if couple is None:
            raise BoundaryNotFound
        members = _members(couple)
        if len(members) != 2:
            raise BoundaryError("Your partner needs to join before you can propose a boundary.")
        now = _now()
        try:
            draft = neg.parse_draft(data)
            item = neg.start(
                item_id=0, parties=tuple(members), by=str(user.pk), draft=draft, now=now
            )
        except Refusal as refusal:
            raise BoundaryError(refusal.message, refusal.code) from refusal
        boundary = Boundary.objects.create(
            couple=couple,
            created_by=user,
            negotiation=item,
            created_at=_dt(now),
            updated_at=_dt(now),
        )
        _event(boundary, BoundaryEvent.Kind.PROPOSED, user, None, now)
    return boundary


NEGOTIATION_ACTIONS = ("ask", "answer", "counter", "accept", "decline", "withdraw")


def boundary_act(*, user: User, boundary_id, action: str, data: dict) -> Boundary:
    """Answer an open negotiation from the page: ask, answer, counter, accept, decline, withdraw."""
    if action not in NEGOTIATION_ACTIONS:
        raise BoundaryError("That isn't something you can do with a proposal.")
    with transaction.atomic():
        boundary, _ = _locked(user, boundary_id)
        item = boundary.negotiation
        if item is None or item["status"] != neg.OPEN:
            raise BoundaryError(
                "There's no open proposal on this boundary.", ErrorCode.ALREADY_DONE
            )
        me, now = str(user.pk), _now()
        try:
            if action == "ask":
                item = neg.ask(item, by=me, text=data.get("text"), now=now)
            elif action == "answer":
                item = neg.answer(
                    item,
                    by=me,
                    question_id=_int(data.get("question")),
                    text=data.get("text"),
                    now=now,
                )
            elif action == "counter":
                item = neg.counter(item, by=me, draft=neg.parse_draft(data), now=now)
            elif action == "accept":
                item = neg.accept(item, by=me, version=_int(data.get("version")), now=now)
            elif action == "decline":
                item = neg.decline(item, by=me, reason=data.get("reason", ""), now=now)
            else:
                item = neg.withdraw(item, by=me, now=now)
        except Refusal as refusal:
            raise BoundaryError(refusal.message, refusal.code) from refusal
        if item["status"] == neg.OPEN:
            boundary.negotiation = item
        else:
            _close_negotiation(boundary, item, checkin=None, now=now)
        boundary.updated_at = _dt(now)
        boundary.save()
    return boundary


def boundary_review(*, user: User, boundary_id, decision: str, data: dict) -> Boundary:
    """Start or confirm a review from the page: keep, retire (both confirm) or amend."""
    with transaction.atomic():
        boundary, members = _locked(user, boundary_id)
        if boundary.status != Boundary.Status.AGREED:
            raise BoundaryError("Only an agreed boundary can be reviewed.")
        if boundary.negotiation is not None:
            raise BoundaryError("A change to this boundary is already being discussed.")
        me, now = str(user.pk), _now()
        try:
            if decision == "amend":
                draft = neg.parse_draft(data)
                boundary.negotiation = neg.start(
                    item_id=0,
                    parties=tuple(members),
                    by=me,
                    draft=draft,
                    now=now,
                    boundary_id=boundary.pk,
                )
                boundary.pending_review = None
                _event(boundary, BoundaryEvent.Kind.AMENDMENT_PROPOSED, user, None, now)
            else:
                pending, decided = neg.review(
                    boundary.pending_review,
                    by=me,
                    decision=decision,
                    reason=data.get("reason", ""),
                    now=now,
                )
                if decided is None:
                    boundary.pending_review = pending
                    _event(
                        boundary, BoundaryEvent.Kind.REVIEW_PROPOSED, user, None, now, note=decision
                    )
                else:
                    _decide(
                        boundary,
                        decided["decision"],
                        decided["reason"],
                        proposer=members.get(decided["proposed_by"]),
                        confirmer=user,
                        checkin=None,
                        now=now,
                    )
                    return boundary
        except Refusal as refusal:
            raise BoundaryError(refusal.message, refusal.code) from refusal
        boundary.updated_at = _dt(now)
        boundary.save()
    return boundary


def _int(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
