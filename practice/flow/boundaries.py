"""Boundary negotiation inside the room's boundaries step.

Filled in by the boundaries work; until then the step offers "nothing to
discuss" and is complete as soon as it is entered.
"""


def register(action, step_data, text, turn) -> None:
    return None
