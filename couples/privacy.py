"""Privacy services: a user's data export, and account deletion.

Export: everything of the user's own, and what their couple shares with them, as one
JSON-ready dict. Only what the user may see today goes in: a partner's private data
never does, and a check-in is exported as this partner's view of it (answers still
hidden in the room stay hidden here).

Deletion: the couple ends first (couple_leave: live sockets close, invites stop
working). Then the account goes with everything private to it, through the database's
cascades; shared records keep their text with the author set to null, which every page
shows as "Former partner". A couple that no one may read any more is deleted whole.

Adding a feature with personal data: give its rows a `user` foreign key with
on_delete=CASCADE and they are exported (under "records") and deleted with the account;
tests/test_privacy.py checks every model. Shared data that needs shaping for export gets
a function in SECTIONS.
"""

from collections.abc import Callable
from datetime import datetime

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from . import notify, selectors
from .models import Couple, Membership, User
from .services import couple_leave

EXPORT_FORMAT = 1
FORMER_PARTNER = "Former partner"


# --- Export ------------------------------------------------------------------------------


def _row(obj: models.Model, exclude: tuple[str, ...] = ()) -> dict:
    """Every stored field of a row, by column name (foreign keys as ids)."""
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.attname not in exclude
    }


def _account(user: User) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "consented_at": user.consented_at,
    }


def _name(user: User | None, viewer: User) -> str:
    if user is None:
        return FORMER_PARTNER
    return "you" if user.pk == viewer.pk else user.display_name


def _checkins(couple: Couple, user: User) -> list[dict]:
    from practice import flow
    from practice.models import CheckIn, Turn

    now = timezone.now().timestamp()
    checkins = CheckIn.objects.filter(couple=couple).select_related("partner_a", "partner_b")
    mine = {}
    for turn in Turn.objects.filter(checkin__couple=couple, author=user).order_by("seq"):
        mine.setdefault(turn.checkin_id, []).append(
            {
                "seq": turn.seq,
                "step": turn.step,
                "action": turn.action,
                "text": turn.text,
                "data": turn.data,
                "coaching": turn.coaching,  # the coach's notes are the writer's alone
                "at": turn.created_at,
            }
        )
    out = []
    for checkin in checkins:
        role = checkin.role_of(user)
        if role is None:
            continue
        out.append(
            {
                "agenda": checkin.agenda,
                "status": checkin.status,
                "started_at": checkin.started_at,
                "ended_at": checkin.ended_at,
                "you": role,
                "partners": {
                    "a": _name(checkin.partner_a, user),
                    "b": _name(checkin.partner_b, user),
                },
                # This partner's view: what the room still hides from them is absent.
                "room": flow.view(checkin.state, role, now),
                "your_turns": mine.get(checkin.pk, []),
            }
        )
    return out


def _boundaries(couple: Couple, user: User) -> list[dict]:
    from practice.models import Boundary

    people = {
        str(m.user_id): _name(m.user, user)
        for m in Membership.objects.filter(couple=couple).select_related("user")
    }
    out = []
    boundaries = Boundary.objects.filter(couple=couple).prefetch_related(
        "versions__proposed_by", "events__actor"
    )
    for boundary in boundaries:
        out.append(
            {
                "status": boundary.status,
                "created_at": boundary.created_at,
                "agreed_at": boundary.agreed_at,
                "review_weeks": boundary.review_weeks,
                "next_review_on": boundary.next_review_on,
                "retired_at": boundary.retired_at,
                "retired_reason": boundary.retired_reason,
                "versions": [
                    {
                        "number": v.number,
                        "statement": v.statement,
                        "consequence": v.consequence,
                        "review_weeks": v.review_weeks,
                        "proposed_by": _name(v.proposed_by, user),
                        "agreed_at": v.agreed_at,
                    }
                    for v in boundary.versions.all()
                ],
                "events": [
                    {
                        "kind": e.kind,
                        "by": _name(e.actor, user),
                        "at": e.at,
                        "note": e.note,
                    }
                    for e in boundary.events.all()
                ],
                # Drafts and questions name their writers by user id; "people" maps them.
                "negotiation": boundary.negotiation,
                "pending_review": boundary.pending_review,
                "people": people,
            }
        )
    return out


def _ritual(couple: Couple, user: User) -> dict | None:
    from practice.models import ReminderOptOut, Ritual

    ritual = Ritual.objects.filter(couple=couple).first()
    if ritual is None:
        return None
    # The calendar feed's secret stays out, even hashed: the file may be kept carelessly.
    return {
        **_row(ritual, exclude=("id", "couple_id", "feed_token_hash")),
        "reminders_for_you": not ReminderOptOut.objects.filter(ritual=ritual, user=user).exists(),
    }


