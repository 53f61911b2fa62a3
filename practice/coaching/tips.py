"""Attachment-aware tips: a short word for the speaker or the listener at each moment.

Styles are the ones partners chose to share ("secure", "anxious", "avoidant",
"disorganized") or None. A tip about the partner's style is shown only when
the partner shared it; a tip about your own style only uses what you chose.
Nothing here labels anyone: tips say what tends to help.
"""

from dataclasses import asdict, dataclass

STYLES = ("secure", "anxious", "avoidant", "disorganized")
ROLES = ("speaker", "listener")

# Moments: "<step kind>:<phase>". Outside the floor, the partner who writes is the
# speaker (appreciating, proposing, answering) and the other the listener.
MOMENTS = (
    "floor:share",
    "floor:mirror",
    "floor:confirm",
    "floor:validate",
    "floor:empathy",
    "floor:pass",
    "appreciations:",
    "boundaries:",
    "respond:",
)


@dataclass(frozen=True)
class Tip:
    text: str
    about: str  # "partner" (their shared style), "you" (your own), or "practice"

    def as_dict(self) -> dict:
        return asdict(self)


# The technique, whatever the styles.
PRACTICE: dict[tuple[str, str], str] = {
    ("floor:share", "speaker"): "One short piece at a time: what happened, how you felt, "
    "what you need.",
    ("floor:share", "listener"): "Just listen for now. You'll give it back in a moment.",
    ("floor:mirror", "listener"): "Give back what you heard in your own words. Your side can "
    "wait for your turn.",
    ("floor:mirror", "speaker"): "While they mirror, notice what they got right first.",
    ("floor:confirm", "speaker"): "If something's missing, add just that one thing.",
    ("floor:confirm", "listener"): "Whatever they add isn't a mark against you; it's more to hear.",
    ("floor:validate", "listener"): "Validating isn't agreeing: “It makes sense that you feel "
    "… because …”",
    ("floor:validate", "speaker"): "Let their validation land before you add anything.",
    ("floor:empathy", "listener"): "Offer a feeling as a guess: “I imagine you might feel …”",
    ("floor:empathy", "speaker"): "A guess that's a bit off is still an offer of care.",
    ("floor:pass", "speaker"): "Pass the floor when you feel heard enough for today.",
    ("floor:pass", "listener"): "Your turn is coming. Take a breath before you start.",
    ("appreciations:", "speaker"): "Be specific: what they did, and what it meant to you.",
    ("appreciations:", "listener"): "Let it in. A simple “thank you” is enough.",
    ("boundaries:", "speaker"): "Say it as what you need: “When …, I need …”.",
    ("boundaries:", "listener"): "Ask what it would look like in practice before you answer.",
    ("respond:", "speaker"): "Speak for yourself: “I …”.",
    ("respond:", "listener"): "Read their answer for what it tells you about them.",
}

# How to meet a partner of a given style, by your role.
MEET: dict[tuple[str, str], dict[str, str]] = {
    ("listener", "anxious"): {
        "*": "Your partner may feel uneasy while waiting: answer promptly and add a word "
        "of reassurance (“I'm here, I'm listening”).",
        "floor:mirror": "Mirror promptly and warmly. Quick, steady answers help your partner "
        "feel safe.",
        "floor:validate": "Say plainly that their feeling makes sense. Reassurance lands well now.",
        "boundaries:": "Say what you'll say yes to first; a clear “we're okay” helps them hear "
        "the rest.",
    },
    ("listener", "avoidant"): {
        "*": "Slow down and give room: space is okay. Take what they offer without pushing "
        "for more.",
        "floor:mirror": "Keep your mirror short and calm. Don't ask for more than they shared.",
        "floor:empathy": "Offer one feeling, lightly. A small guess feels safer than a big one.",
        "boundaries:": "A need for space isn't rejection. Ask what would help, and wait.",
    },
    ("listener", "disorganized"): {
        "*": "Keep your voice soft and steady, and be predictable. If it gets intense, offer "
        "a break.",
        "floor:mirror": "Mirror gently and simply. Steadiness matters more than perfect words.",
    },
    ("speaker", "anxious"): {
        "*": "Your partner may read a pause as distance: a quick “we're okay” before you "
        "start helps.",
        "floor:pass": "Tell them you felt heard: it means a lot to an anxious listener.",
        "boundaries:": "Say why the need matters to you, and that it's not about loving them less.",
    },
    ("speaker", "avoidant"): {
        "*": "Short pieces help your partner stay with you. One thing at a time, softly.",
        "floor:share": "Start soft and short. Your partner listens best without a flood of words.",
        "boundaries:": "Keep the request concrete and small; it's easier to say yes to.",
    },
    ("speaker", "disorganized"): {
        "*": "Start softly and slowly, and check in: “is this okay to hear right now?”",
    },
}

