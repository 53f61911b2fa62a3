"""Check-in services: the only code that writes a check-in's state.

Every change goes through `checkin_act` (or `_advance_clock`): lock the row,
apply the pure engine, store the new state, its version and the turn in one
transaction. The broadcast happens after commit, carrying the version, so a
client that misses one notices the gap and asks for a snapshot.
"""

import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from couples import notify
from couples.models import Couple, User
from couples.selectors import is_active_member, partner_of

from . import flow, hooks
from .flow import ErrorCode, Refusal
from .models import CheckIn, Turn


class CheckInError(Exception):
    def __init__(self, message: str, checkin: CheckIn | None = None):
        self.message = message
        self.checkin = checkin
        super().__init__(message)


@dataclass(frozen=True)
class Accepted:
    version: int
    state: dict
    duplicate: bool = False


@dataclass(frozen=True)
class Refused:
    refusal: Refusal
    version: int


def now_ts() -> float:
    return time.time()


def ts_to_datetime(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def new_room_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


# --- Starting -----------------------------------------------------------------


def checkin_start(*, user: User, agenda: str = flow.DEFAULT_AGENDA) -> CheckIn:
    """Open a live room for the user's couple. One live room per couple at a time."""
    if agenda not in flow.AGENDAS:
        raise CheckInError("Choose one of the agendas offered.")
    with transaction.atomic():
        couple = (
            Couple.objects.select_for_update()
            .filter(
                ended_at__isnull=True, memberships__user=user, memberships__left_at__isnull=True
            )
            .first()
        )
        if couple is None:
            raise CheckInError("You need to be paired with your partner to start a check-in.")
        partner = partner_of(user, couple)
        if partner is None:
            raise CheckInError("Your partner hasn't joined yet. Send them your invite link.")
        live = CheckIn.objects.filter(couple=couple, status=CheckIn.Status.ACTIVE).first()
        if live is not None:
            raise CheckInError("A check-in is already in progress.", checkin=live)
        now = now_ts()
        roles = {"a": user, "b": partner}
        state = flow.new_state(
            agenda,
            now=now,
            appreciations=couple.appreciations_per_checkin,
            break_minutes=settings.BREAK_MINUTES,
            last_commitments=hooks.last_commitments(couple, roles) if agenda == "weekly" else {},
            step_inputs=hooks.step_inputs(couple, roles, flow.AGENDAS[agenda]),
        )
        checkin = CheckIn(
            couple=couple,
            token=new_room_token(),
            agenda=agenda,
            state=state,
            version=0,
            partner_a=user,
            partner_b=partner,
            started_at=ts_to_datetime(now),
            updated_at=ts_to_datetime(now),
        )
        try:
            with transaction.atomic():
                checkin.save()
        except IntegrityError as exc:  # the partner started one at the same instant
            live = CheckIn.objects.filter(couple=couple, status=CheckIn.Status.ACTIVE).first()
            raise CheckInError("A check-in is already in progress.", checkin=live) from exc
        hooks.on_started(checkin)
        transaction.on_commit(lambda: notify_started(checkin, user))
    return checkin


def notify_started(checkin: CheckIn, by: User) -> None:
    notify.send(
        notify.couple_group(checkin.couple_id),
        {
            "type": "checkin.started",
            "url": checkin.get_absolute_url(),
            "agenda": checkin.agenda_obj.title,
            "by": by.pk,
            "by_name": by.display_name,
        },
    )


# --- Access -------------------------------------------------------------------


@dataclass(frozen=True)
class RoomAccess:
    checkin_id: int
    couple_id: int
    role: str


def room_access(*, user: User, token: str) -> RoomAccess | None:
    """The user's role in the room behind `token`, or None. None says nothing more."""
    if not user.is_authenticated or not isinstance(token, str) or len(token) > 64:
        return None
    checkin = (
        CheckIn.objects.filter(token=token)
        .only("id", "couple_id", "partner_a", "partner_b")
        .first()
    )
    if checkin is None:
        return None
    role = checkin.role_of(user)
    if role is None or not is_active_member(user, checkin.couple_id):
        return None
    return RoomAccess(checkin.pk, checkin.couple_id, role)


# --- Acting -------------------------------------------------------------------


def checkin_act(
    *,
    checkin_id: int,
    user: User,
    action: str,
    data: dict | None,
    client_id: uuid.UUID | None,
) -> Accepted | Refused:
    """Apply one action for `user`, exactly once per client_id."""
    with transaction.atomic():
        checkin = CheckIn.objects.select_for_update().get(pk=checkin_id)
        # Membership is re-checked on every action: a partner who left loses the room at once.
        role = checkin.role_of(user)
        if role is None or not is_active_member(user, checkin.couple_id):
            return Refused(Refusal(ErrorCode.FORBIDDEN), checkin.version)
        if client_id is not None:
            seen = Turn.objects.filter(checkin=checkin, client_id=client_id).values("seq").first()
            if seen is not None:
                return Accepted(seen["seq"], checkin.state, duplicate=True)
        now = now_ts()
        _advance_clock(checkin, now)
        outcome = flow.apply(checkin.state, role, action, data, now)
        if isinstance(outcome, Refusal):
            return Refused(outcome, checkin.version)
        _store(checkin, outcome, role=role, author=user, client_id=client_id, now=now)
    return Accepted(checkin.version, checkin.state)


def checkin_snapshot(*, checkin_id: int) -> tuple[int, dict]:
    """The current version and state, after any transition the clock has made."""
    checkin = CheckIn.objects.only("id", "version", "state", "status").get(pk=checkin_id)
    if flow.tick(checkin.state, now_ts()) is not None:
        with transaction.atomic():
            checkin = CheckIn.objects.select_for_update().get(pk=checkin_id)
            if _advance_clock(checkin, now_ts()):
                transaction.on_commit(lambda: broadcast_sync(checkin))
    return checkin.version, checkin.state


def checkin_version(*, checkin_id: int) -> int:
    return CheckIn.objects.filter(pk=checkin_id).values_list("version", flat=True).get()


def _advance_clock(checkin: CheckIn, now: float) -> bool:
    """Store the clock's transition (a long break pauses the room), if any. Row must be locked."""
    outcome = flow.tick(checkin.state, now)
    if outcome is None:
        return False
    _store(checkin, outcome, role="", author=None, client_id=None, now=now)
    return True


def _store(checkin: CheckIn, outcome: flow.Outcome, *, role, author, client_id, now) -> None:
    checkin.version += 1
    checkin.state = outcome.state
    checkin.status = outcome.state["status"]
    checkin.updated_at = ts_to_datetime(now)
    if checkin.status in (CheckIn.Status.FINISHED, CheckIn.Status.ENDED):
        checkin.ended_at = ts_to_datetime(now)
    turn = outcome.turn
    Turn.objects.create(
        checkin=checkin,
        seq=checkin.version,
        step=turn.step,
        action=turn.action,
        role=role,
        author=author,
        text=turn.text,
        data=turn.data,
        coaching=hooks.coaching_for(turn, outcome.state),
        client_id=client_id,
        created_at=ts_to_datetime(now),
    )
    hooks.on_events(checkin, outcome.events, now)
    if checkin.status in (CheckIn.Status.FINISHED, CheckIn.Status.ENDED):
        hooks.on_ended(checkin)
    checkin.save(update_fields=["version", "state", "status", "updated_at", "ended_at", "summary"])


def checkin_reopen(*, user: User, checkin: CheckIn) -> Accepted | Refused:
    """Resume a paused check-in from the dashboard (the engine's `reopen`)."""
    if CheckIn.objects.filter(couple_id=checkin.couple_id, status=CheckIn.Status.ACTIVE).exists():
        raise CheckInError("Finish or end the check-in in progress before resuming another.")
    try:
        with transaction.atomic():
            result = checkin_act(
                checkin_id=checkin.pk, user=user, action="reopen", data={}, client_id=None
            )
    except IntegrityError as exc:
        raise CheckInError("Another check-in was started at the same moment.") from exc
    if isinstance(result, Accepted):
        checkin.refresh_from_db()
        broadcast_sync(checkin)
    return result


# --- Broadcasting -------------------------------------------------------------


def room_message(version: int, state: dict) -> dict:
    """The group message a room's consumers turn into per-partner snapshots."""
    return {"type": "room.state", "version": version, "state": state}


def broadcast_sync(checkin: CheckIn) -> None:
    notify.send(notify.room_group(checkin.pk), room_message(checkin.version, checkin.state))
