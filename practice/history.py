"""The history page: past check-ins of the couple (charts come with the rituals work)."""

from couples.models import Couple, User

from .models import CheckIn


def history_context(user: User, couple: Couple | None) -> dict:
    if couple is None:
        return {"checkins": []}
    checkins = list(
        CheckIn.objects.filter(couple=couple).only(
            "id", "token", "agenda", "status", "started_at", "ended_at", "summary", "couple_id"
        )
    )
    return {"checkins": checkins}
