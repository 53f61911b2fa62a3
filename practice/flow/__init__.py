"""The pure check-in flow engine. See engine.py."""

from .agendas import AGENDAS, DEFAULT_AGENDA, Agenda, Step
from .engine import (
    ACTIONS,
    ACTIVE,
    ENDED,
    FINISHED,
    PAUSED,
    ROLES,
    Outcome,
    Turn,
    allowed,
    apply,
    current_step,
    new_state,
    other,
    step_complete,
    tick,
    view,
)
from .errors import ErrorCode, Refusal

__all__ = [
    "ACTIONS",
    "ACTIVE",
    "AGENDAS",
    "DEFAULT_AGENDA",
    "ENDED",
    "FINISHED",
    "PAUSED",
    "ROLES",
    "Agenda",
    "ErrorCode",
    "Outcome",
    "Refusal",
    "Step",
    "Turn",
    "allowed",
    "apply",
    "current_step",
    "new_state",
    "other",
    "step_complete",
    "tick",
    "view",
]
