"""The coach: pure, deterministic reviews of what partners write. No Django, no I/O.

    review_statement(text) -> StatementReview     I-statement, blame or neutral, and why
    review_mirror(original, mirror) -> MirrorReview   good, partial or missed, and what
    suggest_feelings(text) -> list[str]            feelings a listener might guess
    tips_for(step_kind, phase, role, speaker_style, listener_style) -> list[Tip]

Rules and word lists (with a Snowball stemmer), so every flag can say which
words raised it. `python -m practice.coaching.evaluate` prints the figures on
the labelled sets in tests/data/.
"""

from .feelings import suggest_feelings
from .mirrors import GOOD, MISSED, PARTIAL, AddedSpan, MirrorReview, review_mirror
from .statements import BLAME, I_STATEMENT, NEUTRAL, Span, StatementReview, review_statement
from .tips import STYLES, Tip, tips_for, tips_table
from .vocabulary import FEELING_GROUPS, NEED_GROUPS

MAX_CHARS = 2000

__all__ = [
    "BLAME",
    "FEELING_GROUPS",
    "GOOD",
    "I_STATEMENT",
    "MAX_CHARS",
    "MISSED",
    "NEED_GROUPS",
    "NEUTRAL",
    "PARTIAL",
    "STYLES",
    "AddedSpan",
    "MirrorReview",
    "Span",
    "StatementReview",
    "Tip",
    "review_mirror",
    "review_statement",
    "suggest_feelings",
    "tips_for",
    "tips_table",
]
