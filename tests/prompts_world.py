"""The prompts app's objects for the authorisation matrix (see tests/security_world.py)."""


def prompt_objects(world) -> dict:
    from practice.prompts import library, services
    from practice.prompts.models import Prompt

    # Transactional tests flush every table, the data migration's prompts too.
    library.load(Prompt)
    return {"daily_question": services.daily_question_today(user=world.owner)}
