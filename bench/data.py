"""The bench's own couples, check-ins and sessions, written through the ORM and services.

Needs Django set up (bench.runner does it). Bench accounts live under the
reserved `.invalid` domain and have unusable passwords: nobody can log in as
them, and no password is hashed on the way (sessions are written directly).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from couples.models import Couple, Membership, User
from practice import services
from practice.models import CheckIn, Turn

DOMAIN = "bench.invalid"
SESSION_PREFIX = "bench"
AGENDA = "listening"


def email(i: int, role: str) -> str:
    return f"bench{i:05d}{role}@{DOMAIN}"


@dataclass
class BenchCouple:
    index: int
    couple_id: int
    a: User
    b: User


def ensure_couples(indices) -> list[BenchCouple]:
    """The bench couples with these indices, created once and reused by later runs."""
    indices = list(indices)
    wanted = {email(i, r) for i in indices for r in "ab"}
    users = {u.email: u for u in User.objects.filter(email__in=wanted)}
    missing = [i for i in indices if email(i, "a") not in users or email(i, "b") not in users]
    if missing:
        unusable = make_password(None)
        now = timezone.now()
        with transaction.atomic():
            new_users = User.objects.bulk_create(
                [
                    User(
                        email=email(i, r),
                        display_name=f"{'Ash' if r == 'a' else 'Bo'} {i}",
                        password=unusable,
                        consented_at=now,
                    )
                    for i in missing
                    for r in "ab"
                ]
            )
            users.update({u.email: u for u in new_users})
            couples = Couple.objects.bulk_create(
                [Couple(created_by=users[email(i, "a")]) for i in missing]
            )
            Membership.objects.bulk_create(
                Membership(couple=c, user=users[email(i, r)])
                for i, c in zip(missing, couples, strict=True)
                for r in "ab"
            )
    couple_of = dict(
        Membership.objects.filter(user__email__in=wanted, left_at__isnull=True).values_list(
            "user__email", "couple_id"
        )
    )
    return [
        BenchCouple(i, couple_of[email(i, "a")], users[email(i, "a")], users[email(i, "b")])
        for i in indices
    ]


def reset_checkins(couples: list[BenchCouple]) -> None:
    """Forget earlier runs' check-ins (and their turns) for these couples."""
    ids = [c.couple_id for c in couples]
    Turn.objects.filter(checkin__couple_id__in=ids).delete()
    CheckIn.objects.filter(couple_id__in=ids).delete()


def start_checkins(couples: list[BenchCouple]) -> dict[int, CheckIn]:
    return {c.index: services.checkin_start(user=c.a, agenda=AGENDA) for c in couples}


def make_sessions(users: list[User]) -> dict[int, str]:
    """A logged-in session per user, as login() would store it, without a password check."""
    Session.objects.filter(session_key__startswith=SESSION_PREFIX).delete()
    store = SessionStore()
    expires = timezone.now() + timedelta(days=1)
    keys, rows = {}, []
    for user in users:
        key = SESSION_PREFIX + get_random_string(32 - len(SESSION_PREFIX))
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys[user.pk] = key
    Session.objects.bulk_create(rows, batch_size=500)
    return keys


def missing_turns(acked: list[list]) -> list[list]:
    """Acked actions ([room token, client_id, version]) with no matching turn in the database."""
    tokens = {token for token, _, _ in acked}
    id_of = dict(CheckIn.objects.filter(token__in=tokens).values_list("token", "id"))
    stored = set()
    ids = list(id_of.values())
    for start in range(0, len(ids), 500):
        stored.update(
            (checkin_id, str(client_id), seq)
            for checkin_id, client_id, seq in Turn.objects.filter(
                checkin_id__in=ids[start : start + 500]
            ).values_list("checkin_id", "client_id", "seq")
        )
    return [
        [token, client_id, version]
        for token, client_id, version in acked
        if (id_of.get(token), client_id, version) not in stored
    ]
