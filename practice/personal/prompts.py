"""The self check-in: its reflection prompts and its periods. Plain data and date arithmetic."""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Prompt:
    key: str
    text: str
    hint: str


# Keys are stored with the answers: add prompts freely, never rename a key.
PROMPTS: tuple[Prompt, ...] = (
    Prompt(
        "went_well",
        "What went well for me since my last check-in?",
        "A moment you handled the way you'd like to, however small.",
    ),
    Prompt(
        "hard",
        "What was hard, and how did I respond?",
        "Name the moment and your reaction, without judging it.",
    ),
    Prompt(
        "needed",
        "What did I need, and did I ask for it?",
        "Closeness, space, reassurance, rest…",
    ),
    Prompt(
        "next",
        "What would I like to practise next?",
        "One small thing is plenty.",
    ),
)
PROMPT_KEYS = tuple(p.key for p in PROMPTS)

STEADINESS = {
    1: "Shaky",
    2: "Unsettled",
    3: "Getting by",
    4: "Mostly steady",
    5: "Steady",
}


def period_start(cadence: str, today: date) -> date:
    """The first day of the week (Monday) or month that `today` falls in."""
    if cadence == "monthly":
        return today.replace(day=1)
    return today - timedelta(days=today.weekday())


def next_period_start(cadence: str, start: date) -> date:
    if cadence == "monthly":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7)


def period_label(cadence: str, start: date) -> str:
    if cadence == "monthly":
        return start.strftime("%B %Y")
    return f"Week of {start.day} {start:%b %Y}"
