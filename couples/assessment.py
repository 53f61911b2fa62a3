"""The attachment-style self-assessment: item bank, scoring and the words that teach.

Plain Python, no Django, so it can be tested on its own and read by anyone.

The model
---------
Adult attachment is described here on two dimensions, as in most current research:

* **anxiety**: worry about being left or loved less, a need for reassurance, and a close
  watch on a partner's mood and cues;
* **avoidance**: discomfort with closeness and with depending on someone, and a pull to
  withdraw when feelings run high.

Each statement in ``ITEMS`` measures one dimension and is answered on a 1-7 agree scale
(1 strongly disagree, 4 neither, 7 strongly agree). Reverse-keyed statements describe the
opposite of the dimension ("I rarely worry about being left"), so their answer is flipped
(``8 - answer``) before averaging. A dimension's score is the mean of its statements, 1-7.

The cut-off: the scale midpoint, 4
----------------------------------
A dimension counts as *high* when its mean is **above 4** (``> CUTOFF``); exactly 4 is low.

* 4 is the scale's own "neither agree nor disagree". After reversing, a mean above 4 means
  that, on balance, the person agrees with the statements describing that pattern; at or
  below 4 they do not. That is a sentence a user can check against their own answers.
* The item bank was written for this project and has no validated population norms, so a
  sample-based split (a median split, or norms from a published questionnaire) would be
  borrowed precision we don't have, and would drift with whoever happens to use the tool.
  A fixed midpoint is transparent and stable: the same answers always give the same result.
* Exactly 4 is "neutral", not agreement, so it stays on the low side. For a reflection aid,
  erring towards the less loaded reading when the answers are truly in the middle is kinder.
* The scores are continuous and matter more than the label. Within ``NEAR_LINE`` of the
  cut-off the result page says the score is near the line, since a point or two on one
  statement could move it.

Styles from the two dimensions: low/low secure, high anxiety only anxious, high avoidance
only avoidant, high/high disorganized (in the two-dimensional literature this corner is
usually called fearful-avoidant; the product uses "disorganized" and explains it).

This is a reflection aid, not a diagnosis: it has not been validated and it describes
patterns that shift with partners, seasons of life and practice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Dimension = Literal["anxiety", "avoidance"]
Style = Literal["secure", "anxious", "avoidant", "disorganized"]

SCALE_MIN = 1
SCALE_MAX = 7
CUTOFF = 4.0
NEAR_LINE = 0.5
# Bump when statements change meaning, so stored results say which bank they came from.
BANK_VERSION = "2026.1"

STYLES: tuple[Style, ...] = ("secure", "anxious", "avoidant", "disorganized")

SCALE_LABELS: dict[int, str] = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Somewhat disagree",
    4: "Neither agree nor disagree",
    5: "Somewhat agree",
    6: "Agree",
    7: "Strongly agree",
}


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    dimension: Dimension
    reverse: bool = False


# Interleaved so that any page of consecutive items mixes both dimensions and both keyings.
# Ids are stable: never reuse one for a statement with a different meaning.
ITEMS: tuple[Item, ...] = (
    Item(
        "anx01",
        "When my partner is quiet or distant, I start wondering what I did wrong.",
        "anxiety",
    ),
    Item(
        "avd01", "I'd rather sort out my problems on my own than lean on my partner.", "avoidance"
    ),
    Item(
        "anx02",
        "I feel settled in our relationship even when we spend time apart.",
        "anxiety",
        reverse=True,
    ),
    Item("avd02", "I find it easy to tell my partner what I'm feeling.", "avoidance", reverse=True),
    Item(
        "anx03",
        "I need to hear often that my partner still loves me before I can relax.",
        "anxiety",
    ),
    Item(
        "avd03",
        "When my partner wants to talk about us, I feel an urge to change the "
        "subject or leave the room.",
        "avoidance",
    ),
    Item(
        "anx04",
        "I notice small changes in my partner's tone or mood and worry about what they mean.",
        "anxiety",
    ),
    Item(
        "avd04",
        "I'm comfortable depending on my partner when I need help.",
        "avoidance",
        reverse=True,
    ),
    Item(
        "anx05",
        "If my partner takes a while to reply to a message, I can let it go without worrying.",
        "anxiety",
        reverse=True,
    ),
    Item(
        "avd05",
        "When things get emotional between us, I go quiet or need to get away.",
        "avoidance",
    ),
    Item("anx06", "I worry that my partner will find someone they like more than me.", "anxiety"),
    Item("avd06", "I feel uneasy when my partner wants to be very close.", "avoidance"),
    Item(
        "anx07",
        "I trust that my partner will still be there after we argue.",
        "anxiety",
        reverse=True,
    ),
    Item("avd07", "I like it when my partner comes to me for comfort.", "avoidance", reverse=True),
    Item(
        "anx08",
        "When I sense my partner pulling away, I hold on tighter, even if it pushes them further.",
        "anxiety",
    ),
    Item(
        "avd08",
        "I keep parts of myself hidden, even from my partner, so I don't feel exposed.",
        "avoidance",
    ),
    Item("anx09", "I rarely worry about being left.", "anxiety", reverse=True),
    Item(
        "avd09",
        "Sharing my worries with my partner makes me feel closer to them.",
        "avoidance",
        reverse=True,
    ),
    Item("anx10", "When we disagree, I fear it could be the beginning of the end.", "anxiety"),
    Item("avd10", "Needing someone feels like a weakness to me.", "avoidance"),
    Item("anx11", "I often feel I care about my partner more than they care about me.", "anxiety"),
    Item("avd11", "After a hard day, I'd rather be left alone than comforted.", "avoidance"),
    Item(
        "anx12",
        "My sense of being loved stays steady on days when my partner is busy or distracted.",
        "anxiety",
        reverse=True,
    ),
    Item("avd12", "I can let my partner see me when I'm struggling.", "avoidance", reverse=True),
)

ITEMS_BY_ID: dict[str, Item] = {item.id: item for item in ITEMS}


class AssessmentError(ValueError):
    """Answers that can't be scored: missing, unknown or outside 1-7.

    Carries each problem by item id so a form can point at the exact statement.
    """

    def __init__(
        self,
        *,
        missing: Sequence[str] = (),
        unknown: Sequence[str] = (),
        invalid: Mapping[str, object] | None = None,
    ):
        self.missing = tuple(missing)
        self.unknown = tuple(unknown)
        self.invalid = dict(invalid or {})
        parts = []
        if self.missing:
            parts.append(
                f"{len(self.missing)} of {len(ITEMS)} statements have no answer yet "
                f"({', '.join(self.missing)})"
            )
        if self.invalid:
            parts.append(
                f"answers must be whole numbers from {SCALE_MIN} to {SCALE_MAX} "
                f"({', '.join(f'{k}={v!r}' for k, v in self.invalid.items())})"
            )
        if self.unknown:
            parts.append(f"unknown statement ids ({', '.join(self.unknown)})")
        message = "; ".join(parts)
        super().__init__(message[:1].upper() + message[1:] + ".")


def is_valid_answer(value: object) -> bool:
    # bool is an int subclass; True is not an answer on an agree scale.
    return (
        isinstance(value, int) and not isinstance(value, bool) and SCALE_MIN <= value <= SCALE_MAX
    )


def check_answers(answers: Mapping[str, object], *, complete: bool) -> dict[str, int]:
    """Validated answers in item order, or AssessmentError listing every problem.

    complete=False accepts a partial set (a saved draft); complete=True needs every item.
    """
    unknown = sorted(key for key in answers if key not in ITEMS_BY_ID)
    invalid = {
        item.id: answers[item.id]
        for item in ITEMS
        if item.id in answers and not is_valid_answer(answers[item.id])
    }
    missing = [item.id for item in ITEMS if item.id not in answers] if complete else []
    if unknown or invalid or missing:
        raise AssessmentError(missing=missing, unknown=unknown, invalid=invalid)
    return {item.id: answers[item.id] for item in ITEMS if item.id in answers}  # type: ignore[misc]


def keyed(item: Item, answer: int) -> int:
    """The answer as agreement with the dimension (reverse-keyed items flipped)."""
    return (SCALE_MIN + SCALE_MAX - answer) if item.reverse else answer


def classify(anxiety: float, avoidance: float) -> Style:
    high_anxiety = anxiety > CUTOFF
    high_avoidance = avoidance > CUTOFF
    if high_anxiety and high_avoidance:
        return "disorganized"
    if high_anxiety:
        return "anxious"
    if high_avoidance:
        return "avoidant"
    return "secure"


@dataclass(frozen=True)
class Result:
    anxiety: float
    avoidance: float
    style: Style

    @property
    def near_line(self) -> tuple[Dimension, ...]:
        """The dimensions whose score is close enough to the cut-off to tip either way."""
        return tuple(
            name
            for name, value in (("anxiety", self.anxiety), ("avoidance", self.avoidance))
            if abs(value - CUTOFF) <= NEAR_LINE
        )


def score(answers: Mapping[str, object]) -> Result:
    """Score a complete answer set. Refuses missing, unknown or out-of-range answers."""
    clean = check_answers(answers, complete=True)
    totals: dict[str, list[int]] = {"anxiety": [], "avoidance": []}
    for item in ITEMS:
        totals[item.dimension].append(keyed(item, clean[item.id]))
    anxiety = sum(totals["anxiety"]) / len(totals["anxiety"])
    avoidance = sum(totals["avoidance"]) / len(totals["avoidance"])
    return Result(anxiety=anxiety, avoidance=avoidance, style=classify(anxiety, avoidance))


# --- The words that teach ------------------------------------------------------
# Written for this project. Patterns, not verdicts: every style makes sense as a way
# someone learned to stay close and safe, and every style can grow toward security.


@dataclass(frozen=True)
class StyleGuide:
    key: Style
    name: str
    in_short: str
    shows_up: str
    signs: tuple[str, ...]
    strengths: tuple[str, ...]
    roots: str
    growth: tuple[str, ...]
    region: str  # where the style sits on the chart, in words


STYLE_GUIDES: dict[Style, StyleGuide] = {
    "secure": StyleGuide(
        key="secure",
        name="Secure",
        in_short="Closeness feels mostly safe, and so does a little distance.",
        shows_up=(
            "You can usually reach for your partner when you need them and give them room "
            "when they need it, without reading too much into either. Arguments hurt, but "
            "they don't feel like the end of the world; you expect to repair them."
        ),
        signs=(
            "You can say what you feel and what you need without much rehearsing.",
            "A slow reply or a quiet evening doesn't set off a chain of worry.",
            "You can hear a complaint without feeling that your worth is on trial.",
            "You come back to talk after a fight, and you can apologise.",
        ),
        strengths=(
            "A steady presence your partner can lean on.",
            "Room for both of you to be individuals and still close.",
        ),
        roots=(
            "Security often grows from having had someone who was, often enough, there and "
            "responsive: a parent, a grandparent, a teacher, or a later partner or friend. "
            "It is also earned: many people become more secure through relationships and "
            "practice in adulthood."
        ),
        growth=(
            "Security isn't never being shaken. Notice what still unsettles you under "
            "stress, and name it out loud.",
            "Your calm can look like not caring to a partner who worries: say the caring part too.",
            "Keep doing the small repairs: a touch, a check-in, a sorry that doesn't argue.",
        ),
        region="low anxiety, low avoidance (lower left)",
    ),
    "anxious": StyleGuide(
        key="anxious",
        name="Anxious",
        in_short="Love feels precious and a little uncertain, so you watch for signs.",
        shows_up=(
            "You care deeply and you notice a lot: a change of tone, a shorter message, a "
            "distracted evening. When the connection feels shaky, the urge is to close the "
            "gap fast: reach out, ask, reassure yourself. When that doesn't land, it can "
            "turn into protest: criticism, tears, or going quiet to see if they notice."
        ),
        signs=(
            "Waiting for a reply is hard; your mind fills the silence with stories.",
            "You often need to hear that things are all right before you can settle.",
            "An unresolved disagreement stays with you long after it's over for them.",
            "You sometimes say yes when you mean no, so as not to risk the closeness.",
        ),
        strengths=(
            "Sensitivity to your partner's feelings and to the state of the bond.",
            "Willingness to work on the relationship and to talk things through.",
        ),
        roots=(
            "This pattern often grows where care was loving but hard to predict: sometimes "
            "there, sometimes not, for reasons a child couldn't see. Staying alert and "
            "turning up the signal was a smart way to keep someone close. Later losses, "
            "betrayals or long distance can strengthen it too."
        ),
        growth=(
            'Notice the story your mind tells in the gap ("they\'re pulling away") and '
            "check it gently instead of acting on it.",
            "Ask for what you need directly and kindly: \"Could you text when you're "
            'running late? It helps me relax."',
            "Build ways to soothe yourself too (a walk, a friend, breathing), so reassurance "
            "from your partner is welcome but not the only source.",
            "Let in the evidence of love you already have; write some of it down.",
        ),
        region="high anxiety, low avoidance (upper left)",
    ),
    "avoidant": StyleGuide(
        key="avoidant",
        name="Avoidant",
        in_short="Independence feels safe; leaning on someone feels risky.",
        shows_up=(
            "You value your own space and your ability to cope alone. When feelings run "
            "high, or when a partner wants more closeness than feels comfortable, the urge "
            "is to step back: get busy, go quiet, change the subject. It can look like "
            "not caring, when often it is a way to stay calm and keep things steady."
        ),
        signs=(
            "Talking about the relationship can feel like an exam you didn't study for.",
            "You'd rather fix a problem alone than ask for help.",
            "After closeness you sometimes need extra distance.",
            "You notice your partner's flaws more when things get serious.",
        ),
        strengths=(
            "Calm under pressure and a real capacity for self-reliance.",
            "Respect for your partner's independence.",
        ),
        roots=(
            "This pattern often grows where feelings weren't easily met: care that was "
            "practical but not emotional, or a home where needing comfort led to "
            "disappointment. Turning the need down and handling things alone was a smart "
            "way to stay safe. It is a strategy, not a lack of love."
        ),
        growth=(
            "Notice the moment you want to pull away, and name it instead of acting on it: "
            '"I need twenty minutes, and then I\'ll come back." Then come back.',
            "Share one small feeling a day; it gets easier with practice.",
            "Try asking for help with something small and notice what happens.",
            "When your partner reaches for you, see it as trust, not pressure.",
        ),
        region="low anxiety, high avoidance (lower right)",
    ),
    "disorganized": StyleGuide(
        key="disorganized",
        name="Disorganized (fearful-avoidant)",
        in_short="You want closeness and fear it at the same time.",
        shows_up=(
            "Part of you longs to be close and worries about being left; another part "
            "braces against getting hurt and wants to keep a safe distance. Both can show "
            "up in the same evening, so you, and your partner, may find your reactions hard "
            "to predict. It is exhausting, and it makes sense."
        ),
        signs=(
            "You move between reaching for your partner and pushing them away.",
            "Closeness can feel wonderful and then suddenly unsafe.",
            "Conflict can feel overwhelming, and you may shut down or flare up.",
            "Trusting that someone's kindness will last is hard.",
        ),
        strengths=(
            "Deep understanding of both sides: the longing and the fear.",
            "Often great empathy for others who struggle.",
        ),
        roots=(
            "This pattern often grows where the people who were meant to be a safe haven "
            "were also, at times, a source of fear or hurt, or were overwhelmed themselves. "
            "A child then has no single strategy that works, so both turn on at once. "
            "Painful adult relationships can leave similar marks."
        ),
        growth=(
            "Be gentle with yourself: both parts are trying to protect you.",
            "Learn what your body does when you start to feel unsafe, and take a break "
            "before you're flooded.",
            "Small, predictable routines of connection (a daily check-in, the weekly "
            "ritual) build trust slowly and safely.",
            "A therapist who works with attachment or trauma can help a great deal; see "
            "Getting support.",
        ),
        region="high anxiety, high avoidance (upper right)",
    ),
}


@dataclass(frozen=True)
class PairGuide:
    """Guidance for two styles together. `offers` says what each partner can do."""

    styles: tuple[Style, Style]  # canonical order (STYLES order)
    title: str
    pattern: str
    strengths: str
    offers_by_style: dict[Style, tuple[str, ...]]

    def offers(self, style: Style) -> tuple[str, ...]:
        """What a partner with `style` can do for the other one."""
        return self.offers_by_style[style]


def _pair(a: Style, b: Style) -> tuple[Style, Style]:
    first, second = sorted((a, b), key=STYLES.index)
    return first, second


_PAIRS: tuple[PairGuide, ...] = (
    PairGuide(
        styles=("secure", "secure"),
        title="Two steady bases",
        pattern=(
            "You both tend to trust that the relationship can hold a hard conversation. The "
            "risk is quiet drift: with few alarms going off, busy seasons can slowly crowd "
            "out attention to each other."
        ),
        strengths="Repair comes naturally, and there's room for both of you to grow.",
        offers_by_style={
            "secure": (
                "Keep the small rituals going even when nothing feels wrong.",
                "Ask, now and then, what's new in their inner world, not just their diary.",
                "Stay curious about how each of you is changing.",
            ),
        },
    ),
    PairGuide(
        styles=("secure", "anxious"),
        title="A steady partner and a watchful one",
        pattern=(
            "The anxious partner may look to the secure one for reassurance, and the "
            "secure partner's calm can help a lot. It can also be misread: calm can look "
            "like indifference to someone who is worried."
        ),
        strengths=(
            "The secure partner's steadiness can, over time, become something the anxious "
            "partner trusts from the inside."
        ),
        offers_by_style={
            "secure": (
                "Offer reassurance before it's asked for, and in words, not only in deeds.",
                "Be predictable: say when you'll be back, and keep to it.",
                'When they worry, answer the feeling first ("that sounds scary"), then the facts.',
            ),
            "anxious": (
                "Name the need directly instead of testing for it.",
                "Notice and say out loud when their steadiness helps you.",
                "Try one self-soothing step before reaching out when worry spikes.",
            ),
        },
    ),
    PairGuide(
        styles=("secure", "avoidant"),
        title="A steady partner and an independent one",
        pattern=(
            "The secure partner is comfortable with closeness; the avoidant partner needs "
            "more room. The secure partner may feel shut out at times, and the avoidant "
            "partner may feel more asked of than they can give."
        ),
        strengths=(
            "The secure partner's patience can show that closeness doesn't have to cost "
            "independence."
        ),
        offers_by_style={
            "secure": (
                "Give space without reading it as rejection, and say you'll be there after.",
                "Invite feelings gently and briefly; side by side (a walk, a drive) often "
                "works better than face to face.",
                "Thank them when they share something; it took effort.",
            ),
            "avoidant": (
                "When you need space, say so and say when you'll be back.",
                "Share one feeling at a time; it doesn't have to be all or nothing.",
                "Let them help you with something small.",
            ),
        },
    ),
    PairGuide(
        styles=("secure", "disorganized"),
        title="A steady partner and a torn one",
        pattern=(
            "The disorganized partner may move between reaching for closeness and "
            "retreating from it. The secure partner can feel confused by the shifts, and "
            "may start to doubt their own steadiness."
        ),
        strengths=(
            "A calm, consistent partner is one of the strongest supports for a torn heart "
            "to settle over time."
        ),
        offers_by_style={
            "secure": (
                "Stay consistent: same warmth whether they move toward you or away.",
                "Don't take the pushes personally; name them kindly afterwards.",
                "Look after yourself too, and consider support if it feels heavy.",
            ),
            "disorganized": (
                "Tell them, when calm, what tends to scare you, so they can recognise it.",
                "Use a break word when you feel flooded, and come back when you're ready.",
                "Let their consistency count as evidence, even when part of you doubts it.",
            ),
        },
    ),
    PairGuide(
        styles=("anxious", "anxious"),
        title="Two hearts on alert",
        pattern=(
            "You both watch the connection closely and both want reassurance. When you're "
            "in sync it can feel very close; when you're both worried at once, each "
            "partner's alarm can set off the other's, and no one is left to steady things."
        ),
        strengths="Deep attentiveness and a shared wish to stay close and talk things out.",
        offers_by_style={
            "anxious": (
                'Agree on a simple signal for "I\'m worried, not angry".',
                "Take turns being the steady one: when you're calmer, say so and lead.",
                "Build reassurance into routine (a goodnight message, a weekly check-in), so "
                "it isn't only asked for in a panic.",
            ),
        },
    ),
    PairGuide(
        styles=("anxious", "avoidant"),
        title="The pursue-withdraw dance",
        pattern=(
            "This is the most common cycle couples get stuck in. The anxious partner senses "
            "distance and moves closer, asking, pressing, protesting. The avoidant partner "
            "feels pressure and pulls back. The more one pursues, the more the other "
            "withdraws, and the more they withdraw, the more the first pursues. Neither is "
            "the villain: each move is a bid for safety that triggers the other's fear."
        ),
        strengths=(
            "Each of you has what the other is learning: one knows how to reach, the other "
            "how to stay calm alone. Seeing the dance together, as the shared enemy, is "
            "often the turning point."
        ),
        offers_by_style={
            "anxious": (
                "Pursue more softly: one clear request, then give a little room.",
                'Say the fear underneath ("I miss you") rather than the complaint.',
                "When they take a break, trust that they'll come back, and let them.",
            ),
            "avoidant": (
                'Before stepping back, reassure: "I\'m not leaving, I need twenty minutes."',
                "Come back when you said you would; that is what calms the pursuit.",
                "Offer a small reach first (a text, a hug) before they need to ask.",
            ),
        },
    ),
    PairGuide(
        styles=("anxious", "disorganized"),
        title="Longing on both sides, with a flinch",
        pattern=(
            "You both long for closeness. The anxious partner reaches steadily; the "
            "disorganized partner sometimes reaches back and sometimes retreats. The "
            "retreats can feel to the anxious partner like proof of their worst fear."
        ),
        strengths="Both of you understand longing, and both can be very tender.",
        offers_by_style={
            "anxious": (
                "When they retreat, assume fear rather than rejection, and give a little room.",
                "Keep your reaches small and predictable rather than intense.",
                "Have your own soothing plan for the waiting.",
            ),
            "disorganized": (
                'Name a retreat out loud ("I\'m overwhelmed, not leaving").',
                "Give a time you'll reconnect, and keep it.",
                "Tell them what kind of reassurance lands best for you.",
            ),
        },
    ),
    PairGuide(
        styles=("avoidant", "avoidant"),
        title="Two independent islands",
        pattern=(
            "You both value space and rarely crowd each other. Conflict may be rare, but "
            "so can emotional closeness: feelings go unsaid, and you may drift into living "
            "parallel lives without either of you noticing."
        ),
        strengths="Respect, calm, and plenty of room to be yourselves.",
        offers_by_style={
            "avoidant": (
                "Schedule connection (the weekly check-in helps), since it won't happen by "
                "accident.",
                "Share one small feeling or worry each week, and receive theirs warmly.",
                'Notice when "giving space" has become not knowing each other.',
            ),
        },
    ),
    PairGuide(
        styles=("avoidant", "disorganized"),
        title="Distance, and a wish to come closer",
        pattern=(
            "The avoidant partner keeps steady distance; the disorganized partner "
            "sometimes wants more closeness and sometimes fears it. Distance can feel safe "
            "to both for a while, and then lonely to the disorganized partner."
        ),
        strengths="Both of you know how to give space and how it feels to need it.",
        offers_by_style={
            "avoidant": (
                "Be reliably there in small ways, even when you need room.",
                "When they do reach for you, lean in; it took courage.",
                "Say your need for space kindly, with a time to come back.",
            ),
            "disorganized": (
                "Ask for closeness in small, clear steps.",
                "Let them know which kinds of space feel safe and which feel like leaving.",
                "Notice their quiet ways of caring; they may not be said aloud.",
            ),
        },
    ),
    PairGuide(
        styles=("disorganized", "disorganized"),
        title="Two torn hearts",
        pattern=(
            "You both want closeness and both fear it. You may understand each other "
            "deeply, and you may also set each other off: one reaching while the other "
            "retreats, then swapping. Conflicts can escalate quickly."
        ),
        strengths=(
            "Real empathy for each other's fear, and a shared wish to build something safer."
        ),
        offers_by_style={
            "disorganized": (
                "Agree on breaks before you need them, and honour them for both.",
                "Keep to slow, predictable rituals; safety grows from repetition.",
                "Consider a couples therapist together; it can make a big difference.",
            ),
        },
    ),
)

PAIR_GUIDES: dict[tuple[Style, Style], PairGuide] = {guide.styles: guide for guide in _PAIRS}


def pair_guide(a: Style, b: Style) -> PairGuide:
    """Guidance for two styles, in either order."""
    return PAIR_GUIDES[_pair(a, b)]
