"""The user's personal practice, shaped for their data export (couples/privacy.py).

The raw rows are already under "records" (every model here has a cascading `user`);
this section adds what rows alone don't show: an entry's tags and triggers, a goal's
steps, and what was shared from where.
"""

from couples.models import User

from .models import Goal, JournalEntry, SharedItem


def personal_export(user: User) -> dict:
    entries = JournalEntry.objects.filter(user=user).prefetch_related("tags", "triggers")
    goals = Goal.objects.filter(user=user).prefetch_related("steps")
    shared = SharedItem.objects.filter(user=user).order_by("created_at", "id")
    return {
        "journal": [
            {
                "written_at": e.created_at,
                "edited_at": e.updated_at,
                "body": e.body,
                "mood": e.mood,
                "tags": [t.name for t in e.tags.all()],
                "what_triggered_me": [t.situation for t in e.triggers.all()],
            }
            for e in entries
        ],
        "goals": [
            {
                "title": g.title,
                "why": g.why,
                "created_at": g.created_at,
                "completed_at": g.completed_at,
                "steps": [{"text": s.text, "done_at": s.done_at} for s in g.steps.all()],
            }
            for g in goals
        ],
        "shared_with_partner": [
            {
                "kind": s.kind,
                "text": s.text,
                "created_at": s.created_at,
                "from": "journal entry" if s.entry_id else "note" if s.note_id else None,
                "delivered_at": s.delivered_at,
            }
            for s in shared
        ],
    }
