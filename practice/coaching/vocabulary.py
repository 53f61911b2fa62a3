"""Feelings and needs, grouped, in plain words (written for Hearth).

Three lists do the work:
  FEELINGS        felt states, grouped by family; a group is also a synonym set
                  for the mirror check ("lonely" is heard in "isolated").
  NEEDS           what people long for, grouped; the phrase offered in a rewrite.
  THOUGHT_WORDS   words that sound like feelings but say what the other did
                  ("ignored", "taken for granted"), with the feelings they often hide.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FeelingGroup:
    key: str
    label: str
    pleasant: bool
    words: tuple[str, ...]


def _group(key: str, label: str, pleasant: bool, words: str) -> FeelingGroup:
    return FeelingGroup(key, label, pleasant, tuple(w.strip() for w in words.split(",")))


FEELING_GROUPS: tuple[FeelingGroup, ...] = (
    # When needs go unmet.
    _group(
        "sad",
        "sad",
        False,
        "sad, sadness, unhappy, down, low, blue, gloomy, heavy-hearted, heartbroken, "
        "heartsick, grief, grieving, sorrowful, sorrow, melancholy, mournful, tearful, "
        "crying, teary, despondent, dejected, depressed, miserable, wistful, forlorn, "
        "glum, downhearted, devastated, crushed",
    ),
    _group(
        "lonely",
        "lonely",
        False,
        "lonely, loneliness, alone, isolated, lonesome, distant, disconnected, apart, "
        "cut off, far away, shut out, on my own, by myself, homesick, separate, "
        "missing you, left alone, left out, excluded, forgotten",
    ),
    _group(
        "hurt",
        "hurt",
        False,
        "hurt, hurting, upset, wounded, stung, pained, aching, sore, bruised, tender, raw, "
        "sensitive, heartache, crushed, cut",
    ),
    _group(
        "scared",
        "scared",
        False,
        "scared, afraid, frightened, fear, fearful, terrified, panicked, panicky, panic, "
        "alarmed, petrified, spooked, dread, dreading, shaky, startled, horrified",
    ),
    _group(
        "anxious",
        "anxious",
        False,
        "anxious, anxiety, worried, worry, worrying, nervous, uneasy, tense, on edge, "
        "jittery, restless, apprehensive, concerned, unsettled, insecure, uncertain, "
        "unsure, edgy, antsy, wound up, keyed up, fretful, troubled, preoccupied",
    ),
    _group(
        "angry",
        "angry",
        False,
        "angry, anger, mad, furious, livid, enraged, outraged, irate, fuming, seething, "
        "resentful, resentment, bitter, hostile, incensed, cross, indignant, heated",
    ),
    _group(
        "frustrated",
        "frustrated",
        False,
        "frustrated, frustration, irritated, annoyed, exasperated, impatient, aggravated, "
        "fed up, vexed, irked, agitated, bothered, displeased, grumpy, cranky, "
        "disgruntled, stuck, thwarted",
    ),
    _group(
        "tired",
        "tired",
        False,
        "tired, exhausted, worn out, drained, weary, fatigued, sleepy, spent, burnt out, "
        "burned out, depleted, run down, wiped out, shattered, beat, knackered, "
        "listless, sluggish, flat",
    ),
    _group(
        "overwhelmed",
        "overwhelmed",
        False,
        "overwhelmed, stressed, stress, swamped, overloaded, stretched thin, pressured, "
        "frazzled, harried, snowed under, buried, scattered, flustered, at capacity, "
        "overextended, drowning",
    ),
    _group(
        "confused",
        "confused",
        False,
        "confused, puzzled, baffled, bewildered, lost, torn, perplexed, mixed up, "
        "unclear, foggy, ambivalent, conflicted, hesitant, disoriented",
    ),
    _group(
        "ashamed",
        "embarrassed",
        False,
        "embarrassed, ashamed, shame, humiliated, mortified, self-conscious, exposed, "
        "awkward, sheepish, small, foolish, inadequate, not good enough, worthless",
    ),
    _group(
        "guilty",
        "guilty",
        False,
        "guilty, guilt, regretful, remorseful, sorry, regret, contrite, responsible",
    ),
    _group(
        "disappointed",
        "disappointed",
        False,
        "disappointed, disappointment, discouraged, disheartened, let down, deflated, "
        "disillusioned, dismayed, crestfallen, defeated",
    ),
    _group(
        "jealous",
        "jealous",
        False,
        "jealous, jealousy, envious, possessive, threatened, competitive, second best",
    ),
    _group(
        "helpless",
        "helpless",
        False,
        "helpless, powerless, hopeless, despairing, despair, vulnerable, fragile, "
        "defenceless, defenseless, trapped, stuck, paralysed, paralyzed",
    ),
    _group(
        "numb",
        "numb",
        False,
        "numb, empty, detached, withdrawn, shut down, blank, indifferent, apathetic, "
        "bored, uninterested, cold",
    ),
    _group(
        "unsettled",
        "shocked",
        False,
        "shocked, stunned, surprised, taken aback, thrown, rattled, shaken, jolted",
    ),
    # When needs are met.
    _group(
        "happy",
        "happy",
        True,
        "happy, glad, joyful, joy, delighted, cheerful, pleased, elated, thrilled, "
        "content, contented, satisfied, light, lighthearted, upbeat, buoyant, merry",
    ),
    _group(
        "grateful",
        "grateful",
        True,
        "grateful, thankful, appreciative, touched, moved, blessed, lucky, fortunate",
    ),
    _group(
        "loved",
        "loved",
        True,
        "loved, loving, close, connected, affectionate, tender, warm, cherished, "
        "adored, cared for, wanted, held, seen, understood, accepted, valued, "
        "appreciated, special, heard, included",
    ),
    _group(
        "calm",
        "calm",
        True,
        "calm, peaceful, relaxed, at ease, settled, centred, centered, serene, "
        "tranquil, comfortable, grounded, easy, mellow, still, rested",
    ),
    _group(
        "safe",
        "safe",
        True,
        "safe, secure, protected, reassured, steady, stable, trusting, confident, sure",
    ),
    _group(
        "hopeful",
        "hopeful",
        True,
        "hopeful, optimistic, encouraged, expectant, inspired, looking forward",
    ),
    _group(
        "relieved",
        "relieved",
        True,
        "relieved, relief, unburdened, lighter, released, soothed, comforted",
    ),
    _group(
        "excited",
        "excited",
        True,
        "excited, eager, enthusiastic, energised, energized, alive, lively, animated, "
        "passionate, thrilled, pumped, giddy, curious, intrigued, interested",
    ),
    _group(
        "proud",
        "proud",
        True,
        "proud, pride, accomplished, capable, strong, empowered, fulfilled, confident",
    ),
    _group(
        "amused",
        "amused",
        True,
        "amused, playful, silly, entertained, tickled, giggly",
    ),
)

# Thoughts about the other that sound like feelings, and what they often cover.
THOUGHT_WORDS: dict[str, tuple[str, ...]] = {
    "abandoned": ("lonely", "scared"),
    "attacked": ("scared", "hurt"),
    "belittled": ("hurt", "embarrassed"),
    "betrayed": ("hurt", "angry"),
    "blamed": ("hurt", "frustrated"),
    "bullied": ("scared", "hurt"),
    "cheated": ("hurt", "angry"),
    "controlled": ("frustrated", "trapped"),
    "criticised": ("hurt", "discouraged"),
    "criticized": ("hurt", "discouraged"),
    "dismissed": ("hurt", "lonely"),
    "disrespected": ("hurt", "angry"),
    "ignored": ("lonely", "hurt"),
    "insulted": ("hurt", "angry"),
    "intimidated": ("scared", "nervous"),
    "invalidated": ("hurt", "lonely"),
    "invisible": ("lonely", "sad"),
    "judged": ("hurt", "embarrassed"),
    "manipulated": ("confused", "angry"),
    "misunderstood": ("lonely", "frustrated"),
    "neglected": ("lonely", "sad"),
    "nagged": ("frustrated", "tired"),
    "overworked": ("tired", "overwhelmed"),
    "patronised": ("frustrated", "hurt"),
    "patronized": ("frustrated", "hurt"),
    "pressured": ("anxious", "overwhelmed"),
    "pushed away": ("lonely", "hurt"),
    "put down": ("hurt", "embarrassed"),
    "rejected": ("hurt", "lonely"),
    "smothered": ("overwhelmed", "frustrated"),
    "taken for granted": ("sad", "disappointed"),
    "unappreciated": ("sad", "disappointed"),
    "unheard": ("lonely", "frustrated"),
    "unimportant": ("sad", "hurt"),
    "unloved": ("sad", "lonely"),
    "unseen": ("lonely", "sad"),
    "unsupported": ("overwhelmed", "lonely"),
    "unwanted": ("hurt", "lonely"),
    "used": ("hurt", "angry"),
}


@dataclass(frozen=True)
class NeedGroup:
    key: str
    phrase: str  # how a rewrite says it: "I need ___"
    words: tuple[str, ...]


def _need(key: str, phrase: str, words: str) -> NeedGroup:
    return NeedGroup(key, phrase, tuple(w.strip() for w in words.split(",")))


NEED_GROUPS: tuple[NeedGroup, ...] = (
    _need(
        "connection",
        "some time together, just us",
        "connection, closeness, intimacy, affection, touch, hugs, cuddles, warmth, "
        "together, quality time, time together, date, date night, company, companionship, "
        "togetherness, belonging, attention",
    ),
    _need(
        "understanding",
        "to feel heard",
        "understanding, to be heard, heard, listened to, listen, empathy, to be seen, "
        "acknowledgement, acknowledgment, recognition, validation, to be understood",
    ),
    _need(
        "appreciation",
        "to know what I do matters to you",
        "appreciation, to matter, thanks, gratitude, credit, to be valued, mattering, "
        "noticed, to be noticed",
    ),
    _need(
        "support",
        "us to share the load",
        "support, help, teamwork, partnership, cooperation, a hand, fairness, "
        "equality, shared load, backup, collaboration, mutuality",
    ),
    _need(
        "rest",
        "some rest",
        "rest, sleep, downtime, a break, breathing room, recovery, quiet, ease, relaxation",
    ),
    _need(
        "autonomy",
        "some space to choose for myself",
        "space, autonomy, freedom, independence, choice, room, time alone, alone time, "
        "privacy, my own time",
    ),
    _need(
        "security",
        "to feel I can count on us",
        "security, safety, reassurance, reliability, predictability, consistency, trust, "
        "stability, commitment, certainty, a heads-up, to know you're okay, dependability",
    ),
    _need(
        "respect",
        "to be spoken to kindly",
        "respect, consideration, kindness, gentleness, courtesy, dignity, care",
    ),
    _need(
        "honesty",
        "honesty between us",
        "honesty, openness, transparency, the truth, clarity, directness, authenticity",
    ),
    _need(
        "fun",
        "more fun together",
        "fun, play, laughter, humour, humor, adventure, joy, lightness, novelty, spontaneity",
    ),
    _need(
        "order",
        "a plan we both agree on",
        "order, structure, a plan, planning, routine, tidiness, cleanliness, organisation, "
        "organization, clarity about money, a budget",
    ),
    _need(
        "meaning",
        "to feel we're growing together",
        "meaning, purpose, growth, contribution, hope, progress, learning",
    ),
)

# Situations people describe, and the feelings a listener might guess from them.
# Matched on word stems; a guess, offered as a question, never a diagnosis.
SITUATION_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("alone", ("lonely", "sad")),
    ("by myself", ("lonely", "overwhelmed")),
    ("on my own", ("lonely", "overwhelmed")),
    ("no one", ("lonely", "sad")),
    ("nobody", ("lonely", "sad")),
    ("phone", ("lonely", "disconnected")),
    ("screen", ("lonely", "disconnected")),
    ("silence", ("lonely", "anxious")),
    ("quiet", ("lonely", "uneasy")),
    ("late", ("worried", "frustrated")),
    ("waited", ("worried", "frustrated")),
    ("waiting", ("worried", "impatient")),
    ("didn't call", ("worried", "hurt")),
    ("didn't text", ("worried", "hurt")),
    ("no text", ("worried", "hurt")),
    ("forgot", ("hurt", "disappointed")),
    ("forgotten", ("hurt", "disappointed")),
    ("cancel", ("disappointed", "hurt")),
    ("cancelled", ("disappointed", "hurt")),
    ("canceled", ("disappointed", "hurt")),
    ("too much", ("overwhelmed", "tired")),
    ("so much", ("overwhelmed", "tired")),
    ("can't keep up", ("overwhelmed", "exhausted")),
    ("everything", ("overwhelmed", "tired")),
    ("chores", ("overwhelmed", "frustrated")),
    ("dishes", ("frustrated", "tired")),
    ("laundry", ("frustrated", "tired")),
    ("cleaning", ("frustrated", "tired")),
    ("kids", ("tired", "overwhelmed")),
    ("bedtime", ("tired", "overwhelmed")),
    ("no sleep", ("exhausted", "frazzled")),
    ("sleep", ("tired", "drained")),
    ("work", ("stressed", "tired")),
    ("deadline", ("stressed", "anxious")),
    ("boss", ("stressed", "anxious")),
    ("money", ("anxious", "worried")),
    ("bills", ("anxious", "worried")),
    ("debt", ("anxious", "scared")),
    ("spend", ("anxious", "uneasy")),
    ("raised voice", ("scared", "hurt")),
    ("yell", ("scared", "hurt")),
    ("shout", ("scared", "hurt")),
    ("criticise", ("hurt", "discouraged")),
    ("criticize", ("hurt", "discouraged")),
    ("your mum", ("torn", "hurt")),
    ("your mom", ("torn", "hurt")),
    ("your mother", ("torn", "hurt")),
    ("your family", ("left out", "torn")),
    ("friends", ("left out", "lonely")),
    ("party", ("left out", "anxious")),
    ("what if", ("anxious", "scared")),
    ("leave", ("scared", "anxious")),
    ("future", ("anxious", "hopeful")),
    ("doctor", ("scared", "worried")),
    ("sick", ("worried", "tired")),
    ("don't care", ("hurt", "lonely")),
    ("doesn't care", ("hurt", "lonely")),
    ("didn't care", ("hurt", "lonely")),
    ("selfish", ("hurt", "frustrated")),
    ("never listen", ("lonely", "frustrated")),
    ("don't listen", ("lonely", "frustrated")),
    ("interrupt", ("frustrated", "hurt")),
    ("on time", ("frustrated", "worried")),
    ("thank", ("grateful", "touched")),
    ("surprise", ("delighted", "touched")),
    ("hug", ("loved", "comforted")),
    ("laugh", ("happy", "playful")),
    ("together", ("close", "happy")),
    ("remembered", ("touched", "cared for")),
    ("helped", ("grateful", "relieved")),
    ("new job", ("excited", "nervous")),
    ("move", ("excited", "anxious")),
    ("promotion", ("proud", "excited")),
)


def feeling_index() -> dict[str, FeelingGroup]:
    """Every feeling word (lower case, possibly several words) to its group."""
    index: dict[str, FeelingGroup] = {}
    for group in FEELING_GROUPS:
        for word in group.words:
            index.setdefault(word, group)
    return index


def need_index() -> dict[str, NeedGroup]:
    index: dict[str, NeedGroup] = {}
    for group in NEED_GROUPS:
        for word in group.words:
            index.setdefault(word, group)
    return index


def vocabulary_size() -> int:
    words = {w for g in FEELING_GROUPS for w in g.words}
    words |= set(THOUGHT_WORDS)
    words |= {w for g in NEED_GROUPS for w in g.words}
    return len(words)
