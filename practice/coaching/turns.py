"""Which review a turn gets, from the turn and the room's state after it. Pure."""

from .mirrors import review_mirror
from .statements import review_statement

REVIEW_VERSION = 1
STATEMENT_ACTIONS = frozenset(
    {"share", "clarify", "appreciate", "respond", "validate", "empathize", "propose", "counter"}
)
MIRROR_ACTIONS = frozenset({"mirror"})


def mirrored_text(step_state: dict) -> str:
    """What the listener is mirroring: the last piece shared, with its clarifications."""
    pieces = (step_state or {}).get("pieces") or []
    if not pieces:
        return ""
    piece = pieces[-1]
    return " ".join([piece.get("share", ""), *piece.get("clarifications", [])]).strip()


def review_turn(action: str, text: str, data: dict | None, step_state: dict | None) -> dict | None:
    """The review stored with a turn, or None for turns without words to coach."""
    data = data or {}
    if action in MIRROR_ACTIONS and text:
        review = review_mirror(mirrored_text(step_state or {}), text)
        return {"type": "mirror", "v": REVIEW_VERSION, **review.as_dict()}
    if action in STATEMENT_ACTIONS:
        statement = data.get("statement") if isinstance(data.get("statement"), str) else text
        if statement and statement.strip():
            review = review_statement(statement)
            return {"type": "statement", "v": REVIEW_VERSION, **review.as_dict()}
    return None
