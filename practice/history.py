"""The history page: past check-ins, and mood, connection and commitments over the weeks.

Everything comes from each check-in's stored summary, so the page runs the same
few queries whether the couple has five check-ins or five years of them.
"""

from couples.models import Couple, User

from .charts import Series, line_chart
from .models import CheckIn
from .protocol import FORMER_PARTNER
from .rituals import couple_timezone, ritual_streak

KEPT_VALUE = {"yes": 1.0, "partly": 0.5, "no": 0.0}


def past_checkins(user: User) -> list[CheckIn]:
    """Check-ins of earlier couples whose history this partner kept."""
    from couples.selectors import past_couple_ids

    ids = past_couple_ids(user)
    if not ids:
        return []
    return list(
        CheckIn.objects.filter(couple_id__in=ids).only(
            "id", "token", "agenda", "status", "started_at", "couple_id"
        )
    )


def history_context(user: User, couple: Couple | None) -> dict:
    if couple is None:
        return {"checkins": [], "past_checkins": past_checkins(user)}
    checkins = list(
        CheckIn.objects.filter(couple=couple).only(
            "id",
            "token",
            "agenda",
            "status",
            "started_at",
            "ended_at",
            "summary",
            "couple_id",
            "partner_a_id",
            "partner_b_id",
        )
    )
    people = {
        u.pk: u for u in User.objects.filter(memberships__couple=couple).only("pk", "display_name")
    }
    finished = [c for c in reversed(checkins) if c.status == CheckIn.Status.FINISHED and c.summary]
    tz = couple_timezone(couple)
    labels = [c.started_at.astimezone(tz).strftime("%-d %b %y") for c in finished]
    # Partners hold roles a/b per check-in (who started it); the charts follow people.
    order = [user.pk] + [pk for pk in people if pk != user.pk]
    rows = []
    per_person = {pk: {"mood": [], "connection": [], "kept": []} for pk in order}
    for checkin in finished:
        by_person = {checkin.partner_a_id: "a", checkin.partner_b_id: "b"}
        row = {"checkin": checkin, "label": None, "people": []}
        for pk in order:
            role = by_person.get(pk)
            arrive = checkin.summary.get("arrive", {}).get(role, {}) if role else {}
            kept = checkin.summary.get("kept", {}).get(role) if role else None
            per_person[pk]["mood"].append(arrive.get("mood"))
            per_person[pk]["connection"].append(arrive.get("connection"))
            per_person[pk]["kept"].append(KEPT_VALUE.get(kept))
            row["people"].append(
                {"mood": arrive.get("mood"), "connection": arrive.get("connection"), "kept": kept}
            )
        rows.append(row)
    for row, label in zip(rows, labels, strict=True):
        row["label"] = label
    names = [
        "You" if pk == user.pk else (people[pk].display_name if pk in people else FORMER_PARTNER)
        for pk in order
    ]
    charts = []
    if len(finished) >= 2:
        for key, title, what in (
            ("mood", "Mood over the weeks", "mood on arriving, from 1 (low) to 5 (great)"),
            ("connection", "Connection over the weeks", "how connected each felt, from 1 to 5"),
        ):
            series = [
                Series(name, "ab"[i], per_person[pk][key])
                for i, (pk, name) in enumerate(zip(order, names, strict=True))
            ]
            charts.append(
                line_chart(
                    title,
                    f"Each partner's {what}, for {len(finished)} check-ins "
                    f"from {labels[0]} to {labels[-1]}. The table below has the same figures.",
                    labels,
                    series,
                )
            )
        kept_series = [
            Series(name, "ab"[i], per_person[pk]["kept"])
            for i, (pk, name) in enumerate(zip(order, names, strict=True))
        ]
        if any(v is not None for s in kept_series for v in s.values):
            charts.append(
                line_chart(
                    "Commitments kept",
                    "Whether each partner kept last week's commitment: 1 yes, 0.5 partly, 0 no. "
                    "The table below has the same answers.",
                    labels,
                    kept_series,
                    y_min=0,
                    y_max=1,
                )
            )
    return {
        "checkins": checkins,
        "past_checkins": past_checkins(user),
        "charts": charts,
        "rows": list(reversed(rows)),
        "names": names,
        "streak": ritual_streak(couple),
        "timezone": tz,
    }