def _couples(user: User) -> list[dict]:
    out = []
    memberships = Membership.objects.filter(user=user).select_related("couple")
    for membership in memberships.order_by("joined_at"):
        couple = membership.couple
        entry = {
            "joined_at": membership.joined_at,
            "left_at": membership.left_at,
            "you_left": membership.departed,
            "ended_at": couple.ended_at,
        }
        if membership.departed:
            # Whoever leaves loses the shared history; the export follows the same rule.
            entry["shared_history"] = "You left this couple, so its history stays with them."
            out.append(entry)
            continue
        partners = Membership.objects.filter(couple=couple).exclude(user=user)
        partner = partners.select_related("user").first()
        entry["partner"] = _name(partner.user if partner else None, user)
        if couple.is_active and partner is not None:
            entry["partner_shares_with_you"] = {
                "attachment": selectors.shared_attachment_style(partner.user, user),
                "what_helps_note": selectors.shared_trigger_note(partner.user, user),
            }
        entry["appreciations_per_checkin"] = couple.appreciations_per_checkin
        entry["ritual"] = _ritual(couple, user)
        entry["checkins"] = _checkins(couple, user)
        entry["boundaries"] = _boundaries(couple, user)
        out.append(entry)
    return out


def _owned_rows(user: User) -> dict[str, list[dict]]:
    """Every row, in every app, that belongs to the user (a cascading `user` foreign key)."""
    out = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                field.name == "user"
                and field.is_relation
                and field.related_model is User
                and field.remote_field.on_delete is models.CASCADE
            ):
                rows = [_row(obj) for obj in model._default_manager.filter(user=user)]
                if rows:
                    out[model._meta.label] = rows
    return dict(sorted(out.items()))


def _personal_practice(user: User) -> dict:
    from practice.personal.export import personal_export

    return personal_export(user)


# Named sections of the export, in order. Add one for a feature whose shared data needs
# shaping; a user's own rows are already under "records".
SECTIONS: list[tuple[str, Callable[[User], object]]] = [
    ("account", _account),
    ("couples", _couples),
    ("personal_practice", _personal_practice),  # journal tags/triggers, goal steps
    ("records", _owned_rows),
]


def account_export(*, user: User, now: datetime | None = None) -> dict:
    """Everything of the user's, ready for json.dumps with DjangoJSONEncoder."""
    return {
        "format": EXPORT_FORMAT,
        "exported_at": now or timezone.now(),
        **{name: build(user) for name, build in SECTIONS},
    }


# --- Deletion ---------------------------------------------------------------------------


def _forget_unrevealed(user: User) -> None:
    """Answers a room still hid from the partner (arrive, responses revealed together) were
    never shared: remove them from the state, the summary and the turn log.

    The room is closed for good by now (the couple has ended), so no version moves.
    """
    from practice import flow
    from practice.models import CheckIn, Turn
    from practice.summaries import build_summary

    checkins = CheckIn.objects.select_for_update().filter(
        models.Q(partner_a=user) | models.Q(partner_b=user)
    )
    for checkin in checkins:
        role = checkin.role_of(user)
        # What the partner's view hides of this user is exactly what was never shown.
        seen = flow.view(checkin.state, flow.other(role))
        hidden = [
            (key, field)
            for key, data in seen["steps"].items()
            for field in ("answers", "responses")
            if isinstance(data.get(field), dict) and data[field].get(role) == {"hidden": True}
        ]
        if not hidden:
            continue
        for key, field in hidden:
            del checkin.state["steps"][key][field][role]
        if checkin.summary:
            checkin.summary = build_summary(checkin.state)
        checkin.save(update_fields=["state", "summary"])
        Turn.objects.filter(
            checkin=checkin,
            author=user,
            step__in=[key for key, _ in hidden],
            action__in=("arrive", "respond"),
        ).update(text="", data={}, coaching=None)


def account_delete(*, user: User) -> None:
    """Delete the account and everything private to it; end its couple first."""
    from practice.models import Turn
    from practice.personal.handoff import forget_unshown

    if selectors.active_membership(user) is not None:
        couple_leave(user=user)  # commits, then closes both partners' live sockets
    user_id = user.pk
    with transaction.atomic():
        couple_ids = list(Membership.objects.filter(user=user).values_list("couple_id", flat=True))
        # The turns' text is shared and stays; the coach's notes on it were only ever the
        # writer's, and the partner can never see them: they go.
        Turn.objects.filter(author=user).update(coaching=None)
        _forget_unrevealed(user)
        forget_unshown(user)  # personal words sent ahead that no check-in has shown
        user.delete()
        # A couple in which no one may read the history any more keeps nobody's memories:
        # only the deleted user's. It goes, with its check-ins, boundaries and ritual.
        Couple.objects.filter(pk__in=couple_ids).exclude(memberships__departed=False).delete()
        # Any other tab of this user (the dashboard's live line) closes too.
        transaction.on_commit(
            lambda: notify.send(
                notify.user_group(user_id), {"type": "access.revoked", "couple_id": None}
            )
        )
