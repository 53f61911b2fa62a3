"""Agendas are data: a named sequence of steps, each of a known kind.

A new agenda is a new entry here; the engine knows only the step kinds.

Step kinds:
  arrive        each rates mood and connection (1-5) with an optional word;
                hidden from the other until both have answered
  appreciations each shares N appreciations; the other acknowledges each
  floor         speaker-listener rounds (share, mirror, confirm or clarify,
                validate, empathy, pass the floor); a "question" input (an open
                question drawn for the couple) is shown to both to answer
  boundaries    propose, clarify, counter, accept or decline boundaries;
                review the ones that are due
  respond       each answers the step's prompt once (optionally revealed together)
  close         each rates the talk; the check-in then finishes
"""

from dataclasses import dataclass, field

STEP_KINDS = frozenset({"arrive", "appreciations", "floor", "boundaries", "respond", "close"})


@dataclass(frozen=True)
class Step:
    key: str
    kind: str
    title: str
    prompt: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in STEP_KINDS:
            raise ValueError(f"unknown step kind {self.kind!r}")

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "kind": self.kind,
            "title": self.title,
            "prompt": self.prompt,
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class Agenda:
    key: str
    title: str
    description: str
    steps: tuple[Step, ...]

    def __post_init__(self):
        keys = [s.key for s in self.steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"agenda {self.key!r} repeats a step key")
        if not self.steps or self.steps[-1].kind != "close":
            raise ValueError(f"agenda {self.key!r} must end with a close step")

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "description": self.description,
            "steps": [s.as_dict() for s in self.steps],
        }


ARRIVE = Step(
    "arrive",
    "arrive",
    "Arrive",
    "How are you arriving today? Rate your mood and how connected you feel, 1 to 5. "
    "Your answers stay hidden until you've both answered.",
)
CLOSE = Step(
    "close",
    "close",
    "Close",
    "How was this talk for you? Rate it 1 to 5, and add a word if you like.",
)

AGENDAS: dict[str, Agenda] = {
    a.key: a
    for a in (
        Agenda(
            "weekly",
            "Weekly check-in",
            "Arrive, appreciate each other, listen one round each way, look at boundaries, "
            "and each choose one small thing for the week.",
            (
                ARRIVE,
                Step(
                    "appreciations",
                    "appreciations",
                    "Appreciations",
                    "Share something you appreciated about your partner this week: something "
                    "specific they did, and what it meant to you.",
                ),
                Step(
                    "listen",
                    "floor",
                    "Speaker and listener",
                    "One of you holds the floor and shares, in short pieces. The other mirrors "
                    "back, then validates and guesses a feeling. Then swap.",
                    {"rounds": 2},
                ),
                Step(
                    "boundaries",
                    "boundaries",
                    "Boundaries",
                    "Review any agreements that are due, or propose a new one: “When …, I need …”.",
                ),
                Step(
                    "commitments",
                    "respond",
                    "Commitments",
                    "One small, concrete thing you'll do for us this week.",
                    {"reveal": "immediate", "max_chars": 300},
                ),
                CLOSE,
            ),
        ),
        Agenda(
            "listening",
            "Listening practice",
            "Speaker-listener rounds only: one round each way, slowly.",
            (
                Step(
                    "listen",
                    "floor",
                    "Speaker and listener",
                    "One of you holds the floor and shares, in short pieces. The other mirrors "
                    "back, then validates and guesses a feeling. Then swap.",
                    {"rounds": 2},
                ),
                CLOSE,
            ),
        ),
        Agenda(
            "repair",
            "Repair after a fight",
            "Look back at a hard moment together, once you're both calm: feelings, each one's "
            "reality, triggers, your own part, and what you'll do next time.",
            (
                Step(
                    "feelings",
                    "respond",
                    "Feelings",
                    "Name the feelings you had during the incident, without explaining why yet. "
                    "You'll see each other's once you've both answered.",
                    {"reveal": "together"},
                ),
                Step(
                    "realities",
                    "floor",
                    "Each one's reality",
                    "Describe what you saw and needed, as your own experience. The listener "
                    "summarises, then validates part of it: “it makes sense that…”.",
                    {"rounds": 2},
                ),
                Step(
                    "triggers",
                    "respond",
                    "Triggers",
                    "What in the moment touched something older or tender for you?",
                    {"reveal": "immediate"},
                ),
                Step(
                    "ownership",
                    "respond",
                    "Own part and apology",
                    "What was your part in it? Say it plainly, and apologise for that part.",
                    {"reveal": "immediate"},
                ),
                Step(
                    "next_time",
                    "respond",
                    "Next time",
                    "One thing you'll do differently next time.",
                    {"reveal": "immediate", "max_chars": 300},
                ),
                CLOSE,
            ),
        ),
        Agenda(
            "open_question",
            "Open question",
            "One question drawn at your level on the ladder: each of you answers it while "
            "the other listens.",
            (
                Step(
                    "open_question",
                    "floor",
                    "Open question",
                    "Take turns answering the question. Whoever holds the floor answers in "
                    "short pieces; the other mirrors back, then validates and guesses a "
                    "feeling. Then swap.",
                    {"rounds": 2},
                ),
                CLOSE,
            ),
        ),
    )
}

DEFAULT_AGENDA = "weekly"
