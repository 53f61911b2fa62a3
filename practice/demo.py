"""Demo data for seed_demo: what a newcomer sees after a couple of months of practice.

Past check-ins are played through the real flow engine (with past timestamps),
so their states, turns and summaries are exactly what the room would have made.
"""

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from . import flow
from .boundaries import _record_agreement, couple_today
from .flow import negotiation as neg
from .models import Boundary, BoundaryEvent, CheckIn, Ritual, Turn
from .rituals import feed_regenerate, local_instant, zone
from .services import new_room_token
from .summaries import build_summary

# Weeks ago -> (mood a, connection a, mood b, connection b, kept a, kept b). Week 7 was missed.
WEEKS = {
    9: (2, 3, 3, 2, None, None),
    8: (3, 3, 3, 3, "partly", "yes"),
    6: (3, 2, 2, 3, None, None),
    5: (3, 3, 3, 4, "yes", "partly"),
    4: (4, 3, 3, 3, "no", "yes"),
    3: (4, 4, 4, 3, "yes", "yes"),
    2: (3, 4, 4, 4, "partly", "yes"),
    1: (4, 5, 4, 4, "yes", "yes"),
}
COMMITMENTS = [
    ("Cook dinner on Wednesday", "Plan a walk on Saturday"),
    ("Put my phone away after 9", "Ask about your day first"),
    ("Text you at lunch", "Book the babysitter"),
]
APPRECIATIONS = [
    "I appreciated you making coffee on Monday, it made the morning feel gentle.",
    "Thank you for listening when I was stressed about work.",
    "I loved that you planned Saturday without me asking.",
]


def _play(state, script, start):
    turns = []
    now = start
    for role, action, data in script:
        now += 40
        outcome = flow.apply(state, role, action, data, now)
        if isinstance(outcome, flow.Refusal):  # pragma: no cover - the script is fixed
            raise RuntimeError(f"demo script refused {action}: {outcome}")
        state = outcome.state
        turns.append((outcome.turn, role, now))
    return state, turns, now


def _weekly_script(index, moods, kept):
    mood_a, conn_a, mood_b, conn_b = moods
    commitment = COMMITMENTS[index % len(COMMITMENTS)]
    arrive_a = {
        "mood": mood_a,
        "connection": conn_a,
        "word": ["tired", "hopeful", "calm"][index % 3],
    }
    arrive_b = {"mood": mood_b, "connection": conn_b, "word": ["busy", "glad", "okay"][index % 3]}
    if kept[0]:
        arrive_a["kept"] = kept[0]
    if kept[1]:
        arrive_b["kept"] = kept[1]
    script = [
        ("a", "arrive", arrive_a),
        ("b", "arrive", arrive_b),
        ("a", "next", {}),
        ("b", "next", {}),
    ]
    for text in APPRECIATIONS:
        script += [("a", "appreciate", {"text": text}), ("b", "appreciate", {"text": text})]
    for item_id in range(1, 7):
        script.append(("b" if item_id % 2 else "a", "acknowledge", {"id": item_id}))
    script += [("a", "next", {}), ("b", "next", {}), ("a", "take_floor", {})]
    for speaker, listener in (("a", "b"), ("b", "a")):
        script += [
            (
                speaker,
                "share",
                {"text": "I felt a bit alone when the evenings got busy this week."},
            ),
            (listener, "mirror", {"text": "You felt alone when our evenings filled up."}),
            (speaker, "confirm", {}),
            (speaker, "heard", {}),
            (listener, "validate", {"text": "That makes sense, we barely saw each other."}),
            (listener, "empathize", {"text": "Lonely, maybe a little sad?"}),
            (speaker, "pass_floor", {}),
        ]
    script += [("a", "next", {}), ("b", "next", {}), ("a", "next", {}), ("b", "next", {})]
    script += [
        ("a", "respond", {"text": commitment[0]}),
        ("b", "respond", {"text": commitment[1]}),
        ("a", "next", {}),
        ("b", "next", {}),
        ("a", "rate", {"rating": min(5, mood_a + 1)}),
        ("b", "rate", {"rating": min(5, mood_b + 1)}),
    ]
    return script


def seed_practice(alex, sam) -> str:
    couple = alex.memberships.get(left_at__isnull=True).couple
    ritual = Ritual.objects.create(
        couple=couple,
        weekday=6,
        local_time=time(19, 0),
        time_zone="Europe/London",
        duration_minutes=45,
    )
    token = feed_regenerate(ritual=ritual)
    tz = zone(ritual.time_zone)
    today = timezone.now().astimezone(tz).date()
    last_sunday = today - timedelta(days=(today.weekday() + 1) % 7 or 7)
    for index, (weeks_ago, values) in enumerate(sorted(WEEKS.items(), reverse=True)):
        day = last_sunday - timedelta(weeks=weeks_ago - 1)
        start = local_instant(day, time(19, 0), tz).timestamp()
        previous = COMMITMENTS[(index - 1) % len(COMMITMENTS)]
        state = flow.new_state(
            "weekly",
            now=start,
            last_commitments={
                "a": previous[0] if values[4] else None,
                "b": previous[1] if values[5] else None,
            },
        )
        state, turns, end = _play(state, _weekly_script(index, values[:4], values[4:]), start)
        checkin = CheckIn.objects.create(
            couple=couple,
            token=new_room_token(),
            agenda="weekly",
            status=CheckIn.Status.FINISHED,
            state=state,
            version=len(turns),
            partner_a=alex,
            partner_b=sam,
            started_at=datetime.fromtimestamp(start, UTC),
            updated_at=datetime.fromtimestamp(end, UTC),
            ended_at=datetime.fromtimestamp(end, UTC),
            summary=build_summary(state),
        )
        users = {"a": alex, "b": sam}
        Turn.objects.bulk_create(
            Turn(
                checkin=checkin,
                seq=seq,
                step=turn.step,
                action=turn.action,
                role=role,
                author=users[role],
                text=turn.text,
                data=turn.data,
                created_at=datetime.fromtimestamp(at, UTC),
            )
            for seq, (turn, role, at) in enumerate(turns, start=1)
        )
    _seed_boundary(couple, alex, sam)
    return (
        "The demo couple has a weekly ritual (Sundays 19:00, London time), eight past check-ins "
        "and an agreed boundary.\n"
        f"Calendar feed (secret): /ritual/feed/{token}.ics"
    )


def _seed_boundary(couple, alex, sam) -> None:
    now = timezone.now().timestamp() - 3 * 7 * 86400
    parties = (str(alex.pk), str(sam.pk))
    draft = neg.parse_draft(
        {
            "statement": "When one of us is flooded in an argument, we take a twenty-minute break "
            "and come back to it.",
            "consequence": "Whoever notices says 'break' and we both stop, no questions asked.",
            "review_weeks": 4,
        }
    )
    item = neg.start(item_id=0, parties=parties, by=parties[0], draft=draft, now=now)
    item = neg.accept(item, by=parties[1], version=1, now=now + 60)
    boundary = Boundary.objects.create(couple=couple, created_by=alex, negotiation=item)
    BoundaryEvent.objects.create(boundary=boundary, kind=BoundaryEvent.Kind.PROPOSED, actor=alex)
    _record_agreement(boundary, item, checkin=None, now=now + 60)
    boundary.next_review_on = couple_today(couple) + timedelta(days=3)
    boundary.save()
