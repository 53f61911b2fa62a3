"""The owner's personal practice, for the authorisation matrix (tests/security_world.py).

One of each thing a personal route can name, all the owner's, made through the services;
a topic shared from the journal entry waits in the queue.
"""

from practice.personal import services as personal


def personal_objects(world) -> dict:
    owner = world.owner
    trigger = personal.trigger_save(user=owner, situation="Plans change at the last minute")
    entry = personal.entry_save(user=owner, body="A hard evening.", mood=2, triggers=[trigger])
    goal = personal.goal_create(user=owner, title="Share one feeling a day", steps=["Name it"])
    return {
        "journal_entry": entry,
        "trigger": trigger,
        "strategy": personal.strategy_save(user=owner, title="A walk"),
        "note": personal.note_create(user=owner, kind="gratitude", text="Soup"),
        "goal": goal,
        "goal_step": goal.steps.get(),
        "shared_item": personal.share_text(user=owner, kind="topic", text="Weekends", entry=entry),
    }