# What tends to help you, given the style you chose to share with yourself.
SELF: dict[tuple[str, str], dict[str, str]] = {
    ("speaker", "anxious"): {
        "*": "If you feel the urge to say everything at once, choose the one piece that "
        "matters most. You'll get more turns.",
        "floor:confirm": "If the mirror isn't perfect, that's okay: add the one thing that's "
        "missing.",
    },
    ("listener", "anxious"): {
        "*": "If fear rises while you listen, breathe out slowly. Their feeling is not a "
        "verdict on you.",
    },
    ("speaker", "avoidant"): {
        "*": "Something small and real is enough. One feeling word is a good start.",
        "floor:share": "It's okay to share something small and real. One feeling word is "
        "enough to start.",
    },
    ("listener", "avoidant"): {
        "*": "If you notice an urge to pull back or fix it, stay for one more mirror. You can "
        "ask for a break.",
    },
    ("speaker", "disorganized"): {
        "*": "If you feel flooded (racing heart, wanting to run or fight), call a break. "
        "Coming back is part of the practice.",
    },
    ("listener", "disorganized"): {
        "*": "If you feel flooded, call a break. Coming back to it is part of the practice.",
    },
    ("speaker", "secure"): {"*": "Your steadiness helps: keep it slow and curious."},
    ("listener", "secure"): {"*": "Your steadiness helps: keep it slow and curious."},
}


def _moment(step_kind: str, phase: str | None) -> str:
    return f"{step_kind}:{phase or ''}" if step_kind == "floor" else f"{step_kind}:"


def _pick(table: dict[str, str], moment: str) -> str | None:
    return table.get(moment) or table.get("*")


def tips_for(
    step_kind: str,
    phase: str | None,
    role: str,
    speaker_style: str | None,
    listener_style: str | None,
) -> list[Tip]:
    """At most two tips for `role` ("speaker" or "listener") at this moment.

    First how to meet the other partner's shared style, then what helps with
    your own; with no style to go on, a word about the technique.
    """
    if role not in ROLES:
        return []
    speaker_style = speaker_style if speaker_style in STYLES else None
    listener_style = listener_style if listener_style in STYLES else None
    moment = _moment(step_kind, phase)
    mine, theirs = (
        (speaker_style, listener_style)
        if role == "speaker"
        else (
            listener_style,
            speaker_style,
        )
    )
    tips: list[Tip] = []
    if theirs and theirs != "secure":
        text = _pick(MEET.get((role, theirs), {}), moment)
        if text:
            tips.append(Tip(text, "partner"))
    if mine:
        text = _pick(SELF.get((role, mine), {}), moment)
        if text:
            tips.append(Tip(text, "you"))
    if not tips:
        text = PRACTICE.get((moment, role))
        if text:
            tips.append(Tip(text, "practice"))
    return tips[:2]


def tips_table(my_style: str | None, partner_style: str | None) -> dict[str, list[dict]]:
    """Every tip one partner may need in a room, keyed "<moment>:<role>", for the page."""
    table: dict[str, list[dict]] = {}
    for moment in MOMENTS:
        kind, phase = moment.split(":")
        for role in ROLES:
            speaker, listener = (
                (my_style, partner_style) if role == "speaker" else (partner_style, my_style)
            )
            tips = tips_for(kind, phase or None, role, speaker, listener)
            if tips:
                table[f"{moment}:{role}"] = [t.as_dict() for t in tips]
    return table
